package org.callrouter.routing.caps;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/**
 * Where the hourly, daily and monthly windows of a time zone start, for an instant. The
 * windows around the last instant asked about are cached as epoch milliseconds, so the
 * common case is two comparisons; {@code java.time} runs only when an hour boundary is
 * crossed.
 *
 * <p>Each window is identified by its start in epoch minutes (the total window by 0), so
 * two windows are the same exactly when their ids are; zones with half-hour offsets work
 * the same way.
 */
public final class WindowClock {

    private final ZoneId zone;
    private volatile Bounds bounds;

    /** The windows containing one instant, with their ids computed once (no division per call). */
    private record Bounds(long validFromMs, long validUntilMs, long hourStartMs, long dayStartMs, long monthStartMs,
                          long hourEndMs, long dayEndMs, long monthEndMs, long hourId, long dayId, long monthId) {
        Bounds(long validFromMs, long validUntilMs, long hourStartMs, long dayStartMs, long monthStartMs,
               long hourEndMs, long dayEndMs, long monthEndMs) {
            this(validFromMs, validUntilMs, hourStartMs, dayStartMs, monthStartMs, hourEndMs, dayEndMs, monthEndMs,
                    hourStartMs / 60_000, dayStartMs / 60_000, monthStartMs / 60_000);
        }
    }

    public WindowClock(ZoneId zone) {
        this.zone = zone;
    }

    public ZoneId zone() {
        return zone;
    }

    /** Fills {@code ids} (indexed by {@link CapWindow#ordinal()}) with the windows containing {@code nowMs}. */
    public void windowIds(long nowMs, long[] ids) {
        Bounds b = bounds(nowMs);
        ids[CapWindow.HOURLY.ordinal()] = b.hourId;
        ids[CapWindow.DAILY.ordinal()] = b.dayId;
        ids[CapWindow.MONTHLY.ordinal()] = b.monthId;
        ids[CapWindow.TOTAL.ordinal()] = 0;
    }

    /**
     * Fills {@code ends} (indexed by {@link CapWindow#ordinal()}) with the ends, epoch ms, of the
     * windows containing {@code nowMs}; 0 for total, which never ends (a shared store expires a
     * window's counts then).
     */
    public void windowEnds(long nowMs, long[] ends) {
        Bounds b = bounds(nowMs);
        ends[CapWindow.HOURLY.ordinal()] = b.hourEndMs;
        ends[CapWindow.DAILY.ordinal()] = b.dayEndMs;
        ends[CapWindow.MONTHLY.ordinal()] = b.monthEndMs;
        ends[CapWindow.TOTAL.ordinal()] = 0;
    }

    /** Start of the window containing {@code nowMs}, epoch ms ({@link Long#MIN_VALUE} for total). */
    public long startMs(CapWindow window, long nowMs) {
        Bounds b = bounds(nowMs);
        return switch (window) {
            case HOURLY -> b.hourStartMs;
            case DAILY -> b.dayStartMs;
            case MONTHLY -> b.monthStartMs;
            case TOTAL -> Long.MIN_VALUE;
        };
    }

    private Bounds bounds(long nowMs) {
        Bounds b = bounds;
        if (b != null && nowMs >= b.validFromMs && nowMs < b.validUntilMs) {
            return b;
        }
        b = compute(nowMs);
        bounds = b;
        return b;
    }

    private Bounds compute(long nowMs) {
        ZonedDateTime now = Instant.ofEpochMilli(nowMs).atZone(zone);
        ZonedDateTime hourStart = now.truncatedTo(ChronoUnit.HOURS);
        ZonedDateTime hourEnd = hourStart.plusHours(1);
        LocalDate today = now.toLocalDate();
        long dayStart = today.atStartOfDay(zone).toInstant().toEpochMilli();
        long dayEnd = today.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
        LocalDate firstOfMonth = today.withDayOfMonth(1);
        long monthStart = firstOfMonth.atStartOfDay(zone).toInstant().toEpochMilli();
        long monthEnd = firstOfMonth.plusMonths(1).atStartOfDay(zone).toInstant().toEpochMilli();
        long hourStartMs = hourStart.toInstant().toEpochMilli();
        long hourEndMs = hourEnd.toInstant().toEpochMilli();
        long validFrom = Math.max(hourStartMs, Math.max(dayStart, monthStart));
        long validUntil = Math.min(hourEndMs, Math.min(dayEnd, monthEnd));
        return new Bounds(validFrom, validUntil, hourStartMs, dayStart, monthStart, hourEndMs, dayEnd, monthEnd);
    }
}
