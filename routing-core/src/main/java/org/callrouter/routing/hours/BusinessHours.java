package org.callrouter.routing.hours;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

import org.callrouter.routing.config.HoursRange;

/**
 * A handler's business hours in its IANA time zone, answering "open at this instant?"
 * in a few nanoseconds: the open or closed span around the last instant asked about is
 * cached as epoch milliseconds and only recomputed (with {@code java.time}) once an
 * instant outside it is asked about, i.e. when the handler opens or closes.
 *
 * <p>Daylight-saving time: each range opens and closes at local wall-clock times of the
 * handler's zone. A local time that does not exist (the spring-forward gap) is moved
 * forward by the length of the gap, as {@link ZonedDateTime#of} does; a local time that
 * occurs twice (the fall-back overlap) means its first occurrence. Overnight ranges
 * ({@code 22:00}–{@code 02:00}) belong to the day they open on.
 */
public final class BusinessHours {

    /** Always open (no business hours configured). */
    public static final BusinessHours ALWAYS_OPEN = new BusinessHours(List.of(), ZoneId.of("UTC"));

    /** Days before and after "today" scanned for ranges: covers overnight ranges and a fully closed week. */
    private static final int DAYS_BACK = 1;
    private static final int DAYS_AHEAD = 8;

    private final List<HoursRange> ranges;
    private final ZoneId zone;
    private volatile Span span;

    /** An open or closed stretch of time: {@code [fromMs, untilMs)}. */
    private record Span(long fromMs, long untilMs, boolean open) {
    }

    private BusinessHours(List<HoursRange> ranges, ZoneId zone) {
        this.ranges = List.copyOf(ranges);
        this.zone = zone;
    }

    /** Business hours of the ranges in the zone; no ranges means always open. */
    public static BusinessHours of(List<HoursRange> ranges, ZoneId zone) {
        return ranges.isEmpty() ? ALWAYS_OPEN : new BusinessHours(ranges, zone);
    }

    /** Whether the handler is open at the instant. */
    public boolean isOpen(long nowMs) {
        return span(nowMs).open;
    }

    /**
     * When the open/closed state next changes after {@code nowMs} (epoch ms);
     * {@link Long#MAX_VALUE} when it never does.
     */
    public long nextChangeMs(long nowMs) {
        return span(nowMs).untilMs;
    }

    public boolean alwaysOpen() {
        return ranges.isEmpty();
    }

    private Span span(long nowMs) {
        Span current = span;
        if (current != null && nowMs >= current.fromMs && nowMs < current.untilMs) {
            return current;
        }
        Span computed = ranges.isEmpty() ? new Span(Long.MIN_VALUE, Long.MAX_VALUE, true) : compute(nowMs);
        span = computed;
        return computed;
    }

    private Span compute(long nowMs) {
        LocalDate today = Instant.ofEpochMilli(nowMs).atZone(zone).toLocalDate();
        List<long[]> intervals = new ArrayList<>();
        for (int offset = -DAYS_BACK; offset <= DAYS_AHEAD; offset++) {
            LocalDate day = today.plusDays(offset);
            for (HoursRange range : ranges) {
                if (!range.days().contains(day.getDayOfWeek())) {
                    continue;
                }
                long start = epochMs(day, range.openMinute());
                long end = range.overnight() || range.closeMinute() == 1440
                        ? epochMs(day.plusDays(1), range.closeMinute() % 1440)
                        : epochMs(day, range.closeMinute());
                if (end > start) {
                    intervals.add(new long[] {start, end});
                }
            }
        }
        intervals.sort((a, b) -> Long.compare(a[0], b[0]));
        long scanStart = epochMs(today.minusDays(DAYS_BACK), 0);
        long previousEnd = scanStart;
        int i = 0;
        while (i < intervals.size()) {
            long start = intervals.get(i)[0];
            long end = intervals.get(i)[1];
            i++;
            while (i < intervals.size() && intervals.get(i)[0] <= end) {
                end = Math.max(end, intervals.get(i)[1]);
                i++;
            }
            if (nowMs < start) {
                return new Span(previousEnd, start, false);
            }
            if (nowMs < end) {
                return new Span(start, end, true);
            }
            previousEnd = end;
        }
        return new Span(previousEnd, epochMs(today.plusDays(DAYS_AHEAD), 0), false);
    }

    private long epochMs(LocalDate day, int minuteOfDay) {
        return ZonedDateTime.of(day, LocalTime.of(minuteOfDay / 60, minuteOfDay % 60), zone).toInstant().toEpochMilli();
    }
}
