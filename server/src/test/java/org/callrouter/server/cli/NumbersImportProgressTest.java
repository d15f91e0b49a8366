package org.callrouter.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.callrouter.routing.store.ImportProgress;
import org.callrouter.term.ProgressLine;
import org.junit.jupiter.api.Test;

/** The importer's callback drawn as {@code router numbers import} draws it, on a hand-moved clock. */
class NumbersImportProgressTest {

    private static final long S = 1_000_000_000L;

    @Test
    void theTotalIsEstimatedFromTheShareOfTheFileRead() {
        long[] now = {0};
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), "rows",
                () -> now[0]);
        ImportProgress progress = NumbersImportCommand.progress(line);
        now[0] = 10 * S;
        // a quarter of a 100 MB file holds 250,000 rows: about a million in all, 30 s to go
        progress.rowsRead(250_000, 25_000_000, 100_000_000);
        assertEquals("\r[10s] 250k/1.0M rows (25%) | 25.0k rows/s | 30s left", bytes.toString(StandardCharsets.UTF_8));
        bytes.reset();
        now[0] = 40 * S;
        progress.rowsRead(1_000_123, 100_000_000, 100_000_000);
        assertEquals("\r[40s] 1.0M/1.0M rows (100%) | 25.0k rows/s | 0s left", bytes.toString(StandardCharsets.UTF_8));
        bytes.reset();
        line.finish(1_000_123, 1_000_123);
        assertEquals("\r[40s] 1.0M/1.0M rows (100%) | 25.0k rows/s | 0s left" + System.lineSeparator(),
                bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void nothingReadYetMeansNoTotal() {
        long[] now = {0};
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), "rows",
                () -> now[0]);
        now[0] = S;
        NumbersImportCommand.progress(line).rowsRead(0, 0, 100);
        assertEquals("\r[1s] 0 rows | 0 rows/s", bytes.toString(StandardCharsets.UTF_8));
    }
}
