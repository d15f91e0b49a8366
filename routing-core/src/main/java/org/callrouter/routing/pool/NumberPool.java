package org.callrouter.routing.pool;

import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

import org.callrouter.routing.config.PoolConfig;

/**
 * One pool's numbers as the allocator sees them, rebuilt from each configuration. Guarded by
 * its own lock (callers synchronise on it), except what the call path reads (see {@link Slot}).
 *
 * <p>Free numbers are a doubly linked list ordered by the time each was freed: the head is the
 * number whose lease ended longest ago (least recently used), a freed number goes to the tail.
 * Every number's grace window has the pool's one length, so the head is also the number whose
 * window ends first: a number still inside a previous visitor's grace window is handed out only
 * when every free number is inside one.
 *
 * <p>Lease ends and grace ends wait in a priority queue with one live entry per session; a
 * renewal only moves the session's lease end, and the entry that comes due finds the later end
 * and queues it again. So expiry costs O(log n) per session and lease, never a scan.
 */
final class NumberPool {

    /** A session's next moment to look at. */
    record Deadline(long atMs, Session session) {
    }

    final PoolConfig config;
    final long leaseMs;
    final long graceMs;
    final PoolCounters counters;
    final Slot[] slots;
    final Slot overflow;
    /** What a call finds when no session holds the number. */
    final Attribution miss;
    /** What a call to the overflow number finds. */
    final Attribution exhausted;
    /**
     * What a call finds when the cluster's store of sessions failed and the campaign's
     * {@code on_shared_state_error} is {@code local}: the pool only, tagged as such.
     */
    final Attribution unavailable;
    private final PriorityQueue<Deadline> deadlines =
            new PriorityQueue<>((a, b) -> Long.compare(a.atMs(), b.atMs()));
    private Slot head;
    private Slot tail;
    private int held;

    NumberPool(PoolConfig config, PoolCounters counters) {
        this.config = config;
        this.leaseMs = config.leaseSeconds() * 1000L;
        this.graceMs = config.attributionGraceSeconds() * 1000L;
        this.counters = counters;
        this.slots = new Slot[config.numbers().size()];
        for (int i = 0; i < slots.length; i++) {
            String text = config.numbers().get(i);
            slots[i] = new Slot(this, e164(text), text);
        }
        this.overflow = config.overflowNumber() == null ? null
                : new Slot(this, e164(config.overflowNumber()), config.overflowNumber());
        this.miss = new Attribution(config.id(), config.campaign(), config.source(), null, false,
                config.releaseOnCallEnd(), Map.of("pool", config.id()), List.of());
        this.exhausted = new Attribution(config.id(), config.campaign(), config.source(), null, true,
                config.releaseOnCallEnd(), Map.of("pool", config.id(), "pool_exhausted", "true"), List.of());
        this.unavailable = new Attribution(config.id(), config.campaign(), config.source(), null, false,
                config.releaseOnCallEnd(), Map.of("pool", config.id(), "pool_attribution_unavailable", "true"),
                List.of());
    }

    int held() {
        return held;
    }

    /** The least recently freed number, taken off the free list; null when every number is held. */
    Slot take() {
        Slot slot = head;
        if (slot != null) {
            unlink(slot);
            held++;
        }
        return slot;
    }

    /** Takes a particular free number (a returning visitor's) off the free list. */
    void take(Slot slot) {
        unlink(slot);
        held++;
    }

    /** Gives a held number back; it goes after every number freed earlier. */
    void free(Slot slot, long freedAtMs) {
        held--;
        insertFree(slot, freedAtMs);
    }

    /** Puts a number that was never held in this pool's life on the free list (building the pool). */
    void insertFree(Slot slot, long freedAtMs) {
        slot.free = true;
        slot.freedAtMs = freedAtMs;
        Slot after = tail;
        // Usually the tail: numbers are freed in time order, except a lease end processed late.
        while (after != null && after.freedAtMs > freedAtMs) {
            after = after.previous;
        }
        slot.previous = after;
        slot.next = after == null ? head : after.next;
        if (slot.next != null) {
            slot.next.previous = slot;
        } else {
            tail = slot;
        }
        if (after != null) {
            after.next = slot;
        } else {
            head = slot;
        }
    }

    /** Marks a number held while building the pool. */
    void markHeld() {
        held++;
    }

    private void unlink(Slot slot) {
        if (slot.previous != null) {
            slot.previous.next = slot.next;
        } else {
            head = slot.next;
        }
        if (slot.next != null) {
            slot.next.previous = slot.previous;
        } else {
            tail = slot.previous;
        }
        slot.previous = null;
        slot.next = null;
        slot.free = false;
    }

    /** Looks at the session again at {@code atMs} (an earlier pending look makes this one unnecessary). */
    void schedule(Session session, long atMs) {
        if (session.queuedMs != 0 && session.queuedMs <= atMs) {
            return;
        }
        session.queuedMs = atMs;
        deadlines.add(new Deadline(atMs, session));
    }

    /** The next deadline at or before {@code nowMs} that is still its session's latest, or null. */
    Deadline due(long nowMs) {
        while (!deadlines.isEmpty() && deadlines.peek().atMs() <= nowMs) {
            Deadline next = deadlines.poll();
            if (next.session().queuedMs == next.atMs()) {
                next.session().queuedMs = 0;
                return next;
            }
        }
        return null;
    }

    /** The long form of a configured number ({@code +18005550200} → 18005550200; the loader normalised it). */
    static long e164(String text) {
        return Long.parseLong(text.substring(1));
    }
}
