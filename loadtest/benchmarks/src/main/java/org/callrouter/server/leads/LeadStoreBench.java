package org.callrouter.server.leads;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import org.callrouter.routing.config.AttributionConfig;
import org.callrouter.routing.lead.CreditModel;
import org.callrouter.routing.lead.Identity;
import org.callrouter.routing.lead.IdentityKind;
import org.callrouter.routing.lead.ReportDimension;
import org.callrouter.routing.lead.ReportSpec;
import org.callrouter.server.records.JournalPosition;

/**
 * The lead store's figures on embedded DuckDB (loadtest README, "Lead store"): ingest rate
 * through {@link LeadStore#ingest}, a grouped report over a table of many call rows, and lead
 * lookups by phone and email. A plain main with wall-clock timing (the operations take
 * milliseconds to seconds; JMH's machinery adds nothing there).
 *
 * <pre>
 * java -cp loadtest/benchmarks/target/benchmarks.jar org.callrouter.server.leads.LeadStoreBench \
 *     [--ingest 200000] [--rows 10000000] [--dir /tmp/leads-bench] [--reuse]
 * </pre>
 * {@code --reuse} measures reports and lookups on the database a previous run left in {@code --dir}.
 */
public final class LeadStoreBench {

    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00Z
    private static final int BATCH = 5000;
    private static final int REPEATS = 5;

    private LeadStoreBench() {
    }

    public static void main(String[] args) throws Exception {
        int ingestCalls = Integer.parseInt(option(args, "--ingest", "200000"));
        long rows = Long.parseLong(option(args, "--rows", "10000000"));
        Path dir = Path.of(option(args, "--dir", Files.createTempDirectory("leads-bench").toString()));
        Files.createDirectories(dir);
        Path file = dir.resolve(LeadStores.DEFAULT_FILE);
        System.out.printf("DuckDB file %s, memory_limit 512MB, threads 2, %d cores%n", file,
                Runtime.getRuntime().availableProcessors());
        if (!Arrays.asList(args).contains("--reuse")) {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir.resolve(LeadStores.DEFAULT_FILE + ".wal"));
            try (JdbcLeadStore store = LeadStores.open(StoreSettings.DEFAULT, dir, AttributionConfig.DEFAULT,
                    Clock.systemUTC())) {
                ingest(store, ingestCalls);
            }
            fill(file, rows - ingestCalls);
        }
        try (JdbcLeadStore store = LeadStores.open(StoreSettings.DEFAULT, dir, AttributionConfig.DEFAULT,
                Clock.systemUTC())) {
            System.out.printf("call rows: %,d%n", store.report(new ReportSpec(List.of(), ZoneId.of("UTC"), 0,
                    Long.MAX_VALUE, Map.of()), CreditModel.FIRST_TOUCH).get(0).calls());
            report(store, "group by campaign", List.of(ReportDimension.CAMPAIGN), ZoneId.of("UTC"));
            report(store, "group by campaign, day (America/New_York)",
                    List.of(ReportDimension.CAMPAIGN, ReportDimension.DAY), ZoneId.of("America/New_York"));
            report(store, "group by utm_source, hour (Asia/Kolkata)",
                    List.of(ReportDimension.UTM_SOURCE, ReportDimension.HOUR), ZoneId.of("Asia/Kolkata"));
            lookups(store, IdentityKind.PHONE, i -> "+1555" + String.format("%07d", i), ingestCalls / 2);
            lookups(store, IdentityKind.EMAIL, i -> "buyer" + i + "@example.com", 1000);
        }
    }

    private static String option(String[] args, String name, String dflt) {
        int at = Arrays.asList(args).indexOf(name);
        return at >= 0 && at + 1 < args.length ? args[at + 1] : dflt;
    }

    /** Calls from {@code n/2} callers (so half link to an existing lead), a third through a visitor session. */
    private static void ingest(JdbcLeadStore store, int n) {
        SplittableRandom random = new SplittableRandom(42);
        long start = System.nanoTime();
        for (int from = 0; from < n; from += BATCH) {
            List<CallRow> calls = new ArrayList<>(BATCH);
            List<VisitRow> visits = new ArrayList<>();
            for (int i = from; i < Math.min(n, from + BATCH); i++) {
                long at = T0 + i * 50L;
                String visitor = i % 3 == 0 ? "v" + i : null;
                if (visitor != null) {
                    visits.add(new VisitRow(visitor, "pool1", "camp" + i % 20, at - 60_000,
                            Map.of("utm_source", "src" + i % 7, "landing_page", "https://example.com/p" + i % 5)));
                }
                String caller = "+1555" + String.format("%07d", random.nextInt(Math.max(1, n / 2)));
                String id = "c" + Long.toHexString(at) + String.format("%010d", i);
                Map<String, String> tags = visitor == null ? Map.of()
                        : Map.of("utm_source", "src" + i % 7, "landing_page", "https://example.com/p" + i % 5);
                calls.add(new CallRow(id, at, at + 4000, at + 64_000, "completed", 200, "camp" + i % 20, "s" + i % 4,
                        "h" + i % 10, caller, "+18005550100", true, i % 4 == 0, true, new BigDecimal("12.50"),
                        new BigDecimal("10.00"), 60_000, visitor, null, null, tags,
                        "{\"record\":\"call\",\"id\":\"" + id + "\"}", List.of("h" + i % 10)));
            }
            store.ingest(new IngestBatch("bench", calls, List.of(), visits, List.of(),
                    Map.of("calls", new JournalPosition("calls-2026-01-01.jsonl", from))));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("ingest: %,d calls (+%,d visits) in %.1f s = %,.0f calls/s (batches of %d)%n", n, n / 3,
                seconds, n / seconds, BATCH);
        for (int i = 0; i < 1000; i++) {
            store.recordSale(new SaleInput("buyer" + i + "@example.com", "+1555" + String.format("%07d", i), null, null,
                    new BigDecimal("99.00"), "USD", "o" + i, T0 + 3_600_000L * i), "bench");
        }
    }

    /** Adds call rows straight through SQL (the report's table, not the ingest path, is measured). */
    private static void fill(Path file, long rows) throws SQLException {
        if (rows <= 0) {
            return;
        }
        long start = System.nanoTime();
        java.util.Properties p = new java.util.Properties();
        p.setProperty("memory_limit", "512MB");
        p.setProperty("threads", "2");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file, p); Statement s = c.createStatement()) {
            long chunk = 1_000_000;
            for (long done = 0; done < rows; done += chunk) {
                long n = Math.min(chunk, rows - done);
                s.execute("INSERT INTO calls SELECT 'f' || (r + " + done + "), 'bench', " + (T0 + 1_000_000_000L)
                        + " + (r + " + done + ") * 250, (" + (T0 + 1_000_000_000L) + " + (r + " + done + ") * 250) // 900000, "
                        + "NULL, NULL, CASE WHEN r % 5 = 0 THEN 'no-answer' ELSE 'completed' END, 200, "
                        + "'camp' || (r % 20), 's' || (r % 4), 'h' || (r % 10), '+1555' || (r % 100000), '+18005550100', "
                        + "r % 5 <> 0, r % 4 = 0, TRUE, 12.5, 10.0, (r % 600) * 1000, NULL, 'src' || (r % 7), NULL, NULL, "
                        + "NULL, ' h1 ', '{}' FROM range(" + n + ") t(r)");
            }
            s.execute("CHECKPOINT");
        }
        System.out.printf("fill: %,d rows by INSERT .. SELECT in %.1f s%n", rows, (System.nanoTime() - start) / 1e9);
    }

    private static void report(JdbcLeadStore store, String name, List<ReportDimension> groupBy, ZoneId zone) {
        ReportSpec spec = new ReportSpec(groupBy, zone, 0, Long.MAX_VALUE, Map.of());
        long[] ns = new long[REPEATS];
        int rows = 0;
        for (int i = 0; i < REPEATS; i++) {
            long start = System.nanoTime();
            rows = store.report(spec, CreditModel.FIRST_TOUCH).size();
            ns[i] = System.nanoTime() - start;
        }
        Arrays.sort(ns);
        System.out.printf("report %s: %d rows, min %.0f ms, median %.0f ms, max %.0f ms (%d runs)%n", name, rows,
                ns[0] / 1e6, ns[REPEATS / 2] / 1e6, ns[REPEATS - 1] / 1e6, REPEATS);
    }

    private static void lookups(JdbcLeadStore store, IdentityKind kind, java.util.function.IntFunction<String> value,
                                int distinct) {
        SplittableRandom random = new SplittableRandom(7);
        int n = 2000;
        long[] ns = new long[n];
        long[] viewNs = new long[n];
        int found = 0;
        for (int i = 0; i < n; i++) {
            Identity identity = new Identity(kind, value.apply(random.nextInt(Math.max(1, distinct))));
            long start = System.nanoTime();
            Optional<String> lead = store.leadOf(identity);
            ns[i] = System.nanoTime() - start;
            if (lead.isPresent()) {
                found++;
                store.lead(lead.get()).orElseThrow();
            }
            viewNs[i] = System.nanoTime() - start;
        }
        Arrays.sort(ns);
        Arrays.sort(viewNs);
        System.out.printf("lookup by %s: %d lookups (%d found), lead id: median %.2f ms, p99 %.2f ms, max %.2f ms; "
                + "lead id + full lead view: median %.2f ms, p99 %.2f ms%n", kind.wireName(), n, found, ns[n / 2] / 1e6,
                ns[n * 99 / 100] / 1e6, ns[n - 1] / 1e6, viewNs[n / 2] / 1e6, viewNs[n * 99 / 100] / 1e6);
    }
}
