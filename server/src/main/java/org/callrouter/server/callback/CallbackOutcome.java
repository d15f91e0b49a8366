package org.callrouter.server.callback;

/**
 * How one callback try ended.
 *
 * @param result what happened
 * @param callId the callback call's id, null if no call was created
 * @param reason a human-readable reason (the SIP status and phrase, or why nothing was tried)
 */
public record CallbackOutcome(Result result, String callId, String reason) {
    /** The outcome classes the schedule acts on. */
    public enum Result {
        /** Both answered; the call is up (its end comes as a normal record). */
        CONNECTED,
        /** No handler answered or none was eligible. */
        NO_HANDLER,
        /** The customer did not answer (ring timeout, 408, 480, 487). */
        CUSTOMER_NO_ANSWER,
        /** The customer was busy (486, 600) or declined (603). */
        CUSTOMER_BUSY,
        /** The trunk is at its {@code max_concurrent}; try later. */
        TRUNK_BUSY,
        /** The trunk refused us: 403, a challenge again after our credentials, or unreachable. */
        TRUNK_FAILED,
        /** Anything else; the reason says what. */
        FAILED
    }
}
