package org.callrouter.routing.hours;

import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

import org.callrouter.routing.config.HoursRange;

import static java.time.DayOfWeek.FRIDAY;
import static java.time.DayOfWeek.MONDAY;
import static java.time.DayOfWeek.SATURDAY;
import static java.time.DayOfWeek.SUNDAY;
import static java.time.DayOfWeek.THURSDAY;
import static java.time.DayOfWeek.TUESDAY;
import static java.time.DayOfWeek.WEDNESDAY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BusinessHoursTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private static HoursRange range(Set<DayOfWeek> days, String open, String close) {
        return new HoursRange(days, minutes(open), minutes(close));
    }

    private static int minutes(String hhmm) {
        return Integer.parseInt(hhmm.substring(0, 2)) * 60 + Integer.parseInt(hhmm.substring(3));
    }

    /** Epoch ms of a local time in New York. */
    private static long ny(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(NEW_YORK).toInstant().toEpochMilli();
    }

    private static long utc(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void weekdayHoursInTheHandlersZone() {
        BusinessHours hours = BusinessHours.of(List.of(
                range(Set.of(MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY), "09:00", "17:30")), NEW_YORK);
        assertFalse(hours.isOpen(ny("2026-03-09T08:59:59.999")));
        assertTrue(hours.isOpen(ny("2026-03-09T09:00:00")));
        assertTrue(hours.isOpen(ny("2026-03-09T17:29:59.999")));
        assertFalse(hours.isOpen(ny("2026-03-09T17:30:00")));
        assertEquals(ny("2026-03-10T09:00:00"), hours.nextChangeMs(ny("2026-03-09T20:00:00")));
        assertFalse(hours.isOpen(ny("2026-03-14T12:00:00")), "Saturday");
        assertEquals(ny("2026-03-16T09:00:00"), hours.nextChangeMs(ny("2026-03-14T12:00:00")), "opens Monday");
        // 14:00 UTC is 10:00 in New York in March after the change (EDT), 09:00 before it (EST)
        assertTrue(hours.isOpen(utc("2026-03-09T14:00:00Z")));
        assertTrue(hours.isOpen(utc("2026-03-06T14:00:00Z")));
        assertFalse(hours.isOpen(utc("2026-03-06T13:59:00Z")));
    }

    @Test
    void overnightRangesBelongToTheDayTheyOpen() {
        BusinessHours hours = BusinessHours.of(List.of(range(Set.of(SATURDAY), "22:00", "02:00")), NEW_YORK);
        assertFalse(hours.isOpen(ny("2026-06-13T21:59:59")));
        assertTrue(hours.isOpen(ny("2026-06-13T22:00:00")));
        assertTrue(hours.isOpen(ny("2026-06-14T01:59:59")), "Sunday small hours");
        assertFalse(hours.isOpen(ny("2026-06-14T02:00:00")));
        assertFalse(hours.isOpen(ny("2026-06-12T23:00:00")), "Friday night is not Saturday");
        assertFalse(hours.isOpen(ny("2026-06-13T01:00:00")), "Saturday small hours belong to Friday");
    }

    @Test
    void springForwardGapMovesLocalTimesForward() {
        // 2026-03-08: at 02:00 EST clocks jump to 03:00 EDT (07:00Z); 02:00-02:59 do not exist.
        BusinessHours across = BusinessHours.of(List.of(range(Set.of(SUNDAY), "01:00", "03:00")), NEW_YORK);
        assertTrue(across.isOpen(utc("2026-03-08T06:00:00Z")), "01:00 EST");
        assertTrue(across.isOpen(utc("2026-03-08T06:59:59Z")));
        assertFalse(across.isOpen(utc("2026-03-08T07:00:00Z")), "03:00 EDT: one real hour later");
        BusinessHours inGap = BusinessHours.of(List.of(range(Set.of(SUNDAY), "02:30", "04:00")), NEW_YORK);
        assertFalse(inGap.isOpen(utc("2026-03-08T07:29:59Z")));
        assertTrue(inGap.isOpen(utc("2026-03-08T07:30:00Z")), "02:30 does not exist: opens at 03:30 EDT");
        assertFalse(inGap.isOpen(utc("2026-03-08T08:00:00Z")), "closes 04:00 EDT");
        BusinessHours overnight = BusinessHours.of(List.of(range(Set.of(SATURDAY), "22:00", "02:00")), NEW_YORK);
        assertTrue(overnight.isOpen(utc("2026-03-08T03:00:00Z")), "22:00 EST Saturday");
        assertTrue(overnight.isOpen(utc("2026-03-08T06:59:59Z")), "01:59:59 EST Sunday");
        assertFalse(overnight.isOpen(utc("2026-03-08T07:00:00Z")), "02:00 does not exist: closes 03:00 EDT");
    }

    @Test
    void fallBackOverlapUsesTheFirstOccurrence() {
        // 2026-11-01: at 02:00 EDT clocks go back to 01:00 EST; 01:00-01:59 happen twice.
        BusinessHours untilTwo = BusinessHours.of(List.of(range(Set.of(SUNDAY), "00:00", "02:00")), NEW_YORK);
        assertTrue(untilTwo.isOpen(utc("2026-11-01T04:00:00Z")), "00:00 EDT");
        assertTrue(untilTwo.isOpen(utc("2026-11-01T06:59:59Z")), "01:59:59 EST (second pass)");
        assertFalse(untilTwo.isOpen(utc("2026-11-01T07:00:00Z")), "02:00 EST: three real hours after opening");
        BusinessHours fromOneThirty = BusinessHours.of(List.of(range(Set.of(SUNDAY), "01:30", "03:00")), NEW_YORK);
        assertFalse(fromOneThirty.isOpen(utc("2026-11-01T05:29:59Z")));
        assertTrue(fromOneThirty.isOpen(utc("2026-11-01T05:30:00Z")), "01:30 EDT, the first 01:30");
        assertTrue(fromOneThirty.isOpen(utc("2026-11-01T07:59:59Z")));
        assertFalse(fromOneThirty.isOpen(utc("2026-11-01T08:00:00Z")), "03:00 EST");
    }

    @Test
    void adjacentRangesMergeAndMidnightCloses() {
        BusinessHours hours = BusinessHours.of(List.of(
                range(Set.of(MONDAY), "00:00", "24:00"), range(Set.of(TUESDAY), "00:00", "12:00")), NEW_YORK);
        assertTrue(hours.isOpen(ny("2026-03-09T23:59:59")));
        assertTrue(hours.isOpen(ny("2026-03-10T00:00:00")));
        assertEquals(ny("2026-03-10T12:00:00"), hours.nextChangeMs(ny("2026-03-09T01:00:00")), "one open span");
        assertFalse(hours.isOpen(ny("2026-03-08T23:59:59")));
    }

    @Test
    void answersStayRightWhenTimeGoesBackwards() {
        BusinessHours hours = BusinessHours.of(List.of(range(Set.of(MONDAY), "09:00", "17:00")), NEW_YORK);
        assertTrue(hours.isOpen(ny("2026-03-09T10:00:00")));
        assertFalse(hours.isOpen(ny("2026-03-09T08:00:00")));
        assertTrue(hours.isOpen(ny("2026-03-09T16:00:00")));
        assertFalse(hours.isOpen(ny("2026-03-02T08:00:00")));
        assertTrue(hours.isOpen(ny("2026-03-02T09:30:00")));
    }

    @Test
    void noRangesMeansAlwaysOpen() {
        BusinessHours hours = BusinessHours.of(List.of(), NEW_YORK);
        assertTrue(hours.alwaysOpen());
        assertTrue(hours.isOpen(0));
        assertTrue(hours.isOpen(utc("2026-11-01T06:30:00Z")));
        assertEquals(Long.MAX_VALUE, hours.nextChangeMs(0));
    }
}
