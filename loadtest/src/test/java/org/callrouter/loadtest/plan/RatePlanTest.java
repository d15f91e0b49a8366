package org.callrouter.loadtest.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RatePlanTest {

    private static final long S = 1_000_000_000L;
    private static final long MS = 1_000_000L;

    @Test
    void aConstantRatePlacesItsCallsEvenlyFromTheStart() {
        RatePlan plan = RatePlan.constant(1000, 10 * S);
        assertEquals(10_000, plan.totalCalls());
        assertEquals(0, plan.callsDueBy(-1));
        assertEquals(1, plan.callsDueBy(0));
        assertEquals(1, plan.callsDueBy(MS - 1));
        assertEquals(2, plan.callsDueBy(MS));
        assertEquals(5001, plan.callsDueBy(5 * S));
        assertEquals(10_000, plan.callsDueBy(10 * S - 1));
        assertEquals(10_000, plan.callsDueBy(20 * S));
    }

    @Test
    void aRampAddsUpItsSteps() {
        RatePlan plan = RatePlan.ramp(List.of(500L, 1000L, 2000L), 10 * S);
        assertEquals(35_000, plan.totalCalls());
        assertEquals(30 * S, plan.totalNs());
        assertEquals(0, plan.stepAt(0));
        assertEquals(0, plan.stepAt(10 * S - 1));
        assertEquals(1, plan.stepAt(10 * S));
        assertEquals(2, plan.stepAt(29 * S));
        assertEquals(-1, plan.stepAt(30 * S));
        assertEquals(5000, plan.callsDueBy(10 * S - 1));
        assertEquals(5001, plan.callsDueBy(10 * S));
        assertEquals(15_000 + 1, plan.callsDueBy(20 * S));
        assertEquals(20 * S, plan.stepStartNs(2));
        assertEquals(30 * S, plan.stepEndNs(2));
    }

    @Test
    void callNIsDueExactlyWhenTheCountPassesN() {
        RatePlan plan = RatePlan.ramp(List.of(3L, 7L, 1000L, 1L), 2 * S);
        for (long n = 0; n < plan.totalCalls(); n++) {
            long t = plan.dueTimeNs(n);
            assertTrue(plan.callsDueBy(t) > n, "call " + n + " not due at its due time " + t);
            assertTrue(plan.callsDueBy(t - 1) <= n, "call " + n + " due before its due time " + t);
            assertEquals(plan.stepAt(t), stepOfCall(plan, n), "call " + n + " falls outside its step");
        }
        assertEquals(-1, plan.dueTimeNs(plan.totalCalls()));
        assertEquals(-1, plan.dueTimeNs(-1));
    }

    @Test
    void randomPlansKeepTheDueTimeInverseExact() {
        long seed = System.nanoTime();
        System.out.println("RatePlanTest seed " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 50; round++) {
            List<Long> rates = new ArrayList<>();
            for (int i = 1 + random.nextInt(5); i > 0; i--) {
                rates.add(1 + random.nextLong(20_000));
            }
            RatePlan plan = RatePlan.ramp(rates, 1 + random.nextLong(3 * S));
            for (int k = 0; k < 200; k++) {
                long n = random.nextLong(plan.totalCalls());
                long t = plan.dueTimeNs(n);
                assertTrue(plan.callsDueBy(t) > n && plan.callsDueBy(t - 1) <= n,
                        "seed " + seed + ": plan " + plan + " call " + n);
            }
        }
    }

    @Test
    void longPlansAtHighRatesDoNotOverflow() {
        RatePlan plan = RatePlan.constant(5_000_000, 24 * 3600 * S);
        assertEquals(5_000_000L * 24 * 3600, plan.totalCalls());
        assertEquals(5_000_000L * 12 * 3600 + 1, plan.callsDueBy(12 * 3600 * S));
        long last = plan.totalCalls() - 1;
        assertTrue(plan.dueTimeNs(last) < plan.totalNs());
    }

    @Test
    void aStepTooShortForOneCallPlacesNone() {
        RatePlan plan = RatePlan.ramp(List.of(1L, 1L), 500 * MS);
        assertEquals(0, plan.totalCalls());
        assertEquals(0, plan.callsDueBy(700 * MS));
    }

    @Test
    void aWarmupGoesFirst() {
        RatePlan plan = RatePlan.constant(1000, 10 * S).withWarmup(200, 5 * S);
        assertEquals(2, plan.stepCount());
        assertTrue(plan.steps().get(0).warmup());
        assertEquals(200, plan.cps(0));
        assertEquals(1000 + 10_000, plan.totalCalls());
        assertEquals(1000, plan.callsDueBy(5 * S - 1));
        assertEquals(plan, plan.withWarmup(200, 0).withWarmup(0, 0));
    }

    @Test
    void rejectsImpossibleSteps() {
        assertThrows(IllegalArgumentException.class, () -> RatePlan.constant(0, S));
        assertThrows(IllegalArgumentException.class, () -> RatePlan.constant(10, 0));
        assertThrows(IllegalArgumentException.class, () -> RatePlan.ramp(List.of(), S));
    }

    private static int stepOfCall(RatePlan plan, long n) {
        long before = 0;
        for (int i = 0; i < plan.stepCount(); i++) {
            before += plan.steps().get(i).calls();
            if (n < before) {
                return i;
            }
        }
        return -1;
    }
}
