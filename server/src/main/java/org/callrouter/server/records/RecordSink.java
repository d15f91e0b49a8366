package org.callrouter.server.records;

import org.callrouter.routing.ConversionOutcome;

/**
 * What the emitter tells about each call as its record takes shape: the journal, metrics and
 * webhooks listen. Called on the emitter thread only; an exception is reported and the other
 * sinks still hear of the event.
 */
public interface RecordSink {

    /** The call arrived ({@code started}); the record has its number, campaign, source and tags. */
    default void onStarted(CallRecord record) {
    }

    /** A handler was selected and is being rung ({@code selected}). */
    default void onSelected(CallRecord record, CallRecord.Attempt attempt) {
    }

    /** A handler attempt ended (answered or failed). */
    default void onAttemptEnded(CallRecord record, CallRecord.Attempt attempt) {
    }

    /** A handler answered ({@code answered}). */
    default void onAnswered(CallRecord record) {
    }

    /** The call is over and its record complete ({@code ended}; {@code converted} if it converted). */
    default void onEnded(CallRecord record) {
    }

    /**
     * A postback converted a side of a call that had already ended.
     *
     * @param before the conversion as it was before the postback (null when none).
     */
    default void onConvertedAfterEnd(CallRecord record, ConversionOutcome before, long atMs) {
    }

    /**
     * The emitter finished a drain of the ring buffer, or is idle: write what was collected,
     * force it to disk when due. Called at least every millisecond or so.
     */
    default void onBatchEnd(long nowNs) {
    }

    /** The emitter is stopping after its last drain: write and force everything, release files. */
    default void onClose() {
    }
}
