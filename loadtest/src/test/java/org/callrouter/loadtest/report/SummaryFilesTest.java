package org.callrouter.loadtest.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.callrouter.loadtest.stats.StepStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummaryFilesTest {

    private static final long MS = 1_000_000L;

    @TempDir
    Path dir;

    private static RunSummary summary() {
        StepStats step = new StepStats(0, 100, false);
        step.offerWindow(0, 1000 * MS);
        step.attempted();
        step.attempted();
        step.answered(500 * MS, 2 * MS, 499 * MS, 499 * MS + 500_000, 498 * MS);
        step.completed();
        step.failed("timeout-invite");
        StepSummary s = StepSummary.of(step);
        return new RunSummary(RunSummary.TOOL, RunSummary.SCHEMA, "2026-11-23T00:00:00Z", List.of("run"), null,
                "epoll", null, 1.5, false, s, List.of(s), null, 2, null, Map.of(), Map.of("response for no call", 1L),
                List.of(), Map.of(), new GeneratorUsage(1.0, 0.5, 2, 10, 100));
    }

    @Test
    void theJsonSummaryReadsBackEqual() throws Exception {
        Path file = dir.resolve("s.json");
        RunSummary s = summary();
        SummaryFiles.writeJson(s, file);
        assertEquals(s, SummaryFiles.readJson(file));
        String json = Files.readString(file);
        assertTrue(json.contains("\"routerAddedMs\""), json);
        assertTrue(json.contains("\"timeout-invite\" : 1"), json);
    }

    @Test
    void theCsvHasAHeaderThenOneRowPerStepAndTheTotal() throws Exception {
        Path file = dir.resolve("s.csv");
        SummaryFiles.writeCsv(summary(), file);
        List<String> lines = Files.readAllLines(file);
        assertEquals(3, lines.size());
        assertEquals(String.join(",", SummaryFiles.CSV_COLUMNS), lines.get(0));
        for (String line : lines) {
            assertEquals(SummaryFiles.CSV_COLUMNS.size(), line.split(",", -1).length, line);
        }
        // HdrHistogram keeps three significant digits: 2 ms reads back as 2.001
        assertTrue(lines.get(1).startsWith("0,100.0,1.0,2,2.0,0,1,1.0,1,0,0,1,0,false,2.00"), lines.get(1));
        assertTrue(lines.get(1).contains(",1.500,1.500,1.500,1.500,,"), "router added 1.5 ms, no first response");
        assertTrue(lines.get(1).endsWith(",timeout-invite=1"), lines.get(1));
        assertTrue(lines.get(2).startsWith("total,"), lines.get(2));
    }
}
