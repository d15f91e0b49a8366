package org.callrouter.routing.config;

/**
 * A campaign's {@code on_shared_state_error}: what a call does when the cluster's shared store
 * (Redis) fails or does not answer in time while a handler's cap slot is taken.
 */
public enum SharedStatePolicy {
    /** {@code reject} (the default): the carrier gets {@code 503} with a Reason; no cap can be overrun. */
    REJECT,
    /** {@code local}: the slot is taken from this node's own counters, with each cap divided by the node count. */
    LOCAL
}
