package org.callrouter.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.callrouter.term.ProgressLine;
import org.junit.jupiter.api.Test;

/** The answers of {@code GET /v1/reports/progress/{id}} drawn as {@code router report} draws them, on a hand-moved clock. */
class ReportProgressLineTest {

    private static final long S = 1_000_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final long[] now = {0};
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), "rows",
            () -> now[0]);

    private String drawn() {
        final String text = bytes.toString(StandardCharsets.UTF_8);
        bytes.reset();
        return text;
    }

    @Test
    void duckDbCountsRowsOfAnEstimatedTotal() throws Exception {
        now[0] = 2 * S;
        ReportCommand.draw(line, json("{\"state\": \"running\", \"rows_processed\": 1000000, \"rows_total\": 4000000, "
                + "\"percentage\": 25.0}"));
        assertEquals("\r[2s] 1.0M/4.0M rows (25%) | 500k rows/s | 6s left", drawn());
        now[0] = 3 * S;
        final JsonNode last = json("{\"state\": \"running\", \"rows_processed\": 3000000, \"rows_total\": 4000000, "
                + "\"percentage\": 75.0}");
        ReportCommand.draw(line, last);
        assertEquals("\r[3s] 3.0M/4.0M rows (75%) | 2.0M rows/s | 1s left", drawn());
        now[0] = 4 * S;
        ReportCommand.finish(line, last);
        assertEquals("\r[4s] 4.0M/4.0M rows (100%) | 1.0M rows/s | 0s left" + System.lineSeparator(), drawn());
    }

    @Test
    void postgresTellsOnlyThatItRuns() throws Exception {
        now[0] = 12 * S;
        final JsonNode running = json("{\"state\": \"running\", \"rows_processed\": null, \"rows_total\": null, "
                + "\"percentage\": null}");
        ReportCommand.draw(line, running);
        assertEquals("\r[12s] report running (the database tells no progress)", drawn());
        ReportCommand.finish(line, running);
        assertEquals("", drawn(), "no counts to end with");
        line.end();
        assertEquals(System.lineSeparator(), drawn());
    }

    @Test
    void doneAndUnknownDrawNothing() throws Exception {
        now[0] = 5 * S;
        ReportCommand.draw(line, json("{\"state\": \"done\", \"rows_processed\": 9, \"rows_total\": 9, \"percentage\": 100}"));
        ReportCommand.draw(line, json("{\"state\": \"unknown\", \"rows_processed\": null, \"rows_total\": null, "
                + "\"percentage\": null}"));
        assertEquals("", drawn());
    }

    @Test
    void progressIdsAreTwentyTwoUrlSafeCharacters() {
        final String id = ReportCommand.newProgressId();
        assertEquals(22, id.length());
        assertTrue(id.matches("[A-Za-z0-9_-]+"), id);
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }
}
