package org.callrouter.routing.callback;

import java.time.DayOfWeek;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.callrouter.routing.config.CallbackConfig;
import org.callrouter.routing.config.CallbackTrigger;
import org.callrouter.routing.config.HoursRange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CallbackScheduleTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    static CallbackConfig config(List<Long> intervals, List<HoursRange> hours) {
        return new CallbackConfig(true, EnumSet.allOf(CallbackTrigger.class), 10, 10, 3, intervals, NEW_YORK, hours,
                "out");
    }

    private static long at(int year, int month, int day, int hour, int minute) {
        return ZonedDateTime.of(year, month, day, hour, minute, 0, 0, NEW_YORK).toInstant().toEpochMilli();
    }

    private static final List<HoursRange> WEEKDAYS_9_TO_17 = List.of(new HoursRange(
            EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), 9 * 60, 17 * 60));

    @Test
    void aTryInsideTheHoursIsDueAtItsInterval() {
        CallbackSchedule schedule = new CallbackSchedule(config(List.of(120_000L, 900_000L), WEEKDAYS_9_TO_17));
        long lost = at(2026, 3, 10, 10, 0); // a Tuesday
        assertEquals(at(2026, 3, 10, 10, 2), schedule.tryAtMs(1, lost));
        assertEquals(at(2026, 3, 10, 10, 15), schedule.tryAtMs(2, lost));
        assertEquals(at(2026, 3, 10, 10, 15), schedule.tryAtMs(3, lost), "the last interval repeats");
    }

    @Test
    void aTryDueAfterClosingMovesToTheNextOpeningInTheCampaignsZone() {
        CallbackSchedule schedule = new CallbackSchedule(config(List.of(3_600_000L), WEEKDAYS_9_TO_17));
        // Tuesday 16:30 New York + 1 h = 17:30, closed: Wednesday 09:00 New York (14:00 UTC in March after DST).
        assertEquals(at(2026, 3, 11, 9, 0), schedule.tryAtMs(1, at(2026, 3, 10, 16, 30)));
        // Friday evening: Monday 09:00.
        assertEquals(at(2026, 3, 16, 9, 0), schedule.tryAtMs(1, at(2026, 3, 13, 18, 0)));
    }

    @Test
    void theOpeningFollowsDaylightSavingTime() {
        CallbackSchedule schedule = new CallbackSchedule(config(List.of(60_000L), WEEKDAYS_9_TO_17));
        // Sunday 8 March 2026 is the spring-forward day in New York: Monday 09:00 is 13:00 UTC, not 14:00.
        long friday = at(2026, 3, 6, 20, 0);
        assertEquals(ZonedDateTime.of(2026, 3, 9, 13, 0, 0, 0, ZoneId.of("UTC")).toInstant().toEpochMilli(),
                schedule.tryAtMs(1, friday));
    }

    @Test
    void withoutHoursAnyTimeWill() {
        CallbackSchedule schedule = new CallbackSchedule(config(List.of(2000L), List.of()));
        assertEquals(at(2026, 3, 8, 3, 0) + 2000, schedule.tryAtMs(1, at(2026, 3, 8, 3, 0)));
    }

    @Test
    void overnightHoursOpenAcrossMidnight() {
        CallbackSchedule schedule = new CallbackSchedule(config(List.of(60_000L),
                List.of(new HoursRange(Set.of(DayOfWeek.MONDAY), 22 * 60, 2 * 60))));
        assertEquals(at(2026, 3, 10, 1, 1), schedule.tryAtMs(1, at(2026, 3, 10, 1, 0)), "Tuesday 01:00 is Monday's night");
        assertEquals(at(2026, 3, 16, 22, 0), schedule.tryAtMs(1, at(2026, 3, 10, 3, 0)));
    }
}
