package org.callrouter.server.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.callrouter.routing.config.ServerSettings;
import org.callrouter.server.Await;
import org.callrouter.server.records.JournalPosition;
import org.callrouter.server.sipua.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipper without a broker: the records wait, counted, and nothing is marked as shipped;
 * which journal lines are records; the position file. (With a real broker:
 * {@code admin.KafkaRecordsIntegrationTest}.)
 */
class KafkaRecordShipperTest {

    @TempDir
    Path dir;

    @Test
    void withNoBrokerTheRecordsWaitCountedAndNothingIsMarkedShipped() throws Exception {
        final Path journal = Files.createDirectories(dir.resolve("journal"));
        final StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            lines.append("{\"record\":\"call\",\"id\":\"c").append(i).append("\",\"status\":\"busy\"}\n");
        }
        Files.writeString(journal.resolve("calls-2026-03-09.jsonl"), lines, StandardCharsets.UTF_8);
        // Nothing listens there (a free port of this test's band, 63000-63499).
        final ServerSettings.Kafka settings = new ServerSettings.Kafka(
                List.of("127.0.0.1:" + Ports.free(63000, 63499)), "calls", "test", 100, 10, 0, 1_000, Map.of());
        final List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        final KafkaRecordShipper shipper = KafkaRecordShipper.start(settings, dir, journal, Clock.systemUTC(),
                errors::add);
        try {
            Await.until(Duration.ofSeconds(60), () -> shipper.waiting() == 5 && shipper.failed() >= 1,
                    () -> "waiting " + shipper.waiting() + ", failed " + shipper.failed());
            assertEquals(KafkaRecordShipper.State.RETRYING, shipper.state());
            assertTrue(shipper.lastError() != null, "the failure is told");
        } finally {
            shipper.close();
        }
        assertEquals(0, shipper.sent());
        assertEquals(KafkaRecordShipper.State.STOPPED, shipper.state());
        assertFalse(Files.exists(dir.resolve("kafka-calls.positions")), "nothing was acknowledged");
        assertFalse(shipper.doneWith("calls-2026-03-09.jsonl"), "journal retention keeps the file");
        assertTrue(shipper.doneWith("visits-2026-03-09.jsonl"), "visits are not sent");
    }

    @Test
    void aBrokerNameThatDoesNotResolveDoesNotStopTheStart() throws Exception {
        final ServerSettings.Kafka settings = new ServerSettings.Kafka(List.of("kafka.invalid:9092"), "calls", "test",
                100, 10, 0, 1_000, Map.of());
        final KafkaRecordShipper shipper = KafkaRecordShipper.start(settings, dir, dir.resolve("journal"),
                Clock.systemUTC(), e -> { });
        try {
            Await.until(Duration.ofSeconds(30), () -> shipper.failed() >= 1, () -> "failed " + shipper.failed());
            assertEquals(KafkaRecordShipper.State.RETRYING, shipper.state());
            assertTrue(shipper.lastError().contains("No resolvable bootstrap urls"), shipper::lastError);
        } finally {
            shipper.close();
        }
        assertEquals(0, shipper.sent());
    }

    @Test
    void anInvalidProducerSettingStopsTheStartWithItsName() {
        final ServerSettings.Kafka settings = new ServerSettings.Kafka(List.of("127.0.0.1:9092"), "calls", "test",
                100, 10, 0, 1_000, Map.of("compression.type", "zip"));
        final IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> KafkaRecordShipper.start(settings, dir, dir.resolve("journal"), Clock.systemUTC(), x -> { }));
        assertTrue(e.getMessage().startsWith("server.records.kafka: Invalid value zip for configuration compression.type"),
                e::getMessage);
    }

    @Test
    void aRecordIsAWholeCallOrConversionLineKeyedByItsCallId() {
        assertEquals("c19cd50a2da3f0a1b2c3d4",
                KafkaRecordShipper.callId("{\"record\":\"call\",\"id\":\"c19cd50a2da3f0a1b2c3d4\",\"key\":\"k\"}"));
        assertEquals("c1", KafkaRecordShipper.callId("{\"record\":\"conversion\",\"id\":\"c1\",\"converted_at\":\"x\"}"));
        // Cut short by a crash: the id is whole, the record is not.
        assertNull(KafkaRecordShipper.callId("{\"record\":\"call\",\"id\":\"c1\",\"key\":\"k"));
        assertNull(KafkaRecordShipper.callId("{\"record\":\"call\",\"id\":\"c1"));
        assertNull(KafkaRecordShipper.callId("{\"record\":\"call\",\"id\":\"c1\"} trailing"));
        assertNull(KafkaRecordShipper.callId("{\"record\":\"visit\",\"session\":\"s\"}"));
        assertNull(KafkaRecordShipper.callId(""));
    }

    @Test
    void thePositionFileIsReplacedWholeAndReadBack() throws IOException {
        final ShippedPositions positions = new ShippedPositions(dir.resolve("kafka-calls.positions"));
        assertEquals(Map.of(), positions.load());
        positions.save(Map.of("calls-2026-03-09.jsonl", 1234L, "conversions-2026-03-09.jsonl", 56L));
        positions.save(Map.of("calls-2026-03-09.jsonl", 2345L, "conversions-2026-03-09.jsonl", 56L));
        assertEquals(Map.of("calls-2026-03-09.jsonl", new JournalPosition("calls-2026-03-09.jsonl", 2345),
                "conversions-2026-03-09.jsonl", new JournalPosition("conversions-2026-03-09.jsonl", 56)),
                positions.load());
        assertFalse(Files.exists(dir.resolve("kafka-calls.positions.tmp")));
        Files.writeString(dir.resolve("kafka-calls.positions"), "calls-2026-03-09.jsonl twelve\n");
        final IOException bad = assertThrows(IOException.class, positions::load);
        assertTrue(bad.getMessage().contains("kafka-calls.positions:1: expected \"<journal file> <offset>\""),
                bad::getMessage);
    }
}
