package org.callrouter.server.records;

import java.util.ArrayList;
import java.util.List;

import org.callrouter.routing.ConversionOutcome;

/** A sink that keeps what it is told, in order, as short strings and the records themselves. */
final class RecordingSink implements RecordSink {

    final List<String> events = new ArrayList<>();
    final List<CallRecord> ended = new ArrayList<>();
    final List<CallRecord> convertedAfterEnd = new ArrayList<>();

    @Override
    public void onStarted(CallRecord record) {
        events.add("started " + record.id());
    }

    @Override
    public void onSelected(CallRecord record, CallRecord.Attempt attempt) {
        events.add("selected " + record.id() + " " + attempt.handler());
    }

    @Override
    public void onAttemptEnded(CallRecord record, CallRecord.Attempt attempt) {
        events.add("attempt " + record.id() + " " + attempt.handler() + " " + attempt.result().label());
    }

    @Override
    public void onAnswered(CallRecord record) {
        events.add("answered " + record.id() + " " + record.answeredBy());
    }

    @Override
    public void onEnded(CallRecord record) {
        events.add("ended " + record.id() + " " + record.status().label());
        ended.add(record);
    }

    @Override
    public void onConvertedAfterEnd(CallRecord record, ConversionOutcome before, long atMs) {
        events.add("converted " + record.id());
        convertedAfterEnd.add(record);
    }
}
