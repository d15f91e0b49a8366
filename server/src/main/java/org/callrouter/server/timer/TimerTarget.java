package org.callrouter.server.timer;

/**
 * Something that owns timers in a {@link TimerService}. The target keeps the ids it was
 * given and compares them on expiry, so no callback object is allocated per timer.
 */
@FunctionalInterface
public interface TimerTarget {

    /**
     * Called on the owning event loop when a timer scheduled for this target expires.
     *
     * @param timerId the id {@link TimerService#schedule} returned.
     * @param nowMs   the time the wheel was polled at.
     */
    void onTimer(long timerId, long nowMs);
}
