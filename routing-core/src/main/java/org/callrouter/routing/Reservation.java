package org.callrouter.routing;

import java.util.concurrent.CompletionStage;

/**
 * A handler's slot for one call attempt, taken by {@link RoutingPlan#reserve}: it holds
 * one unit of concurrency and, for {@code connected} and {@code converted} cap triggers,
 * a pending hold in each cap window. Every method is idempotent and safe from any thread;
 * exactly one of {@link #failed} and {@link #ended} ends it (the first call wins).
 */
public interface Reservation {

    /** The handler this slot belongs to. */
    String handlerId();

    /**
     * The handler answered: commits the holds of a {@code connected}-trigger handler and
     * remembers the handler for repeat-caller routing.
     */
    void answered(long nowMs);

    /**
     * The attempt failed (no answer, busy, error, cancel) before or without an answer:
     * releases concurrency and any pending hold; timer and postback sides do not convert.
     */
    void failed(long nowMs);

    /**
     * The call is over. Releases concurrency; for an answered call decides timer
     * conversions by {@code talkMillis} and leaves postback sides pending; commits the hold
     * of a {@code converted}-trigger handler when its side converted, else releases it.
     * Ending an attempt that was never answered is the same as {@link #failed}.
     */
    void ended(long nowMs, long talkMillis);

    /**
     * {@link #ended} on a cluster node ({@link RoutingPlan#sharesCallers()}): a timer side's
     * dedupe is decided in the cluster's caller index without waiting on it; the stage completes
     * (on the store client's thread) once {@link #conversion()} says how the call converted and
     * the slot is given back. A side the shared index could not decide is decided in this node's
     * index ({@link Router#sharedDedupeFallbacks()}), so a conversion is never lost.
     */
    CompletionStage<Void> endedShared(long nowMs, long talkMillis);

    /** This attempt's conversion so far, per side. */
    ConversionOutcome conversion();
}
