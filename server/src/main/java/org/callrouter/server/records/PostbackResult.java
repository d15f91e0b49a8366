package org.callrouter.server.records;

import org.callrouter.routing.ConversionOutcome;

/**
 * The emitter's answer to a postback conversion.
 *
 * @param status   what happened.
 * @param message  why, for the refusals.
 * @param postback the conversion service's answer for this postback (null unless applied).
 * @param changed  whether the postback converted a side that was not converted before (false
 *                 for a repeated postback: nothing was counted again).
 * @param callLine the call's record after the postback, as JSON (null unless applied).
 */
public record PostbackResult(Status status, String message, ConversionOutcome postback, boolean changed,
                             String callLine) {

    /** What happened to a postback. */
    public enum Status {
        /** The conversion service decided; the record shows the result. */
        APPLIED,
        /** The emitter does not hold the call (the journal may). */
        NOT_IN_MEMORY,
        /** The key is not the call's. */
        WRONG_KEY,
        /** No handler answered the call (yet): there is nothing to convert. */
        NOT_ANSWERED,
        /** The conversion service refused (the campaign or handler is no longer configured). */
        REFUSED
    }

    static PostbackResult refused(Status status, String message) {
        return new PostbackResult(status, message, null, false, null);
    }
}
