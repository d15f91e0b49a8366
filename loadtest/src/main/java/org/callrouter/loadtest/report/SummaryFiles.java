package org.callrouter.loadtest.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.callrouter.loadtest.stats.LatencySummary;

/**
 * Writes a {@link RunSummary} as JSON (the whole summary) and as CSV (one row per step, then the
 * total, for spreadsheets and plotting).
 */
public final class SummaryFiles {

    /** The CSV columns, in order. */
    public static final List<String> CSV_COLUMNS = List.of("step", "offered_cps", "offered_s", "attempted",
            "attempted_cps", "limited", "answered", "achieved_cps", "completed", "canceled", "shed", "failed",
            "failovers", "clean", "setup_p50_ms", "setup_p99_ms", "setup_p999_ms", "setup_max_ms",
            "router_added_p50_ms", "router_added_p99_ms", "router_added_p999_ms", "router_added_max_ms",
            "first_response_p99_ms", "failures");

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SummaryFiles() {
    }

    /** Writes {@code s} as JSON to {@code file}. */
    public static void writeJson(RunSummary s, Path file) throws IOException {
        JSON.writeValue(file.toFile(), s);
    }

    /** Reads a JSON summary back (for tools and tests). */
    public static RunSummary readJson(Path file) throws IOException {
        return JSON.readValue(file.toFile(), RunSummary.class);
    }

    /** Writes the steps and total of {@code s} as CSV to {@code file}; a handler-only run has only the header. */
    public static void writeCsv(RunSummary s, Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(String.join(",", CSV_COLUMNS));
            w.write('\n');
            if (s.total() == null) {
                return;
            }
            for (StepSummary st : s.steps()) {
                w.write(row(st.warmup() ? "warm-up" : String.valueOf(st.step()), st));
            }
            w.write(row("total", s.total()));
        }
    }

    static String row(String name, StepSummary st) {
        StringBuilder sb = new StringBuilder();
        sb.append(name);
        append(sb, st.offeredCps());
        append(sb, st.offeredSeconds());
        sb.append(',').append(st.attempted());
        append(sb, st.attemptedCps());
        sb.append(',').append(st.limited()).append(',').append(st.answered());
        append(sb, st.achievedCps());
        sb.append(',').append(st.completed()).append(',').append(st.canceled()).append(',').append(st.shed())
                .append(',').append(st.failed()).append(',').append(st.failovers()).append(',').append(st.clean());
        LatencySummary setup = st.setupMs();
        LatencySummary added = st.routerAddedMs();
        LatencySummary first = st.firstResponseMs();
        appendMs(sb, setup == null ? null : setup.p50());
        appendMs(sb, setup == null ? null : setup.p99());
        appendMs(sb, setup == null ? null : setup.p999());
        appendMs(sb, setup == null ? null : setup.max());
        appendMs(sb, added == null ? null : added.p50());
        appendMs(sb, added == null ? null : added.p99());
        appendMs(sb, added == null ? null : added.p999());
        appendMs(sb, added == null ? null : added.max());
        appendMs(sb, first == null ? null : first.p99());
        // reasons hold no comma or quote: "name=count" joined by ';'
        sb.append(',');
        st.failures().forEach((k, v) -> sb.append(sb.charAt(sb.length() - 1) == ',' ? "" : ";").append(k).append('=')
                .append(v));
        return sb.append('\n').toString();
    }

    private static void append(StringBuilder sb, double v) {
        sb.append(',').append(String.format(Locale.ROOT, "%.1f", v));
    }

    private static void appendMs(StringBuilder sb, Double v) {
        sb.append(',');
        if (v != null) {
            sb.append(String.format(Locale.ROOT, "%.3f", v));
        }
    }
}
