package org.callrouter.server.records;

import java.util.List;
import java.util.Map;

import org.callrouter.routing.ConversionOutcome;
import org.callrouter.server.b2bua.AttemptResult;
import org.callrouter.server.b2bua.CallStatus;

/**
 * The call lifecycle as the SIP event loop reports it. Implementations hand each event to
 * another thread and return at once: they never wait on disk or network, and never throw.
 * Times are wall-clock epoch milliseconds.
 */
public interface CallEvents {

    /** The routing time of a call refused before any routing decision. */
    long NOT_ROUTED = -1;

    /**
     * A call arrived and was routed (or refused); {@code campaignId} and {@code sourceId} may be null.
     *
     * @param routingNs how long the routing decision took, in nanoseconds, or {@link #NOT_ROUTED}.
     */
    void received(String callId, String callKey, long atMs, long routingNs, String caller, String dialed,
                  String campaignId, String sourceId, Map<String, String> tags);

    /**
     * The call's dialed number is held by a pool visitor's session (published right after
     * {@link #received}): the record names the session and the visitor's page path.
     *
     * @param pagePath the session's last page views, oldest first
     */
    default void visitor(String callId, String sessionId, List<String> pagePath) {
    }

    /**
     * The call is a callback of a lost call (issue 13, published right after {@link #received}):
     * the record names the lost call, the callback and which try this is.
     */
    default void callback(String callId, String callbackId, String lostCallId, int attempt) {
    }

    /** A handler was left out of the call's plan, with the reason ({@code cap: daily}, {@code closed}...). */
    void skipped(String callId, String handlerId, String reason);

    /** A handler was selected and its leg is being set up. */
    void attemptStarted(String callId, String handlerId, long atMs);

    /** A handler attempt ended: answered or failed, with the SIP status that ended it (0 when none). */
    void attemptEnded(String callId, String handlerId, AttemptResult result, int sipStatus, long atMs);

    /** The handler answered and the carrier was told. */
    void answered(String callId, String handlerId, long atMs);

    /**
     * The call is over.
     *
     * @param status     the record's final status.
     * @param sipStatus  the final answer the carrier got (200 for answered calls).
     * @param reason     why, in words, for failures; may be null.
     * @param conversion the conversion decision of the answered or last selected handler; may be null.
     */
    void ended(String callId, CallStatus status, int sipStatus, String reason, long atMs,
               long ringMs, long talkMs, ConversionOutcome conversion);

    /** A sink that drops everything: records, webhooks and metrics switched off. */
    CallEvents NONE = new CallEvents() {
        @Override
        public void received(String callId, String callKey, long atMs, long routingNs, String caller, String dialed,
                             String campaignId, String sourceId, Map<String, String> tags) {
        }

        @Override
        public void skipped(String callId, String handlerId, String reason) {
        }

        @Override
        public void attemptStarted(String callId, String handlerId, long atMs) {
        }

        @Override
        public void attemptEnded(String callId, String handlerId, AttemptResult result, int sipStatus, long atMs) {
        }

        @Override
        public void answered(String callId, String handlerId, long atMs) {
        }

        @Override
        public void ended(String callId, CallStatus status, int sipStatus, String reason, long atMs,
                          long ringMs, long talkMs, ConversionOutcome conversion) {
        }
    };
}
