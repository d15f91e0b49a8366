package org.callrouter.loadtest.report;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.callrouter.loadtest.stats.LatencySummary;

/** The end-of-run tables: one row per step and the total, then latencies, handlers and anything odd. */
public final class ResultTable {

    private ResultTable() {
    }

    /** Prints {@code s} to {@code out}. */
    public static void print(RunSummary s, PrintStream out) {
        out.println();
        if (s.total() != null) {
            printSteps(s, out);
            printLatencies(s, out);
        }
        if (!s.handlers().isEmpty()) {
            printHandlers(s, out);
        }
        printOdd("carrier retransmissions", s.retransmissions(), out);
        printOdd("carrier: unexpected messages", s.unexpected(), out);
        printOdd("errors", s.errors(), out);
        GeneratorUsage g = s.generator();
        out.printf(Locale.ROOT,
                "generator (%s): %.2f s CPU (event loop %.2f s), %d GCs taking %d ms, heap %d MiB; wall %.2f s%s%n",
                s.transport(), g.cpuSeconds(), g.loopCpuSeconds(), g.gcCount(), g.gcMillis(), g.heapUsedMiB(),
                s.wallSeconds(),
                s.interrupted() ? " (interrupted)" : "");
    }

    private static void printSteps(RunSummary s, PrintStream out) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"step", "offered/s", "sent/s", "attempted", "answered", "achieved/s", "completed",
            "canceled", "shed", "failed", "failover", "clean", "failures"});
        for (StepSummary st : s.steps()) {
            rows.add(stepRow(stepName(st), st));
        }
        rows.add(stepRow("total", s.total()));
        printRows(rows, out);
        out.println("max clean rate: " + (s.maxCleanCps() == null ? "none" : s.maxCleanCps() + " calls/s")
                + "; most calls active at once: " + s.maxActiveCalls());
        LatencySummary lag = s.pacingLagMs();
        if (lag != null) {
            out.printf(Locale.ROOT, "pacing lag (INVITE sent behind schedule): p99 %.3f ms, max %.3f ms%n", lag.p99(),
                    lag.max());
        }
    }

    private static String stepName(StepSummary st) {
        return st.warmup() ? "warm-up" : String.valueOf(st.step());
    }

    private static String[] stepRow(String name, StepSummary st) {
        return new String[] {name, fmt(st.offeredCps()), fmt(st.attemptedCps()), String.valueOf(st.attempted()),
            String.valueOf(st.answered()), fmt(st.achievedCps()), String.valueOf(st.completed()),
            String.valueOf(st.canceled()), String.valueOf(st.shed()), String.valueOf(st.failed()),
            String.valueOf(st.failovers()), st.clean() ? "yes" : "NO", joined(st.failures())};
    }

    private static void printLatencies(RunSummary s, PrintStream out) {
        out.println();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"latency (ms)", "step", "count", "p50", "p90", "p99", "p99.9", "max"});
        for (StepSummary st : s.steps()) {
            latencyRows(rows, stepName(st), st);
        }
        latencyRows(rows, "total", s.total());
        printRows(rows, out);
        out.println("setup: INVITE sent -> 2xx received at the carrier. router added: setup minus the answering"
                + " handler's own time (INVITE received -> 200 sent), same clock.");
    }

    private static void latencyRows(List<String[]> rows, String step, StepSummary st) {
        latencyRow(rows, "setup", step, st.setupMs());
        latencyRow(rows, "router added", step, st.routerAddedMs());
        latencyRow(rows, "first response", step, st.firstResponseMs());
    }

    private static void latencyRow(List<String[]> rows, String name, String step, LatencySummary l) {
        if (l == null) {
            return;
        }
        rows.add(new String[] {name, step, String.valueOf(l.count()), ms(l.p50()), ms(l.p90()), ms(l.p99()),
            ms(l.p999()), ms(l.max())});
    }

    private static void printHandlers(RunSummary s, PrintStream out) {
        out.println();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"handler", "INVITEs", "retrans in", "answered", "no-answer", "busy", "canceled",
            "ACKs", "ACK timeouts", "BYEs", "open", "unexpected"});
        for (HandlerSummary h : s.handlers()) {
            rows.add(new String[] {String.valueOf(h.port()), String.valueOf(h.invites()),
                String.valueOf(h.inviteRetransmissions()), String.valueOf(h.answered()), String.valueOf(h.noAnswer()),
                String.valueOf(h.busy()), String.valueOf(h.canceled()), String.valueOf(h.acks()),
                String.valueOf(h.ackTimeouts()), String.valueOf(h.byes()), String.valueOf(h.openCalls()),
                joined(h.unexpected())});
        }
        printRows(rows, out);
    }

    private static void printOdd(String title, Map<String, Long> counts, PrintStream out) {
        if (counts != null && !counts.isEmpty()) {
            out.println(title + ": " + joined(counts));
        }
    }

    private static void printRows(List<String[]> rows, PrintStream out) {
        int[] widths = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                if (i > 0) {
                    sb.append("  ");
                }
                String cell = r[i];
                // text left, numbers right
                boolean left = i == 0 || i == r.length - 1 && !cell.isEmpty() && !Character.isDigit(cell.charAt(0));
                sb.append(left ? pad(cell, widths[i], true) : pad(cell, widths[i], false));
            }
            out.println(sb.toString().stripTrailing());
        }
    }

    private static String pad(String s, int width, boolean left) {
        String fill = " ".repeat(width - s.length());
        return left ? s + fill : fill + s;
    }

    /** {@code a=1 b=2}, or empty. */
    static String joined(Map<String, Long> counts) {
        StringBuilder sb = new StringBuilder();
        counts.forEach((k, v) -> sb.append(sb.length() > 0 ? " " : "").append(k).append('=').append(v));
        return sb.toString();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
