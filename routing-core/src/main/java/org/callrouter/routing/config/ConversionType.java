package org.callrouter.routing.config;

/** When a call converts (a source earns its payout, a handler owes its revenue). */
public enum ConversionType {
    /** {@code attempt}: when a handler is selected for the call. */
    ATTEMPT,
    /** {@code timer}: when the answered call lasts at least the rule's seconds. */
    TIMER,
    /** {@code postback}: when the handler's system posts the conversion with the call's id and key. */
    POSTBACK
}
