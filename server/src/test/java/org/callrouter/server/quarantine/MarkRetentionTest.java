package org.callrouter.server.quarantine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.callrouter.routing.config.RouterConfig;
import org.callrouter.server.TestConfig;

/**
 * {@code server.records.retention_days} on the spam marks journal: day files deleted whole, never
 * inside {@code number_policy.spam_window_days}, the single file of older versions read and deleted
 * once all its marks are old; on files written by the test, at a fixed time.
 */
class MarkRetentionTest {

    private static final long NOW_MS = Instant.parse("2026-06-20T12:00:00Z").toEpochMilli();
    private static final LocalDate TODAY = LocalDate.parse("2026-06-20");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final List<Throwable> errors = new ArrayList<>();

    private RouterConfig config(int retentionDays, int windowDays) {
        return TestConfig.load(dir.resolve("conf"), """
                server:
                  data_dir: "%s"
                  records: { retention_days: %d }
                number_policy: { spam_window_days: %d }
                """.formatted(dir.resolve("data"), retentionDays, windowDays));
    }

    private NumberHealth health(RouterConfig config) throws IOException {
        return new NumberHealth(dir.resolve("data"), () -> null, () -> config, flagged -> { }, caller -> { },
                errors::add);
    }

    private Path data() throws IOException {
        return Files.createDirectories(dir.resolve("data"));
    }

    /** A mark line of call {@code callId} made {@code daysAgo} days before now. */
    private static String line(String callId, int daysAgo) {
        return "{\"at\":\"" + Instant.ofEpochMilli(NOW_MS - daysAgo * 86_400_000L) + "\",\"actor\":\"api:admin\","
                + "\"call_id\":\"" + callId + "\",\"reason\":\"spam\"}\n";
    }

    private void dayFile(int daysAgo, String callId) throws IOException {
        Files.writeString(new MarkJournal(data()).file(TODAY.minusDays(daysAgo)), line(callId, daysAgo));
    }

    @Test
    void marksGoByDayFileOnceOlderThanRetentionAndTheHealthWindow() throws IOException {
        for (int daysAgo : new int[] {0, 3, 7, 8, 40}) {
            dayFile(daysAgo, "c" + daysAgo);
        }
        Files.writeString(data().resolve("call-marks-notes.jsonl"), "not a day file\n");

        assertEquals(0, health(config(0, 7)).pruneMarks(NOW_MS), "retention_days 0 keeps every mark");
        assertEquals(1, health(config(30, 7)).pruneMarks(NOW_MS), "40 days ago only");
        assertFalse(Files.exists(new MarkJournal(data()).file(TODAY.minusDays(40))));
        // retention 3 is shorter than the 7-day health window: the window's marks stay.
        assertEquals(1, health(config(3, 7)).pruneMarks(NOW_MS), "8 days ago only");
        assertTrue(Files.exists(new MarkJournal(data()).file(TODAY.minusDays(7))), "the cut-off day is kept");
        assertEquals(List.of("c7", "c3", "c0"), callIds(new MarkJournal(data()).read()));
        assertTrue(Files.exists(data().resolve("call-marks-notes.jsonl")), "other files are not touched");
        assertEquals(List.of(), errors);
    }

    @Test
    void theSingleFileOfOlderVersionsIsReadAndDeletedOnceAllItsMarksAreOld() throws IOException {
        final Path legacy = data().resolve(MarkJournal.LEGACY_FILE);
        Files.writeString(legacy, line("old1", 50) + line("old2", 20) + "{\"at\": \"2026-06-");
        dayFile(1, "new");
        final MarkJournal marks = new MarkJournal(data());
        assertEquals(List.of("old1", "old2", "new"), callIds(marks.read()), "a torn last line is skipped");

        assertEquals(0, marks.prune(NOW_MS, 30), "its newest mark is 20 days old");
        assertTrue(Files.exists(legacy));
        assertEquals(1, health(config(10, 7)).pruneMarks(NOW_MS));
        assertFalse(Files.exists(legacy));
        assertEquals(List.of("new"), callIds(marks.read()));
    }

    @Test
    void aMarkIsAppendedToTheFileOfItsDay() throws IOException {
        final MarkJournal marks = new MarkJournal(data());
        marks.append(NOW_MS, JSON.readTree(line("today", 0)));
        marks.append(NOW_MS - 86_400_000L, JSON.readTree(line("yesterday", 1)));
        marks.append(NOW_MS, JSON.readTree(line("later", 0)));
        assertEquals(2, Files.readAllLines(marks.file(TODAY)).size());
        assertEquals(1, Files.readAllLines(marks.file(TODAY.minusDays(1))).size());
        assertEquals(List.of("yesterday", "today", "later"), callIds(marks.read()));
    }

    private static List<String> callIds(List<JsonNode> marks) {
        return marks.stream().map(m -> m.path("call_id").asText()).toList();
    }
}
