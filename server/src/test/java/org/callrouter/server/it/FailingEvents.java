package org.callrouter.server.it;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.callrouter.routing.ConversionOutcome;
import org.callrouter.server.b2bua.AttemptResult;
import org.callrouter.server.b2bua.CallStatus;
import org.callrouter.server.records.CallEvents;

/**
 * Call events that a test can switch into throwing at the {@code answered} step: what the SIP
 * loop meets when the store behind a call (the record ring buffer, a Chronicle Map) throws
 * halfway through the answer. Everything else goes to a {@link RecordingEvents}.
 */
final class FailingEvents implements CallEvents {

    private final RecordingEvents recorded;
    private final AtomicReference<Throwable> onAnswered = new AtomicReference<>();

    FailingEvents(RecordingEvents recorded) {
        this.recorded = recorded;
    }

    /** From now on, {@code answered} throws {@code error} (null: it records again). */
    void throwOnAnswered(Throwable error) {
        onAnswered.set(error);
    }

    @Override
    public void received(String callId, String callKey, long atMs, long routingNs, String caller, String dialed,
                         String campaignId, String sourceId, Map<String, String> tags) {
        recorded.received(callId, callKey, atMs, routingNs, caller, dialed, campaignId, sourceId, tags);
    }

    @Override
    public void skipped(String callId, String handlerId, String reason) {
        recorded.skipped(callId, handlerId, reason);
    }

    @Override
    public void attemptStarted(String callId, String handlerId, long atMs) {
        recorded.attemptStarted(callId, handlerId, atMs);
    }

    @Override
    public void attemptEnded(String callId, String handlerId, AttemptResult result, int sipStatus, long atMs) {
        recorded.attemptEnded(callId, handlerId, result, sipStatus, atMs);
    }

    @Override
    public void answered(String callId, String handlerId, long atMs) {
        final Throwable error = onAnswered.get();
        if (error instanceof Error e) {
            throw e;
        }
        if (error instanceof RuntimeException e) {
            throw e;
        }
        recorded.answered(callId, handlerId, atMs);
    }

    @Override
    public void ended(String callId, CallStatus status, int sipStatus, String reason, long atMs, long ringMs,
                      long talkMs, ConversionOutcome conversion) {
        recorded.ended(callId, status, sipStatus, reason, atMs, ringMs, talkMs, conversion);
    }
}
