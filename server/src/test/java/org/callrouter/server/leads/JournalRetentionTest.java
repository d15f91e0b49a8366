package org.callrouter.server.leads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention without a store, with another reader of the journal (records to Kafka) not done yet. */
class JournalRetentionTest {

    @TempDir
    Path journal;

    @Test
    void anOldFileAnotherReaderStillNeedsIsKept() throws IOException {
        for (String name : List.of("calls-2026-03-01.jsonl", "conversions-2026-03-01.jsonl", "calls-2026-03-09.jsonl")) {
            Files.writeString(journal.resolve(name), "{\"record\":\"call\",\"id\":\"c1\"}\n");
        }
        final List<Throwable> errors = new ArrayList<>();
        final JournalRetention retention = new JournalRetention(journal, 2, null,
                name -> !name.equals("calls-2026-03-01.jsonl"), errors::add);
        assertEquals(1, retention.run(Instant.parse("2026-03-09T12:00:00Z").toEpochMilli()));
        assertTrue(Files.exists(journal.resolve("calls-2026-03-01.jsonl")), "not yet acknowledged by Kafka: kept");
        assertFalse(Files.exists(journal.resolve("conversions-2026-03-01.jsonl")), "old and done with: deleted");
        assertTrue(Files.exists(journal.resolve("calls-2026-03-09.jsonl")), "within retention: kept");
        assertTrue(errors.isEmpty(), errors::toString);
    }
}
