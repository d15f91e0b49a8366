package org.callrouter.server.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.callrouter.server.SmallDisk;
import org.callrouter.server.b2bua.CallStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal on a real filesystem that fills (a 1 MiB tmpfs): lines wait in memory and are
 * retried, the failure is reported, what passes the in-memory bound is counted as lost, and
 * everything else reaches the file once space returns.
 */
class JournalDiskFullTest {

    private static final long T0 = Instant.parse("2026-03-09T12:00:00Z").toEpochMilli();
    private static final int MAX_PENDING_BYTES = 32 * 1024;

    @TempDir
    Path temp;

    private final List<Throwable> errors = new ArrayList<>();
    private int appended;

    /** A finished call whose line is about 1.3 KB. */
    private void end(Journal journal) {
        final CallRecord r = new CallRecord(String.format("c%010x", appended++));
        r.key = "k";
        r.receivedMs = T0;
        r.endedMs = T0 + 1000;
        r.status = CallStatus.FAILED;
        r.sipStatus = 480;
        r.reason = "x".repeat(1000);
        r.tags = Map.of();
        journal.onEnded(r);
    }

    @Test
    void aFullDiskKeepsLinesCountsWhatPassesTheBoundAndCatchesUp() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(temp.resolve("disk"))) {
            final Journal journal = new Journal(disk.dir(), 0, errors::add, MAX_PENDING_BYTES);
            for (int i = 0; i < 3; i++) {
                end(journal);
            }
            journal.onBatchEnd(System.nanoTime());
            assertEquals(3, journal.linesWritten());
            assertNull(journal.problem());

            disk.fill();
            for (int i = 0; i < 10; i++) {
                end(journal);
            }
            journal.onBatchEnd(System.nanoTime());
            journal.onBatchEnd(System.nanoTime());
            assertEquals("No space left on device", journal.problem());
            assertEquals(10, journal.unwrittenLines(), "kept in memory, retried at each drain");
            assertEquals(3, journal.linesWritten());
            assertEquals(0, journal.linesLost());

            for (int i = 0; i < 30; i++) {
                end(journal);
            }
            journal.onBatchEnd(System.nanoTime());
            final long lost = journal.linesLost();
            assertTrue(lost > 0 && journal.unwrittenLines() > 0, lost + " lost, " + journal.unwrittenLines() + " waiting");
            assertEquals(appended, journal.linesWritten() + journal.unwrittenLines() + lost,
                    "every line is written, waiting or counted as lost");

            disk.free();
            journal.onBatchEnd(System.nanoTime());
            assertNull(journal.problem(), "space is back");
            assertEquals(0, journal.unwrittenLines());
            assertEquals(lost, journal.linesLost());
            assertEquals(appended, journal.linesWritten() + lost);
            journal.onClose();

            final List<String> lines = Files.readAllLines(disk.dir().resolve(Journal.callsFile(Journal.day(T0))));
            assertEquals(journal.linesWritten(), lines.size());
            final Set<String> ids = new HashSet<>();
            final ObjectMapper json = new ObjectMapper();
            for (String line : lines) {
                ids.add(json.readTree(line).path("id").asText());
            }
            assertEquals(lines.size(), ids.size(), "no line twice (a failed write is cut off, not repeated)");
        }
        assertTrue(!errors.isEmpty() && errors.stream().allMatch(e -> e instanceof IOException
                && String.valueOf(e.getCause()).contains("No space left on device")), errors::toString);
    }
}
