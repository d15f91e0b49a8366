package org.callrouter.server.admin;

import java.util.Map;
import java.util.TreeMap;

import org.callrouter.routing.CallRates;
import org.callrouter.server.records.CallRecord;
import org.callrouter.server.records.RecordSink;

/**
 * Calls in progress and the recent call rates, per campaign and in all, counted from the
 * record pipeline (a {@link RecordSink} on the emitter thread) for {@code GET /v1/live}. A
 * call of an untracked number counts under campaign {@code ""}. Monitor-guarded: the emitter
 * writes, admin workers read, a few times a second at most.
 */
final class LiveCalls implements RecordSink {

    /** The rates cover the last minute: long enough to be steady, short enough to follow a change. */
    static final int WINDOW_SECONDS = 60;

    /** One campaign's calls up now and its rates. */
    record Campaign(String campaign, long callsUp, CallRates.Rates rates) {
    }

    private static final class Counts {
        long up;
        final CallRates rates = new CallRates(WINDOW_SECONDS);
    }

    private final Map<String, Counts> byCampaign = new TreeMap<>();
    private final Counts all = new Counts();

    @Override
    public synchronized void onStarted(CallRecord record) {
        final Counts c = counts(record);
        c.up++;
        all.up++;
        c.rates.arrived(record.receivedMs());
        all.rates.arrived(record.receivedMs());
    }

    @Override
    public synchronized void onEnded(CallRecord record) {
        final Counts c = counts(record);
        final boolean answered = record.answeredMs() != CallRecord.NO_TIME;
        // A call that started before a restart was never counted up: never go below zero.
        c.up = Math.max(0, c.up - 1);
        all.up = Math.max(0, all.up - 1);
        c.rates.ended(record.endedMs(), answered);
        all.rates.ended(record.endedMs(), answered);
    }

    /** Every campaign that has had a call since the start, by name, as of {@code nowMs}. */
    synchronized Map<String, Campaign> campaigns(long nowMs) {
        final Map<String, Campaign> out = new TreeMap<>();
        byCampaign.forEach((name, c) -> out.put(name, new Campaign(name, c.up, c.rates.rates(nowMs))));
        return out;
    }

    /** All campaigns together. */
    synchronized Campaign total(long nowMs) {
        return new Campaign(null, all.up, all.rates.rates(nowMs));
    }

    private Counts counts(CallRecord record) {
        return byCampaign.computeIfAbsent(record.campaign() == null ? "" : record.campaign(), k -> new Counts());
    }
}
