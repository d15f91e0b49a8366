package org.callrouter.server.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.callrouter.server.testsupport.RequiredTool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox's files: what a restart finds still to deliver. */
class OutboxTest {

    @TempDir
    Path dir;

    private final List<Throwable> errors = new ArrayList<>();

    @AfterEach
    void noErrors() {
        assertTrue(errors.isEmpty(), errors::toString);
    }

    static WebhookRequest request(int n) {
        return new WebhookRequest("c" + n + ":ended:0", "ended", "sales", "c" + n, "http://127.0.0.1:9/hook",
                "application/json", "{\"n\": " + n + ", \"text\": \"line\\nbreak \u00e9\"}", 1_000L + n);
    }

    @Test
    void aRestartFindsWhatWasNeitherDeliveredNorDeadWithItsTries() throws Exception {
        final OutboxWriter writer = new OutboxWriter(dir, 1, 0, errors::add);
        final List<Delivery> stored = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            stored.add(writer.append(request(i)));
        }
        writer.write();
        writer.close();
        final OutboxAcks acks = new OutboxAcks(dir, errors::add);
        acks.ack(stored.get(0), Outbox.State.DONE, 1, 0);
        acks.ack(stored.get(1), Outbox.State.RETRY, 1, 5_000);
        acks.ack(stored.get(1), Outbox.State.RETRY, 2, 9_000);
        acks.ack(stored.get(3), Outbox.State.DEAD, 8, 0);
        acks.close();

        final Outbox.Recovery recovery = Outbox.recover(dir);
        assertEquals(2, recovery.pending().size());
        final Outbox.Pending retried = recovery.pending().get(0);
        assertEquals(request(1), retried.delivery().request());
        assertEquals(2, retried.tries());
        assertEquals(9_000, retried.nextTryMs());
        assertEquals(request(2), recovery.pending().get(1).delivery().request());
        assertEquals(0, recovery.pending().get(1).tries());
        assertEquals(2, recovery.nextSegment());
        assertEquals(Map.of(1L, 2), recovery.outstanding());
    }

    @Test
    void aSegmentWithNothingLeftIsDeletedAndALineCutShortIsSkipped() throws Exception {
        final OutboxWriter first = new OutboxWriter(dir, 1, 0, errors::add);
        final Delivery done = first.append(request(1));
        first.close();
        final OutboxAcks acks = new OutboxAcks(dir, errors::add);
        acks.ack(done, Outbox.State.DONE, 1, 0);
        acks.close();
        final OutboxWriter second = new OutboxWriter(dir, 2, 0, errors::add);
        second.append(request(2));
        second.close();
        Files.writeString(Outbox.segment(dir, 2), "{\"key\":\"cut sho", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);

        final Outbox.Recovery recovery = Outbox.recover(dir);
        assertFalse(Files.exists(Outbox.segment(dir, 1)), "segment 1 has nothing left");
        assertFalse(Files.exists(Outbox.acks(dir, 1)));
        assertEquals(1, recovery.pending().size());
        assertEquals(request(2), recovery.pending().get(0).delivery().request());
        assertEquals(3, recovery.nextSegment());
    }

    @Test
    void deadLettersKeepTheRequestAndTheLastError() throws Exception {
        final OutboxAcks acks = new OutboxAcks(dir, errors::add);
        acks.deadLetter(request(7), 8, "HTTP 500", 123);
        acks.close();
        final String line = Files.readAllLines(dir.resolve(Outbox.DEAD_LETTER)).get(0);
        final var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
        assertEquals(8, node.path("tries").asInt());
        assertEquals("HTTP 500", node.path("last_error").asText());
        assertEquals("c7:ended:0", node.path("request").path("key").asText());
        assertEquals(request(7).body(), node.path("request").path("body").asText());
    }

    private static WebhookRequest big(int n) {
        return new WebhookRequest("c" + n + ":ended:0", "ended", "sales", "c" + n, "http://127.0.0.1:9/hook",
                "application/json", "x".repeat(64 * 1024), n);
    }

    @Test
    void aFailingDiskHoldsAtMostTheBudgetInMemoryAndDropsTheRest() throws Exception {
        final Path full = Path.of("/dev/full");
        RequiredTool.fromEnvironment().require(Optional.of(full).filter(Files::isWritable), full.toString(),
                "a Linux machine with /dev/full");
        Files.createSymbolicLink(Outbox.segment(dir, 1), full);
        final OutboxWriter writer = new OutboxWriter(dir, 1, 0, errors::add);
        final int fits = OutboxWriter.MAX_UNWRITTEN_BYTES / (64 * 1024 + 300);
        for (int i = 0; i < fits; i++) {
            assertNotNull(writer.append(big(i)), "request " + i + " is within the budget");
            writer.write();
        }
        int dropped = 0;
        for (int i = fits; i < fits + 20; i++) {
            if (writer.append(big(i)) == null) {
                dropped++;
            }
            writer.write();
        }
        assertTrue(dropped >= 18, "dropped " + dropped);
        assertEquals(dropped, writer.dropped());
        assertTrue(errors.stream().anyMatch(e -> e.getMessage().contains("dropped")), errors::toString);
        errors.clear();
    }

    @Test
    void withoutASegmentRequestsGoFromMemoryWithinTheSameBudget() throws Exception {
        final OutboxWriter writer = new OutboxWriter(dir.resolve("no-such-dir"), 1, 0, errors::add);
        int inMemory = 0;
        for (int i = 0; i < OutboxWriter.MAX_UNWRITTEN_BYTES / (64 * 1024) + 20; i++) {
            final Delivery d = writer.append(big(i));
            if (d != null) {
                assertEquals(-1, d.segment());
                inMemory++;
            }
        }
        assertTrue(inMemory < OutboxWriter.MAX_UNWRITTEN_BYTES / (64 * 1024), "in memory: " + inMemory);
        assertTrue(writer.dropped() >= 20, "dropped " + writer.dropped());
        errors.clear();
    }
}
