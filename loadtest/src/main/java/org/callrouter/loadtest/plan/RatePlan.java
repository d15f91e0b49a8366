package org.callrouter.loadtest.plan;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * When to place calls: a sequence of steps, each a constant rate (calls per second) held for a
 * duration. {@link #callsDueBy(long)} says how many calls should have been placed by a moment,
 * exactly (integer arithmetic, no drift over long runs), so the pacer places
 * {@code callsDueBy(now) - placed} calls at each tick and never accumulates rounding error.
 */
public final class RatePlan {

    private static final long NS_PER_S = 1_000_000_000L;

    /**
     * One step: {@code cps} calls per second for {@code durationNs}; a warm-up step's calls are
     * placed and reported apart, outside the run's totals (the JIT of both the generator and the
     * router under test compiles during the first seconds).
     */
    public record Step(long cps, long durationNs, boolean warmup) {

        /** Checks the values. */
        public Step {
            if (cps < 1) {
                throw new IllegalArgumentException("rate=" + cps + " calls/s must be at least 1");
            }
            if (durationNs < 1) {
                throw new IllegalArgumentException("step duration=" + durationNs + "ns must be positive");
            }
        }

        /** The calls this step places over its whole duration. */
        public long calls() {
            return callsIn(durationNs);
        }

        /** The calls placed in the first {@code elapsedNs} of this step (floor). */
        long callsIn(long elapsedNs) {
            // split to keep cps * ns inside a long for hours at millions of calls/s
            return cps * (elapsedNs / NS_PER_S) + cps * (elapsedNs % NS_PER_S) / NS_PER_S;
        }
    }

    private final List<Step> steps;
    private final long[] startNs;
    private final long[] callsBefore;
    private final long totalNs;
    private final long totalCalls;

    private RatePlan(List<Step> steps) {
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a rate plan needs at least one step");
        }
        this.steps = Collections.unmodifiableList(new ArrayList<>(steps));
        this.startNs = new long[steps.size()];
        this.callsBefore = new long[steps.size()];
        long t = 0;
        long calls = 0;
        for (int i = 0; i < steps.size(); i++) {
            startNs[i] = t;
            callsBefore[i] = calls;
            t = Math.addExact(t, steps.get(i).durationNs());
            calls = Math.addExact(calls, steps.get(i).calls());
        }
        this.totalNs = t;
        this.totalCalls = calls;
    }

    /** A constant rate for {@code durationNs}. */
    public static RatePlan constant(long cps, long durationNs) {
        return new RatePlan(List.of(new Step(cps, durationNs, false)));
    }

    /** Each rate of {@code rates} for {@code stepNs}, in order. */
    public static RatePlan ramp(List<Long> rates, long stepNs) {
        List<Step> steps = new ArrayList<>(rates.size());
        for (long r : rates) {
            steps.add(new Step(r, stepNs, false));
        }
        return new RatePlan(steps);
    }

    /**
     * This plan preceded by a warm-up step of {@code cps} calls per second for {@code durationNs};
     * this plan itself when {@code durationNs} is 0.
     */
    public RatePlan withWarmup(long cps, long durationNs) {
        if (durationNs == 0) {
            return this;
        }
        List<Step> all = new ArrayList<>(steps.size() + 1);
        all.add(new Step(cps, durationNs, true));
        all.addAll(steps);
        return new RatePlan(all);
    }

    /** The steps in order. */
    public List<Step> steps() {
        return steps;
    }

    /** The number of steps. */
    public int stepCount() {
        return steps.size();
    }

    /** The plan's length. */
    public long totalNs() {
        return totalNs;
    }

    /** The calls the whole plan places, warm-up included. */
    public long totalCalls() {
        return totalCalls;
    }

    /** When step {@code i} starts, from the start of the plan. */
    public long stepStartNs(int i) {
        return startNs[i];
    }

    /** When step {@code i} ends, from the start of the plan. */
    public long stepEndNs(int i) {
        return startNs[i] + steps.get(i).durationNs();
    }

    /** The step running {@code elapsedNs} after the start, or -1 before the start or after the end. */
    public int stepAt(long elapsedNs) {
        if (elapsedNs < 0 || elapsedNs >= totalNs) {
            return -1;
        }
        return lastAtMost(startNs, elapsedNs);
    }

    /** The last index of ascending {@code a} whose value is at most {@code key} ({@code a[0] <= key}). */
    private static int lastAtMost(long[] a, long key) {
        int lo = 0;
        int hi = a.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (a[mid] <= key) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /**
     * How many calls are due by {@code elapsedNs} after the start: in each step, call {@code k}
     * (0, 1, 2, ...) is due {@code ceil(k * 1e9 / cps)} ns after the step starts, so the first call
     * of a step leaves as it starts and the last one before it ends; {@link #totalCalls()} after
     * the end.
     */
    public long callsDueBy(long elapsedNs) {
        if (elapsedNs < 0) {
            return 0;
        }
        if (elapsedNs >= totalNs) {
            return totalCalls;
        }
        int i = stepAt(elapsedNs);
        Step step = steps.get(i);
        // call k is due at or before e exactly when k * 1e9 / cps <= e, i.e. k <= floor(e * cps / 1e9)
        return callsBefore[i] + Math.min(step.callsIn(elapsedNs - startNs[i]) + 1, step.calls());
    }

    /**
     * When call number {@code n} (0, 1, 2, ...) is due, from the start (see
     * {@link #callsDueBy(long)}); -1 when the plan never places it. It always falls inside the
     * step that places the call. The pacer's lag behind this moment shows whether the generator
     * kept up with its own schedule.
     */
    public long dueTimeNs(long n) {
        if (n < 0 || n >= totalCalls) {
            return -1;
        }
        int lo = lastAtMost(callsBefore, n);
        // the last step starting with at most n calls before it places call n (a step that
        // places none shares its callsBefore with the next, which wins the search)
        long k = n - callsBefore[lo];
        long cps = steps.get(lo).cps();
        // ceil(k * 1e9 / cps), kept inside a long
        return startNs[lo] + k / cps * NS_PER_S + ((k % cps) * NS_PER_S + cps - 1) / cps;
    }

    /** The offered rate of step {@code i}, calls per second. */
    public long cps(int i) {
        return steps.get(i).cps();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Step s : steps) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(s.warmup() ? "warm-up " : "").append(s.cps()).append(" calls/s for ")
                    .append(Durations.format(s.durationNs()));
        }
        return sb.toString();
    }
}
