package org.callrouter.loadtest.report;

import java.util.Map;
import org.callrouter.loadtest.stats.LatencySummary;
import org.callrouter.loadtest.stats.StepStats;

/**
 * One step of the rate plan (or the whole run) in the summary files; see the module README for
 * each field. Latencies are in milliseconds; a latency nobody measured is null.
 */
public record StepSummary(Integer step, boolean warmup, double offeredCps, double offeredSeconds, long attempted,
                          double attemptedCps, long limited, long answered, double achievedCps, long completed,
                          long canceled, long shed, long failed, Map<String, Long> failures, long failovers,
                          long uncorrelated, boolean clean, LatencySummary setupMs, LatencySummary firstResponseMs,
                          LatencySummary routerAddedMs, LatencySummary inviteLegMs, LatencySummary answerLegMs) {

    /** The summary of {@code s}. */
    public static StepSummary of(StepStats s) {
        return new StepSummary(s.index() < 0 ? null : s.index(), s.warmup(), round(s.offeredCps()), round(s.offeredSeconds()),
                s.attemptedCount(), round(s.attemptedCps()), s.limitedCount(), s.answeredCount(),
                round(s.achievedCps()), s.completedCount(), s.canceledCount(), s.shedCount(), s.failedCount(),
                s.failures().asMap(), s.failoverCount(), s.uncorrelatedCount(), s.clean(), s.setup().summary(),
                s.firstResponse().summary(), s.routerAdded().summary(), s.inviteLeg().summary(),
                s.answerLeg().summary());
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
