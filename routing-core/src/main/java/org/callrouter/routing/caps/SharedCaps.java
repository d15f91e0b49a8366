package org.callrouter.routing.caps;

import java.util.concurrent.CompletionStage;

import org.callrouter.routing.config.Caps;

/**
 * Caps and concurrency counted in a store that several routers share (issue 16, part 3; the
 * server's Redis adapter). The same semantics as {@link CapCounters}: a check and its
 * increment are one atomic step in the store; a hold counts against the caps from the moment
 * the handler is selected; a count belongs to the windows current at selection. Concurrency
 * slots are leases of the node that took them, renewed while their calls live.
 *
 * <p>Every step is asynchronous: the caller never waits on the store's network. A step that
 * fails or does not finish in time completes exceptionally.
 */
public interface SharedCaps {

    /** One granted slot in the shared store; both methods return at once (the store is told in the background). */
    interface Slot {

        /** Turns the slot's holds into counts (answered, converted). */
        void commitHold();

        /** Gives the slot back and, when {@code dropHold}, drops its holds (no answer, not converted). */
        void release(boolean dropHold);
    }

    /**
     * What {@link #acquire} found.
     *
     * @param result {@link CapCounters#GRANTED}, {@link CapCounters#CONCURRENCY} or the ordinal of the full window
     * @param slot   the slot when granted, else null
     */
    record Acquired(int result, Slot slot) {
    }

    /**
     * Checks every cap of the handler and takes a slot, in one atomic step of the store.
     *
     * @param windows      the current window ids ({@link WindowClock#windowIds})
     * @param windowEndsMs when those windows end ({@link WindowClock#windowEnds}): their counts expire then
     * @param commitNow    count in every window now (trigger {@code routed}); otherwise hold when {@code hold}
     * @param hold         take pending holds (a windowed {@code connected} or {@code converted} trigger)
     */
    CompletionStage<Acquired> acquire(String handlerId, long[] windows, long[] windowEndsMs, Caps caps,
                                      boolean commitNow, boolean hold);

    /** Counts one event in the given windows without a slot (a postback conversion after the call ended). */
    void commitNow(String handlerId, long[] windows, long[] windowEndsMs);
}
