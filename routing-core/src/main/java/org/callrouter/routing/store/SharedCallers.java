package org.callrouter.routing.store;

import java.util.concurrent.CompletionStage;

/**
 * The caller index in a store several routers share (issue 16, part 3; the server's Redis
 * adapter): the handler that answered a caller's last call in a campaign (repeat callers) and
 * each side's last conversion (dedupe), with the semantics of {@link CallerIndex}. Campaigns
 * and handlers are named by id (symbol codes are each node's own). Each step is one atomic step
 * of the store; an entry lives {@code retentionMs} after its latest write.
 *
 * <p>Every step is asynchronous: the caller never waits on the store's network. A step that
 * fails or does not finish in time completes exceptionally.
 */
public interface SharedCallers {

    /** Retention of an entry that never expires ({@code forever} windows). */
    long FOREVER = Long.MAX_VALUE;

    /**
     * What {@link #convert} found.
     *
     * @param result    converted now, deduplicated, or this call converted before
     * @param earlierMs the earlier conversion's time when not {@link CallerIndex.Conversion#CONVERTED}, else 0
     */
    record Converted(CallerIndex.Conversion result, long earlierMs) {
    }

    /**
     * The id of the handler that answered the caller's last call in the campaign at or after
     * {@code sinceMs}; the stage completes with {@code null} when there is none.
     */
    CompletionStage<String> lastHandler(String campaignId, long caller, long sinceMs);

    /**
     * Remembers that {@code handlerId} answered the caller's call (in the background; a later
     * answer already remembered is kept).
     */
    void recordAnswered(String campaignId, long caller, String handlerId, long nowMs, long retentionMs);

    /**
     * Converts the caller on one side unless it converted within {@code windowMs} (or this very
     * call converted before), in one atomic step; see {@link CallerIndex#convert}.
     *
     * @param windowMs 0 = no dedupe, {@link #FOREVER} = forever
     */
    CompletionStage<Converted> convert(String campaignId, long caller, CallerIndex.Side side, long callHash,
                                       long nowMs, long windowMs, long retentionMs);
}
