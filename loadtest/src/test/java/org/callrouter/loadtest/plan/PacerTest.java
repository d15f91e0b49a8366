package org.callrouter.loadtest.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PacerTest {

    private static final long S = 1_000_000_000L;
    private static final long MS = 1_000_000L;

    @Test
    void onScheduleItAllowsWhatThePlanHasDue() {
        Pacer p = new Pacer(RatePlan.constant(1000, 10 * S), Long.MAX_VALUE, 5 * MS);
        assertEquals(1, p.allowed(0, 0));
        assertEquals(2, p.allowed(MS, 1));
        assertEquals(5001, p.allowed(5 * S, 4999));
    }

    @Test
    void afterAStallItCatchesUpFiveMillisecondsOfTheFastestRatePerTick() {
        Pacer p = new Pacer(RatePlan.ramp(List.of(1000L, 4000L), 10 * S), Long.MAX_VALUE, 5 * MS);
        assertEquals(20, p.maxBurst());
        // 100 ms stalled at the start: 101 calls due, 20 allowed now, 20 more at the next tick
        assertEquals(20, p.allowed(100 * MS, 0));
        assertEquals(40, p.allowed(101 * MS, 20));
        assertEquals(102, p.allowed(101 * MS, 100));
    }

    @Test
    void slowRatesStillCatchUpFourCallsATick() {
        assertEquals(4, new Pacer(RatePlan.constant(10, 10 * S), Long.MAX_VALUE, 5 * MS).maxBurst());
    }

    @Test
    void theCallLimitAndThePlanEndStopIt() {
        Pacer p = new Pacer(RatePlan.constant(1000, 10 * S), 250, 5 * MS);
        assertEquals(245, p.allowed(5 * S, 240), "five calls a tick at 1,000 calls/s");
        assertEquals(250, p.allowed(5 * S, 248));
        assertFalse(p.done(5 * S, 249));
        assertTrue(p.done(5 * S, 250));
        assertTrue(new Pacer(RatePlan.constant(1000, 10 * S), Long.MAX_VALUE, 5 * MS).done(10 * S, 0));
    }
}
