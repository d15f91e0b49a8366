package org.callrouter.routing.config;

import java.time.ZoneId;
import java.util.List;
import java.util.Set;

/**
 * A campaign's {@code callback:} block: which lost calls it calls back, how often and when.
 *
 * @param enabled               [false]
 * @param on                    [no-answer, busy, abandoned]: what counts as lost
 * @param abandonedAfterSeconds [10]: a caller who hung up while ringing for at least this long is lost
 * @param shortUnderSeconds     [10]: with {@code short}, an answered call shorter than this is lost
 * @param attempts              [3]: tries at most, each ringing a handler then the customer
 * @param intervalsMs           [2m, 15m, 1h]: the wait before each try (the first counted from the
 *                              lost call's end); when there are fewer than {@code attempts}, the
 *                              last repeats
 * @param zone                  {@code time_zone} [UTC]: the zone of {@code within_hours}
 * @param withinHours           when tries may be placed (handler {@code business_hours} syntax);
 *                              empty = any time
 * @param trunk                 the {@code trunks:} id the customer is called through
 */
public record CallbackConfig(boolean enabled, Set<CallbackTrigger> on, int abandonedAfterSeconds,
                             int shortUnderSeconds, int attempts, List<Long> intervalsMs, ZoneId zone,
                             List<HoursRange> withinHours, String trunk) {

    /** The defaults of {@code intervals}. */
    public static final List<Long> DEFAULT_INTERVALS_MS = List.of(120_000L, 900_000L, 3_600_000L);

    public CallbackConfig {
        on = Set.copyOf(on);
        intervalsMs = List.copyOf(intervalsMs);
        withinHours = List.copyOf(withinHours);
    }

    /** The wait before try number {@code attempt} (from 1). */
    public long intervalBeforeMs(int attempt) {
        return intervalsMs.get(Math.min(attempt, intervalsMs.size()) - 1);
    }
}
