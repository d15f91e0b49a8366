package org.callrouter.loadtest.time;

/**
 * A hashed timer wheel polled by its owner's thread (the event loop), in the manner of Agrona's
 * {@code DeadlineTimerWheel}, but intrusive: each {@link Timeout} is its own list node, so a call
 * re-arms its one timeout without allocating or looking anything up. Deadlines are rounded up to
 * the tick; a timeout never fires early. A deadline beyond one revolution stays in its slot and is
 * skipped until its tick comes round.
 *
 * <p>Not thread-safe: schedule, cancel and poll from one thread.
 */
public final class TimerWheel {

    private final long startNs;
    private final long tickNs;
    private final int mask;
    private final Timeout[] heads;
    private long nextTick;
    private int size;

    /**
     * A wheel whose tick 0 starts at {@code startNs}.
     *
     * @param tickNs the resolution, in nanoseconds (at least 1)
     * @param slots  the number of slots, a power of two
     */
    public TimerWheel(long startNs, long tickNs, int slots) {
        if (tickNs < 1) {
            throw new IllegalArgumentException("tickNs=" + tickNs + " must be at least 1");
        }
        if (slots < 1 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots=" + slots + " must be a power of two");
        }
        this.startNs = startNs;
        this.tickNs = tickNs;
        this.mask = slots - 1;
        this.heads = new Timeout[slots];
    }

    /** The number of scheduled timeouts. */
    public int size() {
        return size;
    }

    /**
     * Schedules {@code timeout} for {@code deadlineNs} (same clock as the poll times), moving it
     * when it is already scheduled. A deadline already past fires on the next tick polled.
     */
    public void schedule(Timeout timeout, long deadlineNs) {
        cancel(timeout);
        long rel = deadlineNs - startNs;
        long tick = rel <= 0 ? 0 : (rel + tickNs - 1) / tickNs;
        tick = Math.max(tick, nextTick);
        timeout.deadlineTick = tick;
        link(timeout, (int) (tick & mask));
        size++;
    }

    /** Removes {@code timeout} from the wheel; nothing happens when it is not scheduled. */
    public void cancel(Timeout timeout) {
        if (timeout.slot < 0) {
            return;
        }
        if (timeout.prev != null) {
            timeout.prev.next = timeout.next;
        } else {
            heads[timeout.slot] = timeout.next;
        }
        if (timeout.next != null) {
            timeout.next.prev = timeout.prev;
        }
        timeout.prev = null;
        timeout.next = null;
        timeout.slot = -1;
        size--;
    }

    /**
     * Fires every timeout whose deadline is at or before {@code nowNs}, in tick order. An expiry
     * may schedule or cancel timeouts (its own included); one scheduled for a tick already polled
     * fires on the next poll.
     *
     * @return how many fired
     */
    public int poll(long nowNs) {
        long rel = nowNs - startNs;
        if (rel < 0) {
            return 0;
        }
        long lastTick = rel / tickNs;
        int fired = 0;
        while (nextTick <= lastTick) {
            long tick = nextTick++;
            int slot = (int) (tick & mask);
            Timeout t = heads[slot];
            while (t != null) {
                Timeout following = t.next;
                if (t.deadlineTick <= tick) {
                    cancel(t);
                    fired++;
                    t.expiry.onTimeout(nowNs);
                    // the expiry may have cancelled the node we were about to visit
                    if (following != null && following.slot != slot) {
                        following = heads[slot];
                    }
                }
                t = following;
            }
            if (size == 0) {
                nextTick = Math.max(nextTick, lastTick + 1);
            }
        }
        return fired;
    }

    private void link(Timeout t, int slot) {
        Timeout head = heads[slot];
        t.next = head;
        t.prev = null;
        if (head != null) {
            head.prev = t;
        }
        heads[slot] = t;
        t.slot = slot;
    }
}
