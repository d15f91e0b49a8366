package org.callrouter.loadtest.report;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.callrouter.loadtest.carrier.CarrierSide;
import org.callrouter.loadtest.handler.HandlerPort;
import org.callrouter.loadtest.plan.RatePlan;
import org.callrouter.loadtest.stats.LatencyHistogram;
import org.callrouter.loadtest.stats.RunStats;
import org.callrouter.loadtest.stats.StepStats;

/**
 * The live progress line, once a second, from the event loop: what was offered and achieved in
 * the last second, calls under way, the totals of failures and shed calls, the setup latency of
 * the last second, and what the handlers received.
 */
public final class ProgressMeter {

    private final PrintStream out;
    private final long startNs;
    private final RatePlan plan;
    private final CarrierSide carrier;
    private final RunStats stats;
    private final List<HandlerPort> handlers;
    private long lastNs;
    private long lastAttempted;
    private long lastAnswered;
    private long lastInvites;

    /**
     * A meter printing to {@code out}; {@code carrier}, {@code stats} and {@code plan} are null in a
     * handler-only run.
     */
    public ProgressMeter(PrintStream out, long startNs, RatePlan plan, CarrierSide carrier, RunStats stats,
            List<HandlerPort> handlers) {
        this.out = out;
        this.startNs = startNs;
        this.lastNs = startNs;
        this.plan = plan;
        this.carrier = carrier;
        this.stats = stats;
        this.handlers = handlers;
    }

    /** Prints the line for the second ending at {@code nowNs}. */
    public void print(long nowNs) {
        double secs = Math.max(nowNs - lastNs, 1) / 1e9;
        StringBuilder sb = new StringBuilder(160);
        sb.append(String.format(Locale.ROOT, "[%5ds]", (nowNs - startNs) / 1_000_000_000L));
        if (carrier != null) {
            long attempted = stats.sum(StepStats::attemptedCount);
            long answered = stats.sum(StepStats::answeredCount);
            int step = plan.stepAt(nowNs - startNs);
            LatencyHistogram recent = stats.recentSetup();
            sb.append(String.format(Locale.ROOT,
                    " offered %s | sent %.0f/s | answered %.0f/s | active %d | completed %d | failed %d | shed %d",
                    carrier.offering() && step >= 0 ? plan.cps(step) + "/s" : "-", (attempted - lastAttempted) / secs,
                    (answered - lastAnswered) / secs, carrier.activeCalls(), stats.sum(StepStats::completedCount),
                    stats.sum(StepStats::failedCount), stats.sum(StepStats::shedCount)));
            if (recent.count() > 0) {
                sb.append(String.format(Locale.ROOT, " | setup p50 %.2f p99 %.2f ms", recent.percentileNs(50) / 1e6,
                        recent.percentileNs(99) / 1e6));
            }
            recent.reset();
            lastAttempted = attempted;
            lastAnswered = answered;
        }
        if (!handlers.isEmpty()) {
            long invites = 0;
            int open = 0;
            for (HandlerPort h : handlers) {
                invites += h.stats().invites();
            }
            if (carrier == null) {
                for (HandlerPort h : handlers) {
                    open += h.openCalls();
                }
                sb.append(String.format(Locale.ROOT, " handlers: INVITEs %.0f/s | answered %d | open calls %d",
                        (invites - lastInvites) / secs, handlers.stream().mapToLong(h -> h.stats().answered()).sum(),
                        open));
            } else {
                sb.append(String.format(Locale.ROOT, " | handler INVITEs %.0f/s", (invites - lastInvites) / secs));
            }
            lastInvites = invites;
        }
        lastNs = nowNs;
        out.println(sb);
    }
}
