package org.callrouter.routing.caps;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class WindowClockTest {

    private static final WindowClock NEW_YORK = new WindowClock(ZoneId.of("America/New_York"));

    private static long utc(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    private static long start(WindowClock clock, CapWindow window, String instant) {
        return clock.startMs(window, utc(instant));
    }

    @Test
    void hourlyWindowsFollowTheClockHour() {
        assertEquals(utc("2026-06-01T14:00:00Z"), start(NEW_YORK, CapWindow.HOURLY, "2026-06-01T14:59:59.999Z"));
        assertEquals(utc("2026-06-01T15:00:00Z"), start(NEW_YORK, CapWindow.HOURLY, "2026-06-01T15:00:00Z"));
        WindowClock kolkata = new WindowClock(ZoneId.of("Asia/Kolkata"));
        assertEquals(utc("2026-06-01T14:30:00Z"), start(kolkata, CapWindow.HOURLY, "2026-06-01T15:29:59Z"),
                "a +05:30 zone's hours start at half past in UTC");
    }

    @Test
    void dailyWindowsRunFromLocalMidnight() {
        assertEquals(utc("2026-06-01T04:00:00Z"), start(NEW_YORK, CapWindow.DAILY, "2026-06-02T03:59:59Z"));
        assertEquals(utc("2026-06-02T04:00:00Z"), start(NEW_YORK, CapWindow.DAILY, "2026-06-02T04:00:00Z"));
    }

    @Test
    void eachWindowEndsWhereTheNextStartsAndTotalNever() {
        long[] ends = new long[4];
        new WindowClock(ZoneId.of("America/New_York")).windowEnds(utc("2026-03-08T12:00:00Z"), ends);
        assertEquals(utc("2026-03-08T13:00:00Z"), ends[CapWindow.HOURLY.ordinal()]);
        assertEquals(utc("2026-03-09T04:00:00Z"), ends[CapWindow.DAILY.ordinal()], "the 23-hour day ends at midnight EDT");
        assertEquals(utc("2026-04-01T04:00:00Z"), ends[CapWindow.MONTHLY.ordinal()]);
        assertEquals(0, ends[CapWindow.TOTAL.ordinal()]);
    }

    @Test
    void springForwardDayLasts23Hours() {
        long dayStart = start(NEW_YORK, CapWindow.DAILY, "2026-03-08T12:00:00Z");
        assertEquals(utc("2026-03-08T05:00:00Z"), dayStart, "midnight EST");
        assertEquals(dayStart, start(NEW_YORK, CapWindow.DAILY, "2026-03-09T03:59:59Z"));
        long next = start(NEW_YORK, CapWindow.DAILY, "2026-03-09T04:00:00Z");
        assertEquals(utc("2026-03-09T04:00:00Z"), next, "midnight EDT");
        assertEquals(23 * 3_600_000L, next - dayStart);
        assertEquals(utc("2026-03-08T06:00:00Z"), start(NEW_YORK, CapWindow.HOURLY, "2026-03-08T06:59:59Z"), "01:xx EST");
        assertEquals(utc("2026-03-08T07:00:00Z"), start(NEW_YORK, CapWindow.HOURLY, "2026-03-08T07:00:00Z"),
                "03:00 EDT follows 01:59 EST");
    }

    @Test
    void fallBackDayLasts25HoursAndTheRepeatedHourIsTwoWindows() {
        long dayStart = start(NEW_YORK, CapWindow.DAILY, "2026-11-01T12:00:00Z");
        assertEquals(utc("2026-11-01T04:00:00Z"), dayStart, "midnight EDT");
        long next = start(NEW_YORK, CapWindow.DAILY, "2026-11-02T05:00:00Z");
        assertEquals(utc("2026-11-02T05:00:00Z"), next, "midnight EST");
        assertEquals(dayStart, start(NEW_YORK, CapWindow.DAILY, "2026-11-02T04:59:59Z"));
        assertEquals(25 * 3_600_000L, next - dayStart);
        long firstOneThirty = start(NEW_YORK, CapWindow.HOURLY, "2026-11-01T05:30:00Z");
        long secondOneThirty = start(NEW_YORK, CapWindow.HOURLY, "2026-11-01T06:30:00Z");
        assertEquals(utc("2026-11-01T05:00:00Z"), firstOneThirty, "01:00 EDT");
        assertEquals(utc("2026-11-01T06:00:00Z"), secondOneThirty, "01:00 EST");
    }

    @Test
    void monthlyWindowsAreCalendarMonths() {
        assertEquals(utc("2026-01-01T05:00:00Z"), start(NEW_YORK, CapWindow.MONTHLY, "2026-02-01T04:59:59Z"));
        assertEquals(utc("2026-02-01T05:00:00Z"), start(NEW_YORK, CapWindow.MONTHLY, "2026-02-01T05:00:00Z"));
        assertEquals(utc("2026-03-01T05:00:00Z"), start(NEW_YORK, CapWindow.MONTHLY, "2026-03-31T12:00:00Z"),
                "March starts in EST and ends in EDT");
        assertEquals(utc("2026-04-01T04:00:00Z"), start(NEW_YORK, CapWindow.MONTHLY, "2026-04-01T04:00:00Z"));
    }

    @Test
    void idsIdentifyWindows() {
        long[] a = new long[4];
        long[] b = new long[4];
        NEW_YORK.windowIds(utc("2026-03-31T23:59:00Z"), a);
        NEW_YORK.windowIds(utc("2026-04-01T00:00:00Z"), b);
        assertNotEquals(a[CapWindow.HOURLY.ordinal()], b[CapWindow.HOURLY.ordinal()]);
        assertEquals(a[CapWindow.DAILY.ordinal()], b[CapWindow.DAILY.ordinal()], "still March 31 in New York");
        assertEquals(a[CapWindow.MONTHLY.ordinal()], b[CapWindow.MONTHLY.ordinal()]);
        assertEquals(0, b[CapWindow.TOTAL.ordinal()]);
    }
}
