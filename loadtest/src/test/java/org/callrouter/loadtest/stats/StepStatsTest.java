package org.callrouter.loadtest.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.callrouter.loadtest.plan.RatePlan;
import org.junit.jupiter.api.Test;

class StepStatsTest {

    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;

    @Test
    void theRouterAddedLatencyIsTheSetupMinusTheHandlersOwnTime() {
        StepStats s = new StepStats(0, 100, false);
        // INVITE sent at 1000 ms, handler got it at 1001 ms, answered at 1021 ms, 2xx back at 1023 ms
        s.answered(1023 * MS, 23 * MS, 1001 * MS, 1021 * MS, 1000 * MS);
        assertEquals(23.0, s.setup().summary().p50(), 0.05);
        assertEquals(3.0, s.routerAdded().summary().p50(), 0.01);
        assertEquals(1.0, s.inviteLeg().summary().p50(), 0.01);
        assertEquals(2.0, s.answerLeg().summary().p50(), 0.01);
        assertEquals(0, s.uncorrelatedCount());
    }

    @Test
    void anAnswerNoHandlerOfOursSentCountsAsUncorrelated() {
        StepStats s = new StepStats(0, 100, false);
        s.answered(10 * MS, 5 * MS, 0, 0, 5 * MS);
        assertEquals(1, s.answeredCount());
        assertEquals(1, s.uncorrelatedCount());
        assertEquals(1, s.setup().count());
        assertNull(s.routerAdded().summary());
    }

    @Test
    void theAchievedRateStretchesToTheLastAnswer() {
        StepStats s = new StepStats(0, 100, false);
        s.offerWindow(0, 10 * S);
        for (int i = 0; i < 1000; i++) {
            s.attempted();
            s.answered(i * 10 * MS + MS, MS, 0, 0, i * 10 * MS);
        }
        assertEquals(100.0, s.achievedCps(), 1e-9);
        assertEquals(100.0, s.attemptedCps(), 1e-9);
        assertTrue(s.clean());
        // the same answers arriving up to 2.5 s late: the router fell behind
        s.answered(12_500 * MS, 2500 * MS, 0, 0, 10 * S);
        assertEquals(1001 / 12.5, s.achievedCps(), 1e-9);
        assertFalse(s.clean());
    }

    @Test
    void anyFailureShedOrLimitedCallMakesAStepUnclean() {
        StepStats failed = cleanStep();
        failed.failed("timeout-invite");
        assertFalse(failed.clean());
        assertEquals(Map.of("timeout-invite", 1L), failed.failures().asMap());
        StepStats shed = cleanStep();
        shed.shed();
        assertFalse(shed.clean());
        StepStats limited = cleanStep();
        limited.limited();
        assertFalse(limited.clean());
        assertTrue(cleanStep().clean());
        assertFalse(new StepStats(0, 10, false).clean(), "a step that placed nothing is not clean");
    }

    @Test
    void theTotalMergesTheStepsAfterTheWarmup() {
        RatePlan plan = RatePlan.ramp(List.of(10L, 30L), S).withWarmup(5, S);
        RunStats run = new RunStats(plan);
        run.step(0).attempted();
        run.step(0).failed("status-500");
        for (int i = 1; i <= 2; i++) {
            StepStats s = run.step(i);
            s.offerWindow(i * S, (i + 1) * S);
            s.attempted();
            s.answered((i + 1) * S, i * MS, 0, 0, i * S);
            s.completed();
        }
        run.step(2).failed("timeout-bye");
        StepStats total = run.total(plan);
        assertEquals(20.0, total.offeredCps(), 1e-9);
        assertEquals(2, total.attemptedCount());
        assertEquals(2, total.answeredCount());
        assertEquals(Map.of("timeout-bye", 1L), total.failures().asMap());
        assertEquals(2, total.setup().count());
        assertEquals(1.0, total.achievedCps(), 1e-9);
        assertEquals(3, run.sum(StepStats::attemptedCount));
    }

    @Test
    void latencySummariesRoundToMicroseconds() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 1; i <= 1000; i++) {
            h.record(i * 1000L);
        }
        h.record(-5);
        LatencySummary l = h.summary();
        assertEquals(1001, l.count());
        assertEquals(0.5, l.p50(), 0.001);
        assertEquals(0.99, l.p99(), 0.001);
        assertEquals(1.0, l.max(), 0.001);
        h.reset();
        assertNull(h.summary());
    }

    private static StepStats cleanStep() {
        StepStats s = new StepStats(0, 1, false);
        s.offerWindow(0, S);
        s.attempted();
        s.answered(S / 2, MS, 0, 0, S / 2 - MS);
        s.completed();
        return s;
    }
}
