package org.callrouter.routing.config;

import java.time.DayOfWeek;
import java.util.Set;

/**
 * One business-hours rule: open at {@code open} on each of {@code days}, until
 * {@code close} the same day, or the next day when {@code close} is not after
 * {@code open} (an overnight range such as 22:00–02:00).
 *
 * @param days        the days the range opens on
 * @param openMinute  minutes after local midnight, 0..1439
 * @param closeMinute minutes after local midnight, 1..1440 (1440 is {@code 24:00})
 */
public record HoursRange(Set<DayOfWeek> days, int openMinute, int closeMinute) {

    public HoursRange {
        days = Set.copyOf(days);
    }

    /** Whether the range runs past midnight into the next day. */
    public boolean overnight() {
        return closeMinute <= openMinute;
    }
}
