package org.callrouter.routing.callback;

import org.callrouter.routing.config.CallbackConfig;
import org.callrouter.routing.hours.BusinessHours;

/**
 * When a campaign's callback tries are placed: each at its interval after the previous event,
 * moved to the next opening of the callback hours ({@code within_hours} in {@code time_zone})
 * when it falls outside them.
 */
public final class CallbackSchedule {

    private final CallbackConfig config;
    private final BusinessHours hours;

    public CallbackSchedule(CallbackConfig config) {
        this.config = config;
        this.hours = BusinessHours.of(config.withinHours(), config.zone());
    }

    /** When try number {@code attempt} (from 1) is due, counting its interval from {@code fromMs}. */
    public long tryAtMs(int attempt, long fromMs) {
        return opening(fromMs + config.intervalBeforeMs(attempt));
    }

    /** {@code atMs} when the callback hours are open then, else their next opening. */
    public long opening(long atMs) {
        return hours.isOpen(atMs) ? atMs : hours.nextChangeMs(atMs);
    }
}
