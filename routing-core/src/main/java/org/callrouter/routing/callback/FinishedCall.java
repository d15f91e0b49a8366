package org.callrouter.routing.callback;

import java.util.Map;

/**
 * What the callback rules need of a call that ended: how it ended, who called what, and
 * whether it was itself a callback try.
 *
 * @param callId     the call's record id
 * @param campaign   its campaign (null when the number is not tracked)
 * @param caller     the caller's E.164 number; null when anonymous or not a number
 * @param dialed     the tracked number called, E.164
 * @param ending     how it ended
 * @param ringMs     how long it rang before the answer or the end
 * @param talkMs     talk time (0 unless answered)
 * @param endedMs    when it ended (epoch ms)
 * @param callback   whether it was a callback try (those never schedule callbacks)
 * @param tags       the call's tags, handed to the callback's tries
 */
public record FinishedCall(String callId, String campaign, String caller, String dialed, Ending ending,
                           long ringMs, long talkMs, long endedMs, boolean callback, Map<String, String> tags) {

    public FinishedCall {
        tags = Map.copyOf(tags);
    }

    /** How a call ended, as far as callbacks care. */
    public enum Ending {
        /** A handler answered. */
        ANSWERED,
        /** Handlers were tried (or none could be) and none answered. */
        NO_ANSWER,
        /** Every handler tried was busy. */
        BUSY,
        /** The caller hung up before an answer. */
        CALLER_HUNG_UP,
        /** Refused before any handler: untrusted source, blocked or anonymous caller, overload, unknown number. */
        REFUSED,
        /** Anything else (the router died during the call): never called back. */
        OTHER
    }
}
