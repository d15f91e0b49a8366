package org.callrouter.routing.caps;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;

import org.callrouter.routing.config.CapTrigger;
import org.callrouter.routing.config.Caps;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CapCountersTest {

    private static final WindowClock NEW_YORK = new WindowClock(ZoneId.of("America/New_York"));

    /** Cells in memory, as the store would hold them. */
    private static final class MemoryCells implements CounterCells {
        final long[] values = new long[4];

        @Override
        public void load(long[] packed) {
            System.arraycopy(values, 0, packed, 0, values.length);
        }

        @Override
        public void store(long[] packed) {
            System.arraycopy(packed, 0, values, 0, values.length);
        }
    }

    private static long[] at(String instant) {
        long[] ids = new long[4];
        NEW_YORK.windowIds(Instant.parse(instant).toEpochMilli(), ids);
        return ids;
    }

    private static int take(CapCounters counters, Caps caps, String instant) {
        return counters.tryAcquire(at(instant), caps, true);
    }

    @Test
    void hourlyCapResetsAtTheNextClockHour() {
        Caps caps = new Caps(Caps.NONE, 2, Caps.NONE, Caps.NONE, Caps.NONE, CapTrigger.ROUTED);
        CapCounters counters = new CapCounters(new MemoryCells());
        assertEquals(CapCounters.GRANTED, take(counters, caps, "2026-06-01T14:00:00Z"));
        assertEquals(CapCounters.GRANTED, take(counters, caps, "2026-06-01T14:30:00Z"));
        assertEquals(CapWindow.HOURLY.ordinal(), take(counters, caps, "2026-06-01T14:59:59.999Z"));
        assertEquals(CapCounters.GRANTED, take(counters, caps, "2026-06-01T15:00:00Z"));
    }

    @Test
    void dailyCapOnTheDaylightSavingDays() {
        Caps caps = new Caps(Caps.NONE, Caps.NONE, 2, Caps.NONE, Caps.NONE, CapTrigger.ROUTED);
        CapCounters spring = new CapCounters(new MemoryCells());
        assertEquals(CapCounters.GRANTED, take(spring, caps, "2026-03-08T05:00:00Z"));
        assertEquals(CapCounters.GRANTED, take(spring, caps, "2026-03-08T20:00:00Z"));
        assertEquals(CapWindow.DAILY.ordinal(), take(spring, caps, "2026-03-09T03:59:59Z"),
                "23:59:59 EDT: still the 23-hour day");
        assertEquals(CapCounters.GRANTED, take(spring, caps, "2026-03-09T04:00:00Z"), "midnight EDT: a new day");

        CapCounters fall = new CapCounters(new MemoryCells());
        assertEquals(CapCounters.GRANTED, take(fall, caps, "2026-11-01T04:00:00Z"));
        assertEquals(CapCounters.GRANTED, take(fall, caps, "2026-11-01T06:30:00Z"));
        assertEquals(CapWindow.DAILY.ordinal(), take(fall, caps, "2026-11-02T04:59:59Z"),
                "23:59:59 EST: still the 25-hour day");
        assertEquals(CapCounters.GRANTED, take(fall, caps, "2026-11-02T05:00:00Z"));
    }

    @Test
    void hourlyCapCountsTheRepeatedHourTwice() {
        Caps caps = new Caps(Caps.NONE, 1, Caps.NONE, Caps.NONE, Caps.NONE, CapTrigger.ROUTED);
        CapCounters counters = new CapCounters(new MemoryCells());
        assertEquals(CapCounters.GRANTED, take(counters, caps, "2026-11-01T05:10:00Z"), "01:10 EDT");
        assertEquals(CapWindow.HOURLY.ordinal(), take(counters, caps, "2026-11-01T05:50:00Z"));
        assertEquals(CapCounters.GRANTED, take(counters, caps, "2026-11-01T06:10:00Z"), "01:10 EST is another hour");
    }

    @Test
    void monthlyCapAndTotalCap() {
        Caps caps = new Caps(Caps.NONE, Caps.NONE, Caps.NONE, 1, 2, CapTrigger.ROUTED);
        CapCounters counters = new CapCounters(new MemoryCells());
        assertEquals(CapCounters.GRANTED, take(counters, caps, "2026-01-31T12:00:00Z"));
        assertEquals(CapWindow.MONTHLY.ordinal(), take(counters, caps, "2026-02-01T04:59:59Z"), "Jan 31, 23:59:59 EST");
        assertEquals(CapCounters.GRANTED, take(counters, caps, "2026-02-01T05:00:00Z"));
        assertEquals(CapWindow.TOTAL.ordinal(), take(counters, caps, "2026-03-15T12:00:00Z"), "total never resets");
        assertEquals(CapWindow.TOTAL.ordinal(), take(counters, caps, "2027-03-15T12:00:00Z"));
        counters.reset(CapWindow.TOTAL);
        assertEquals(CapCounters.GRANTED, take(counters, caps, "2027-03-15T12:00:00Z"));
    }

    @Test
    void concurrencyCountsLiveCalls() {
        Caps caps = new Caps(2, Caps.NONE, Caps.NONE, Caps.NONE, Caps.NONE, CapTrigger.ROUTED);
        CapCounters counters = new CapCounters(new MemoryCells());
        assertEquals(CapCounters.GRANTED, take(counters, caps, "2026-06-01T14:00:00Z"));
        assertEquals(CapCounters.GRANTED, take(counters, caps, "2026-06-01T14:00:00Z"));
        assertEquals(CapCounters.CONCURRENCY, take(counters, caps, "2026-06-01T14:00:00Z"));
        counters.release(at("2026-06-01T14:00:00Z"), false);
        assertEquals(CapCounters.GRANTED, take(counters, caps, "2026-06-01T14:00:00Z"));
        assertEquals(2, counters.live());
    }

    @Test
    void holdsCountAgainstTheCapUntilCommittedOrReleased() {
        Caps caps = new Caps(Caps.NONE, 2, Caps.NONE, Caps.NONE, Caps.NONE, CapTrigger.CONNECTED);
        CapCounters counters = new CapCounters(new MemoryCells());
        long[] first = at("2026-06-01T14:00:00Z");
        long[] second = at("2026-06-01T14:01:00Z");
        assertEquals(CapCounters.GRANTED, counters.tryAcquire(first, caps, false));
        assertEquals(CapCounters.GRANTED, counters.tryAcquire(second, caps, false));
        assertEquals(CapWindow.HOURLY.ordinal(), counters.tryAcquire(at("2026-06-01T14:02:00Z"), caps, false),
                "two calls ringing fill a cap of two");
        counters.release(first, true);
        assertEquals(1, counters.used(CapWindow.HOURLY, second));
        assertEquals(0, counters.committed(CapWindow.HOURLY, second));
        counters.commitHold(second);
        assertEquals(1, counters.committed(CapWindow.HOURLY, second));
        assertEquals(1, counters.used(CapWindow.HOURLY, second));
    }

    @Test
    void aHoldFromAnEndedWindowNoLongerCounts() {
        Caps caps = new Caps(Caps.NONE, 1, Caps.NONE, Caps.NONE, Caps.NONE, CapTrigger.CONNECTED);
        CapCounters counters = new CapCounters(new MemoryCells());
        long[] beforeTheHour = at("2026-06-01T14:59:50Z");
        long[] afterTheHour = at("2026-06-01T15:00:01Z");
        assertEquals(CapCounters.GRANTED, counters.tryAcquire(beforeTheHour, caps, false));
        assertEquals(CapCounters.GRANTED, counters.tryAcquire(afterTheHour, caps, false), "a new hour starts empty");
        counters.commitHold(beforeTheHour);
        assertEquals(0, counters.committed(CapWindow.HOURLY, afterTheHour), "the 14:00 call counts in the 14:00 hour");
        assertEquals(1, counters.used(CapWindow.HOURLY, afterTheHour));
    }

    @Test
    void committedCountsAreWrittenThroughAndReloaded() {
        MemoryCells cells = new MemoryCells();
        Caps caps = new Caps(Caps.NONE, 5, 5, 5, 5, CapTrigger.ROUTED);
        CapCounters counters = new CapCounters(cells);
        take(counters, caps, "2026-06-01T14:00:00Z");
        take(counters, caps, "2026-06-01T14:10:00Z");
        CapCounters reloaded = new CapCounters(cells);
        long[] now = at("2026-06-01T14:20:00Z");
        for (CapWindow window : CapWindow.values()) {
            assertEquals(2, reloaded.committed(window, now), window.name());
        }
        long[] tomorrow = at("2026-06-02T14:20:00Z");
        assertEquals(0, reloaded.committed(CapWindow.DAILY, tomorrow));
        assertEquals(2, reloaded.committed(CapWindow.MONTHLY, tomorrow));
    }
}
