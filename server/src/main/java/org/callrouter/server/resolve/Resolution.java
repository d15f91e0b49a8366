package org.callrouter.server.resolve;

import java.util.List;

import org.callrouter.server.transport.Destination;

/**
 * Where a SIP URI leads, as RFC 3263 found it: the destinations to try in order (SRV targets by
 * priority and weight, each target's addresses), or why there are none.
 *
 * @param state        resolved or failed
 * @param destinations in the order to try them; empty when failed
 * @param reason       why it failed (e.g. {@code handlers.example.test: NXDOMAIN}); null when resolved
 * @param expiresAtMs  when the answer must be asked again (monotonic ms; {@link Long#MAX_VALUE}
 *                     for an address literal)
 */
public record Resolution(State state, List<Destination> destinations, String reason, long expiresAtMs) {

    /** The outcome of a resolution. */
    public enum State {
        /** At least one destination. */
        RESOLVED,
        /** None: the name does not exist, has no usable records, or the name server did not answer. */
        FAILED
    }

    public static Resolution resolved(List<Destination> destinations, long expiresAtMs) {
        return new Resolution(State.RESOLVED, List.copyOf(destinations), null, expiresAtMs);
    }

    public static Resolution failed(String reason, long expiresAtMs) {
        return new Resolution(State.FAILED, List.of(), reason, expiresAtMs);
    }

    public boolean resolved() {
        return state == State.RESOLVED;
    }

    /** Whether the answer outlived its TTL at {@code nowMs}. */
    public boolean expired(long nowMs) {
        return nowMs >= expiresAtMs;
    }
}
