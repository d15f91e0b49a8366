package org.callrouter.loadtest.plan;

/**
 * How many calls the carrier may have placed by a moment: what the {@link RatePlan} has due,
 * bounded by the call limit and by a catch-up limit. After a stall (a GC pause, CPU taken by the
 * router under test) at most {@code catchUpNs} worth of the fastest step's calls leave per tick:
 * a burst of hundreds of INVITEs at once would overflow a router's socket buffer and measure the
 * stall rather than the router. How late calls leave shows in the pacing lag.
 */
public final class Pacer {

    private final RatePlan plan;
    private final long maxCalls;
    private final long maxBurst;

    /**
     * @param maxCalls  the most calls to place (Long.MAX_VALUE: the plan decides)
     * @param catchUpNs how much of the fastest rate may leave in one tick (at least 4 calls)
     */
    public Pacer(RatePlan plan, long maxCalls, long catchUpNs) {
        this.plan = plan;
        this.maxCalls = maxCalls;
        long fastest = plan.steps().stream().mapToLong(RatePlan.Step::cps).max().orElse(1);
        this.maxBurst = Math.max(4, fastest * catchUpNs / 1_000_000_000L);
    }

    /** The most calls one tick places. */
    public long maxBurst() {
        return maxBurst;
    }

    /** How many calls may have been placed by {@code elapsedNs} after the start, {@code placed} being placed. */
    public long allowed(long elapsedNs, long placed) {
        return Math.min(Math.min(plan.callsDueBy(elapsedNs), maxCalls), placed + maxBurst);
    }

    /** Whether nothing more will be placed: the plan is over or the call limit reached. */
    public boolean done(long elapsedNs, long placed) {
        return elapsedNs >= plan.totalNs() || placed >= maxCalls;
    }
}
