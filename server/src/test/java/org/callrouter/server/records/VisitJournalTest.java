package org.callrouter.server.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.callrouter.routing.pool.SessionRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The visits journal's lines, its file and its drops. */
class VisitJournalTest {

    static final long T0 = Instant.parse("2026-12-06T10:00:00Z").toEpochMilli();
    static final String SESSION = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void aCreatedAndAForgottenSessionAreTwoLinesOfTheDaysFileWithoutTheVisitorsAddress() throws Exception {
        final List<Throwable> errors = new ArrayList<>();
        final VisitJournal journal = VisitJournal.start(dir, 0, Clock.fixed(Instant.ofEpochMilli(T0), ZoneOffset.UTC),
                errors::add);
        final SessionRequest request = new SessionRequest("https://solar.example/landing?gclid=g1",
                "https://www.google.com/", "google", "cpc", "spring", "solar panels", null, "g1", null, null, null,
                null, "GA1.1.42", "S-7", List.of("r-1", "r-2"), Map.of("keyword", "solar"));
        journal.onCreated(SESSION, "web", "solar", "google-ads", T0, request);
        journal.onEnded(SESSION, T0 + 2_400_000);
        journal.close();
        assertEquals(2, journal.written());
        assertEquals(0, journal.dropped());
        assertTrue(errors.isEmpty(), errors::toString);

        final List<String> lines = Files.readAllLines(dir.resolve("visits-2026-12-06.jsonl"), StandardCharsets.UTF_8);
        assertEquals(2, lines.size(), lines::toString);
        final ObjectNode visit = RecordJson.parse(lines.get(0));
        assertEquals("visit", visit.path("record").asText());
        assertEquals(SESSION, visit.path("session").asText());
        assertEquals("web", visit.path("pool").asText());
        assertEquals("solar", visit.path("campaign").asText());
        assertEquals("google-ads", visit.path("source").asText());
        assertEquals("2026-12-06T10:00:00.000Z", visit.path("created_at").asText());
        assertEquals("https://solar.example/landing?gclid=g1", visit.path("page_url").asText());
        assertEquals("google", visit.path("utm_source").asText());
        assertEquals("solar panels", visit.path("utm_term").asText());
        assertEquals("g1", visit.path("gclid").asText());
        assertEquals("S-7", visit.path("sales_code").asText());
        assertEquals("[\"r-1\",\"r-2\"]", visit.path("references").toString());
        assertEquals("solar", visit.path("tags").path("keyword").asText());
        assertFalse(visit.has("utm_content"), "absent values are left out");
        assertFalse(lines.get(0).contains("address") || lines.get(0).contains("10.0."), lines.get(0));
        assertEquals("{\"record\":\"visit_end\",\"session\":\"" + SESSION + "\",\"ended_at\":\"2026-12-06T10:40:00.000Z\"}",
                lines.get(1));

        journal.onEnded(SESSION, T0);
        assertEquals(1, journal.dropped(), "an event after close is dropped and counted");
    }
}
