package org.callrouter.loadtest.report;

import java.util.List;
import java.util.Locale;
import org.callrouter.loadtest.carrier.CarrierSide;
import org.callrouter.loadtest.handler.HandlerPort;
import org.callrouter.loadtest.plan.RatePlan;
import org.callrouter.loadtest.stats.LatencyHistogram;
import org.callrouter.loadtest.stats.RunStats;
import org.callrouter.loadtest.stats.StepStats;
import org.callrouter.term.ProgressLine;

/**
 * The live progress line, once a second, from the event loop, drawn by a {@link ProgressLine}:
 * the calls placed (of the plan's total) and their rate, then what was offered and answered in the
 * last second, calls under way, the totals of failures and shed calls, the setup latency of the
 * last second, and what the handlers received. A handler-only run counts the INVITEs received.
 */
public final class ProgressMeter {

    private final ProgressLine line;
    private final long total;
    private final long startNs;
    private final RatePlan plan;
    private final CarrierSide carrier;
    private final RunStats stats;
    private final List<HandlerPort> handlers;
    private long lastNs;
    private long lastAnswered;
    private long lastInvites;
    private long done;
    private String detail = "";

    /**
     * A meter drawing on {@code line}, started at {@code startNs}; {@code carrier}, {@code stats}
     * and {@code plan} are null in a handler-only run, {@code maxCalls} then does not apply
     * ({@link Long#MAX_VALUE}: no limit).
     */
    public ProgressMeter(ProgressLine line, long startNs, RatePlan plan, long maxCalls, CarrierSide carrier,
            RunStats stats, List<HandlerPort> handlers) {
        this.line = line;
        this.total = plan == null ? -1 : Math.min(plan.totalCalls(), maxCalls);
        this.startNs = startNs;
        this.lastNs = startNs;
        this.plan = plan;
        this.carrier = carrier;
        this.stats = stats;
        this.handlers = handlers;
    }

    /** Draws the line for the second ending at {@code nowNs}. */
    public void print(long nowNs) {
        measure(nowNs);
        line.update(done, total, detail);
    }

    /** Draws the last line, with the counts at {@code nowNs}, and ends it. */
    public void finish(long nowNs) {
        measure(nowNs);
        line.finish(done, total, detail);
    }

    /** Takes the counts at {@code nowNs}: what is done, and the detail of the time since the last. */
    private void measure(long nowNs) {
        double secs = Math.max(nowNs - lastNs, 1) / 1e9;
        StringBuilder sb = new StringBuilder(160);
        if (carrier != null) {
            long attempted = stats.sum(StepStats::attemptedCount);
            long answered = stats.sum(StepStats::answeredCount);
            int step = plan.stepAt(nowNs - startNs);
            LatencyHistogram recent = stats.recentSetup();
            sb.append(String.format(Locale.ROOT,
                    "offered %s | answered %.0f/s | active %d | completed %d | failed %d | shed %d",
                    carrier.offering() && step >= 0 ? plan.cps(step) + "/s" : "-", (answered - lastAnswered) / secs,
                    carrier.activeCalls(), stats.sum(StepStats::completedCount),
                    stats.sum(StepStats::failedCount), stats.sum(StepStats::shedCount)));
            if (recent.count() > 0) {
                sb.append(String.format(Locale.ROOT, " | setup p50 %.2f p99 %.2f ms", recent.percentileNs(50) / 1e6,
                        recent.percentileNs(99) / 1e6));
            }
            recent.reset();
            lastAnswered = answered;
            done = attempted;
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
                sb.append(String.format(Locale.ROOT, "handlers answered %d | open calls %d",
                        handlers.stream().mapToLong(h -> h.stats().answered()).sum(), open));
                done = invites;
            } else {
                sb.append(String.format(Locale.ROOT, " | handler INVITEs %.0f/s", (invites - lastInvites) / secs));
            }
            lastInvites = invites;
        }
        lastNs = nowNs;
        detail = sb.toString();
    }
}
