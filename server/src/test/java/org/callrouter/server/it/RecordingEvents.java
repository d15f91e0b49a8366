package org.callrouter.server.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.callrouter.routing.ConversionOutcome;
import org.callrouter.server.b2bua.AttemptResult;
import org.callrouter.server.b2bua.CallStatus;
import org.callrouter.server.records.CallEvents;

/** Keeps every call event as a line of text, for tests to assert on. */
final class RecordingEvents implements CallEvents {

    private final List<String> lines = new ArrayList<>();
    private final List<String> endReasons = new ArrayList<>();
    private final List<Received> received = new ArrayList<>();
    private final List<ConversionOutcome> conversions = new ArrayList<>();

    /** What a {@code received} event said: the caller number as recorded and the call's tags. */
    record Received(String caller, Map<String, String> tags) {
    }

    /** Every {@code received} event, in order. */
    synchronized List<Received> received() {
        return List.copyOf(received);
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** The reason of each ended call, in order. */
    synchronized List<String> endReasons() {
        return List.copyOf(endReasons);
    }

    /** The conversion of each ended call (null when no handler was tried), in order. */
    synchronized List<ConversionOutcome> conversions() {
        return new ArrayList<>(conversions);
    }

    private synchronized void add(String line) {
        lines.add(line);
    }

    @Override
    public void received(String callId, String callKey, long atMs, long routingNs, String caller, String dialed,
                         String campaignId, String sourceId, Map<String, String> tags) {
        synchronized (this) {
            received.add(new Received(caller, Map.copyOf(tags)));
        }
        add("received " + dialed + " " + campaignId);
    }

    @Override
    public void skipped(String callId, String handlerId, String reason) {
        add("skipped " + handlerId + " " + reason);
    }

    @Override
    public void attemptStarted(String callId, String handlerId, long atMs) {
        add("attempt " + handlerId);
    }

    @Override
    public void attemptEnded(String callId, String handlerId, AttemptResult result, int sipStatus, long atMs) {
        add("attempt-ended " + handlerId + " " + result.label() + " " + sipStatus);
    }

    @Override
    public void answered(String callId, String handlerId, long atMs) {
        add("answered " + handlerId);
    }

    @Override
    public void ended(String callId, CallStatus status, int sipStatus, String reason, long atMs, long ringMs,
                      long talkMs, ConversionOutcome conversion) {
        synchronized (this) {
            endReasons.add(reason);
            conversions.add(conversion);
        }
        add("ended " + status.label() + " " + sipStatus);
    }
}
