package org.callrouter.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.callrouter.routing.config.AttributionConfig;
import org.callrouter.routing.lead.CreditModel;
import org.callrouter.routing.lead.ReportDimension;
import org.callrouter.routing.lead.ReportRow;
import org.callrouter.routing.lead.ReportSpec;
import org.callrouter.server.leads.JdbcLeadStore;
import org.callrouter.server.leads.LeadStores;
import org.callrouter.server.leads.ReportProgress;
import org.callrouter.server.leads.StoreSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A report over millions of call rows in an embedded DuckDB store, watched through
 * {@link RunningReports} as {@code GET /v1/reports/progress/{id}} watches it.
 */
class RunningReportsTest {

    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00Z
    private static final long ROWS = 4_000_000;
    /** Reports run until one is caught midway; a fast machine may finish one between two looks. */
    private static final int ATTEMPTS = 5;

    @TempDir
    static Path dir;

    @BeforeAll
    static void fill() throws SQLException {
        // the schema is the store's; the rows go in straight by SQL, as LeadStoreBench does
        LeadStores.open(StoreSettings.DEFAULT, dir, AttributionConfig.DEFAULT, Clock.systemUTC()).close();
        final Properties p = new Properties();
        p.setProperty("threads", "2");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve(LeadStores.DEFAULT_FILE), p);
             Statement s = c.createStatement()) {
            for (long done = 0; done < ROWS; done += 1_000_000) {
                s.execute("INSERT INTO calls SELECT 'f' || (r + " + done + "), 'test', " + T0 + " + (r + " + done
                        + ") * 250, (" + T0 + " + (r + " + done + ") * 250) // 900000, "
                        + "NULL, NULL, CASE WHEN r % 5 = 0 THEN 'no-answer' ELSE 'completed' END, 200, "
                        + "'camp' || (r % 20), 's' || (r % 4), 'h' || (r % 10), '+1555' || (r % 100000), "
                        + "'+18005550100', r % 5 <> 0, r % 4 = 0, TRUE, 12.5, 10.0, (r % 600) * 1000, NULL, "
                        + "'src' || (r % 7), NULL, NULL, NULL, ' h1 ', '{}' FROM range(1000000) t(r)");
            }
            s.execute("CHECKPOINT");
        }
    }

    @Test
    void aRunningReportTellsRowsAndPercentageThenDone() throws Exception {
        final MutableClock wall = new MutableClock();
        final RunningReports running = new RunningReports(wall);
        final ReportSpec spec = new ReportSpec(List.of(ReportDimension.CAMPAIGN, ReportDimension.HOUR),
                ZoneId.of("America/New_York"), 0, Long.MAX_VALUE, Map.of());
        final List<ObjectNode> midway = new ArrayList<>();
        try (JdbcLeadStore store = LeadStores.open(StoreSettings.DEFAULT, dir, AttributionConfig.DEFAULT,
                Clock.systemUTC())) {
            for (int attempt = 0; attempt < ATTEMPTS && midway.isEmpty(); attempt++) {
                final String id = "report-" + attempt;
                final ReportProgress progress = running.start(id);
                final CompletableFuture<List<ReportRow>> report = CompletableFuture.supplyAsync(() -> {
                    try {
                        return store.report(spec, CreditModel.FIRST_TOUCH, progress);
                    } finally {
                        running.end(id, progress);
                    }
                });
                while (!finishes(report)) {
                    final ObjectNode answer = running.answer(id);
                    final double pct = answer.path("percentage").asDouble(-1);
                    if (answer.path("state").asText().equals("running") && pct > 0 && pct < 100) {
                        midway.add(answer);
                    }
                }
                assertEquals(ROWS, report.get().stream().mapToLong(ReportRow::calls).sum());
                final ObjectNode after = running.answer(id);
                assertEquals("done", after.path("state").asText(), after::toString);
            }
            assertTrue(!midway.isEmpty(), "no look at " + ATTEMPTS + " reports of " + ROWS + " rows caught one midway");
            for (ObjectNode answer : midway) {
                assertTrue(answer.path("rows_total").asLong() > 0, answer::toString);
                final long rows = answer.path("rows_processed").asLong();
                assertTrue(rows >= 0 && rows <= answer.path("rows_total").asLong(), answer::toString);
            }
        }
        // a finished report is forgotten after a minute; an id never used is unknown
        wall.advance(RunningReports.KEEP_DONE_MS);
        assertEquals("unknown", running.answer("report-0").path("state").asText());
        assertTrue(running.answer("report-0").path("rows_total").isNull());
    }

    /** Whether the report ends within a few milliseconds: the pace of the looks. */
    private static boolean finishes(CompletableFuture<?> report) throws InterruptedException, ExecutionException {
        try {
            report.get(5, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        }
    }

    @Test
    void idsAreCheckedAndARunningOneIsNotTakenTwice() throws ApiException {
        final RunningReports running = new RunningReports(new MutableClock());
        assertEquals(400, assertThrows(ApiException.class, () -> RunningReports.checkId("progress", "")).status());
        assertEquals(400, assertThrows(ApiException.class, () -> RunningReports.checkId("progress", "a/b")).status());
        assertEquals(400, assertThrows(ApiException.class,
                () -> RunningReports.checkId("progress", "x".repeat(RunningReports.MAX_ID_CHARS + 1))).status());
        final ReportProgress first = running.start("same");
        assertEquals(409, assertThrows(ApiException.class, () -> running.start("same")).status());
        running.end("same", first);
        running.start("same");
    }

    @Test
    void atMostSoManyAreTrackedAndFinishedOnesMakeRoom() throws ApiException {
        final RunningReports running = new RunningReports(new MutableClock());
        final ReportProgress oldest = running.start("r0");
        for (int i = 1; i < RunningReports.MAX_TRACKED; i++) {
            running.start("r" + i);
        }
        running.start("over");
        assertEquals("unknown", running.answer("over").path("state").asText(), "all places were taken");
        running.end("r0", oldest);
        running.start("next");
        assertEquals("running", running.answer("next").path("state").asText());
        assertEquals("unknown", running.answer("r0").path("state").asText(), "the finished one made room");
    }

    /** A wall clock the test moves. */
    private static final class MutableClock extends Clock {
        private long ms = T0;

        void advance(long byMs) {
            ms += byMs;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(ms);
        }
    }
}
