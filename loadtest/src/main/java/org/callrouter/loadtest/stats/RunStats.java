package org.callrouter.loadtest.stats;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.ToLongFunction;
import org.callrouter.loadtest.plan.RatePlan;

/**
 * Everything the carrier side measures in one run: a {@link StepStats} per step of the rate plan,
 * the pacer's lag behind its schedule, retransmissions, and messages that matched no call.
 * Updated on the event loop; read by the loop for live progress and by the main thread once the
 * loop has stopped.
 */
public final class RunStats {

    private final List<StepStats> steps;
    private final LatencyHistogram pacingLag = new LatencyHistogram();
    private final LatencyHistogram recentSetup = new LatencyHistogram();
    private final Counts retransmissions = new Counts();
    private final Counts unexpected = new Counts();

    /** Statistics for the steps of {@code plan}. */
    public RunStats(RatePlan plan) {
        List<StepStats> list = new ArrayList<>(plan.stepCount());
        for (int i = 0; i < plan.stepCount(); i++) {
            list.add(new StepStats(i, plan.cps(i), plan.steps().get(i).warmup()));
        }
        this.steps = Collections.unmodifiableList(list);
    }

    /** The statistics of step {@code i}. */
    public StepStats step(int i) {
        return steps.get(i);
    }

    /** All steps in plan order. */
    public List<StepStats> steps() {
        return steps;
    }

    /**
     * The steps after the warm-up merged: the whole run, offered at their mean rate (the whole
     * plan's when it is all warm-up).
     */
    public StepStats total(RatePlan plan) {
        long calls = 0;
        long ns = 0;
        for (RatePlan.Step step : plan.steps()) {
            if (!step.warmup()) {
                calls += step.calls();
                ns += step.durationNs();
            }
        }
        StepStats total = new StepStats(-1, ns == 0 ? 0 : calls * 1e9 / ns, false);
        for (StepStats s : steps) {
            if (!s.warmup()) {
                total.add(s);
            }
        }
        return total;
    }

    /** How late each INVITE left against the plan's schedule. */
    public LatencyHistogram pacingLag() {
        return pacingLag;
    }

    /** Setup latencies since the last progress line (the progress meter resets it). */
    public LatencyHistogram recentSetup() {
        return recentSetup;
    }

    /** Retransmitted requests by method, and ACKs re-sent for retransmitted final answers. */
    public Counts retransmissions() {
        return retransmissions;
    }

    /** Messages the carrier side could not place: unparseable, or for no call of this run. */
    public Counts unexpected() {
        return unexpected;
    }

    /** Sums a counter over the steps, warm-up included. */
    public long sum(ToLongFunction<StepStats> counter) {
        long n = 0;
        for (StepStats s : steps) {
            n += counter.applyAsLong(s);
        }
        return n;
    }
}
