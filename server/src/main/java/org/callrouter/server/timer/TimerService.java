package org.callrouter.server.timer;

import java.util.concurrent.TimeUnit;

import org.agrona.DeadlineTimerWheel;
import org.agrona.ErrorHandler;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * Single-threaded timers for SIP transactions and calls: an Agrona {@link DeadlineTimerWheel}
 * polled by its owning event loop, so scheduling and cancelling are O(1) and allocate
 * nothing beyond the id-to-target map entry. Time is passed in, never read here, so tests
 * step it exactly.
 */
public final class TimerService {

    /** Returned by {@link #schedule} never; a field holding it means "no timer". */
    public static final long NO_TIMER = DeadlineTimerWheel.NULL_DEADLINE;

    private final DeadlineTimerWheel wheel;
    private final Long2ObjectHashMap<TimerTarget> targets = new Long2ObjectHashMap<>();
    private final DeadlineTimerWheel.TimerHandler expiry = this::onExpiry;
    private final ErrorHandler errorHandler;

    /**
     * @param startMs       time origin of the wheel.
     * @param tickMs        resolution, a power of two (timers fire up to one tick late).
     * @param ticksPerWheel spokes, a power of two.
     * @param errorHandler  receives whatever a target throws, so one bad timer never stops the others.
     */
    public TimerService(long startMs, long tickMs, int ticksPerWheel, ErrorHandler errorHandler) {
        this.wheel = new DeadlineTimerWheel(TimeUnit.MILLISECONDS, startMs, tickMs, ticksPerWheel);
        this.errorHandler = errorHandler;
    }

    /** Schedules {@code target.onTimer} at {@code deadlineMs}; returns the timer id. */
    public long schedule(TimerTarget target, long deadlineMs) {
        final long id = wheel.scheduleTimer(deadlineMs);
        targets.put(id, target);
        return id;
    }

    /** Cancels a timer; {@link #NO_TIMER} and already expired ids are ignored. Returns {@link #NO_TIMER}. */
    public long cancel(long timerId) {
        if (timerId != NO_TIMER && targets.remove(timerId) != null) {
            wheel.cancelTimer(timerId);
        }
        return NO_TIMER;
    }

    /** Expires every timer whose deadline is at or before {@code nowMs}; returns how many fired. */
    public int poll(long nowMs) {
        // The wheel polls one spoke per call and moves on only once the spoke's tick is over:
        // keep polling while it moves on, so the spoke holding nowMs is polled too and a timer
        // fires at its deadline, not a tick later.
        int fired = 0;
        long tickTime;
        do {
            tickTime = wheel.currentTickTime();
            fired += wheel.poll(nowMs, expiry, Integer.MAX_VALUE);
        } while (wheel.currentTickTime() != tickTime);
        return fired;
    }

    /** Number of timers scheduled and not yet expired or cancelled. */
    public int size() {
        return targets.size();
    }

    private boolean onExpiry(TimeUnit unit, long nowMs, long timerId) {
        final TimerTarget target = targets.remove(timerId);
        if (target != null) {
            try {
                target.onTimer(timerId, nowMs);
            } catch (RuntimeException | Error e) {
                errorHandler.onError(e);
            }
        }
        return true;
    }
}
