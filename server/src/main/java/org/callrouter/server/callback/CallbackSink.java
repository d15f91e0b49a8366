package org.callrouter.server.callback;

import org.callrouter.routing.callback.FinishedCall;
import org.callrouter.server.records.CallRecord;
import org.callrouter.server.records.RecordSink;

/**
 * Feeds the callback scheduler from the record emitter: each ended call may be lost and need a
 * callback; each answered call cancels its caller's pending callback in the campaign. Only hands
 * the facts over (a queue add): the scheduler's thread decides.
 */
public final class CallbackSink implements RecordSink {

    private final CallbackScheduler scheduler;

    public CallbackSink(CallbackScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public void onAnswered(CallRecord record) {
        if (record.campaign() != null && !isCallback(record)) {
            scheduler.onAnswered(record.campaign(), number(record.caller()), record.id());
        }
    }

    @Override
    public void onEnded(CallRecord record) {
        if (record.campaign() != null) {
            scheduler.onFinished(finished(record));
        }
    }

    /** The callback rules' view of an ended call. */
    static FinishedCall finished(CallRecord record) {
        final FinishedCall.Ending ending = switch (record.status()) {
            case COMPLETED -> FinishedCall.Ending.ANSWERED;
            // FAILED: handlers were tried and failed otherwise, or none could be tried: no one answered.
            case NO_ANSWER, FAILED -> FinishedCall.Ending.NO_ANSWER;
            case BUSY -> FinishedCall.Ending.BUSY;
            case CANCELED -> FinishedCall.Ending.CALLER_HUNG_UP;
            case REJECTED -> FinishedCall.Ending.REFUSED;
            case INTERRUPTED -> FinishedCall.Ending.OTHER;
        };
        return new FinishedCall(record.id(), record.campaign(), number(record.caller()), record.dialed(), ending,
                record.ringMs(), record.talkMs(), record.endedMs(), isCallback(record), record.tags());
    }

    /** The caller's number when it is one (E.164); a caller id that is not a number cannot be called back. */
    private static String number(String caller) {
        return caller != null && caller.length() > 1 && caller.charAt(0) == '+' ? caller : null;
    }

    private static boolean isCallback(CallRecord record) {
        return record.callbackOf() != null;
    }
}
