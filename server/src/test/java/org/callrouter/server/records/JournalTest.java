package org.callrouter.server.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.callrouter.routing.ConversionOutcome;
import org.callrouter.routing.Skip;
import org.callrouter.server.b2bua.AttemptResult;
import org.callrouter.server.b2bua.CallStatus;
import org.callrouter.server.testsupport.RequiredTool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal's files and lines, and reading them back. */
class JournalTest {

    /** 2026-03-09T23:59:00Z: calls around midnight UTC end on two days. */
    private static final long T0 = Instant.parse("2026-03-09T23:59:00Z").toEpochMilli();

    @TempDir
    Path dir;

    private final List<Throwable> errors = new ArrayList<>();

    @AfterEach
    void noErrors() {
        assertTrue(errors.isEmpty(), errors::toString);
    }

    /** A finished call with an id of the router's form (arrival time in hex, then 10 random hex digits). */
    private static CallRecord call(long receivedMs, long endedMs, String campaign, CallStatus status, int n) {
        final CallRecord r = new CallRecord("c" + Long.toHexString(receivedMs) + String.format("%010x", n));
        r.key = "key" + n;
        r.receivedMs = receivedMs;
        r.routingNs = 4_321;
        r.caller = "+1415555" + String.format("%04d", n);
        r.dialed = "+18005550100";
        r.campaign = campaign;
        r.source = "web";
        r.tags = Map.of("caller_state", "CA", "note", "say \"hi\" \u00e9");
        r.skipped(new Skip("closed-one", "closed"));
        final CallRecord.Attempt a = new CallRecord.Attempt("first", receivedMs + 5);
        a.endedMs = receivedMs + 1_000;
        a.result = status == CallStatus.COMPLETED ? AttemptResult.ANSWERED : AttemptResult.BUSY;
        a.sipStatus = status == CallStatus.COMPLETED ? 200 : 486;
        r.attempt(a);
        if (status == CallStatus.COMPLETED) {
            r.handler = "first";
            r.answeredMs = receivedMs + 1_000;
            r.talkMs = endedMs - r.answeredMs;
        }
        r.status = status;
        r.sipStatus = status == CallStatus.COMPLETED ? 200 : 486;
        r.reason = "test";
        r.endedMs = endedMs;
        r.ringMs = 1_000;
        r.conversion = new ConversionOutcome(
                new ConversionOutcome.Side(ConversionOutcome.Status.CONVERTED, new BigDecimal("4.50"), "attempt"),
                new ConversionOutcome.Side(ConversionOutcome.Status.PENDING, BigDecimal.ZERO, "awaiting postback"));
        return r;
    }

    private static Clock at(long ms) {
        return Clock.fixed(Instant.ofEpochMilli(ms), ZoneOffset.UTC);
    }

    @Test
    void timesAreIsoWithMillisecondsAcrossDaysAndYears() {
        final long seed = System.nanoTime();
        System.out.println("JournalTest seed " + seed);
        final SplittableRandom random = new SplittableRandom(seed);
        final DateTimeFormatter iso = DateTimeFormatter
                .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
        for (int i = 0; i < 10_000; i++) {
            final long ms = random.nextLong(0, 4_102_444_800_000L);
            assertEquals(iso.format(Instant.ofEpochMilli(ms)), RecordJson.time(ms), "seed " + seed + ": " + ms);
        }
        assertEquals("2026-03-09T23:59:00.000Z", RecordJson.time(T0));
        assertEquals("1970-01-01T00:00:00.000Z", RecordJson.time(0));
    }

    @Test
    void aLineRoundTripsThroughJson() throws IOException {
        final CallRecord r = call(T0, T0 + 90_000, "sales", CallStatus.COMPLETED, 1);
        final byte[] line = RecordJson.callLine(r);
        assertEquals(new String(line, StandardCharsets.UTF_8),
                new String(RecordJson.callLine(RecordJson.read(RecordJson.parse(
                        new String(line, StandardCharsets.UTF_8)))), StandardCharsets.UTF_8));
    }

    @Test
    void callsGoToTheFileOfTheDayTheyEndedAndAreFoundById() throws IOException {
        final Journal journal = new Journal(dir, 0, errors::add);
        final CallRecord today = call(T0, T0 + 30_000, "sales", CallStatus.COMPLETED, 1);
        final CallRecord tomorrow = call(T0 + 1_000, T0 + 90_000, "sales", CallStatus.BUSY, 2);
        journal.onEnded(today);
        journal.onEnded(tomorrow);
        journal.onBatchEnd(System.nanoTime());
        journal.onClose();
        assertEquals(1, Files.readAllLines(dir.resolve("calls-2026-03-09.jsonl")).size());
        assertEquals(1, Files.readAllLines(dir.resolve("calls-2026-03-10.jsonl")).size());
        assertEquals(2, journal.linesWritten());

        final JournalReader reader = new JournalReader(dir, at(T0 + 100_000), TimeUnit.HOURS.toMillis(4));
        final ObjectNode found = reader.find(tomorrow.id()).orElseThrow();
        assertEquals("busy", found.path("status").asText());
        assertEquals("2026-03-10T00:00:30.000Z", found.path("ended_at").asText());
        assertEquals("say \"hi\" \u00e9", found.path("tags").path("note").asText());
        assertEquals("closed", found.path("skipped").get(0).path("reason").asText());
        assertEquals("4.50", found.path("payout").decimalValue().toPlainString());
        assertTrue(reader.find("c" + Long.toHexString(T0) + "ffffffffff").isEmpty());
        assertTrue(reader.find("not-one-of-ours").isEmpty());
    }

    @Test
    void conversionLinesAreMergedOverTheirCall() throws IOException {
        final Journal journal = new Journal(dir, 0, errors::add);
        final CallRecord r = call(T0, T0 + 30_000, "sales", CallStatus.COMPLETED, 3);
        journal.onEnded(r);
        journal.onBatchEnd(System.nanoTime());
        final ConversionOutcome before = r.conversion();
        r.applyPostback(new ConversionOutcome(before.source(),
                new ConversionOutcome.Side(ConversionOutcome.Status.CONVERTED, new BigDecimal("25.00"), "postback")));
        journal.onConvertedAfterEnd(r, before, T0 + 3_600_000);
        journal.onClose();

        final JournalReader reader = new JournalReader(dir, at(T0 + 3_700_000), TimeUnit.HOURS.toMillis(4));
        final ObjectNode merged = reader.find(r.id()).orElseThrow();
        assertEquals("25.00", merged.path("revenue").decimalValue().toPlainString());
        assertEquals("converted", merged.path("conversion").path("handler").path("status").asText());
        assertEquals("2026-03-10T00:59:00.000Z", merged.path("converted_at").asText());
        assertEquals("call", merged.path("record").asText());
        final List<ObjectNode> listed = reader.query(new JournalReader.Query(null, null, T0 - 1, 10));
        assertEquals("25.00", listed.get(0).path("revenue").decimalValue().toPlainString());
    }

    @Test
    void queriesFilterByCampaignStatusAndArrivalAndStopAtTheLimit() throws IOException {
        final Journal journal = new Journal(dir, 0, errors::add);
        for (int i = 0; i < 10; i++) {
            journal.onEnded(call(T0 + i * 1_000, T0 + 100_000 + i, i % 2 == 0 ? "sales" : "support",
                    i % 3 == 0 ? CallStatus.BUSY : CallStatus.COMPLETED, i));
        }
        journal.onClose();
        final JournalReader reader = new JournalReader(dir, at(T0 + 200_000), TimeUnit.HOURS.toMillis(4));
        assertEquals(10, reader.query(new JournalReader.Query(null, null, T0, 100)).size());
        assertEquals(3, reader.query(new JournalReader.Query(null, null, T0, 3)).size());
        assertEquals(List.of(0, 2, 4, 6, 8), indexes(reader.query(new JournalReader.Query("sales", null, T0, 100))));
        assertEquals(List.of(0, 6), indexes(reader.query(new JournalReader.Query("sales", "busy", T0, 100))));
        assertEquals(List.of(7, 8, 9), indexes(reader.query(new JournalReader.Query(null, null, T0 + 7_000, 100))));
    }

    @Test
    void queriesFilterBySourceHandlerTriedAndCallerDigits() throws IOException {
        final Journal journal = new Journal(dir, 0, errors::add);
        for (int i = 0; i < 6; i++) {
            final CallRecord r = call(T0 + i * 1_000, T0 + 100_000 + i, "sales",
                    i % 2 == 0 ? CallStatus.COMPLETED : CallStatus.BUSY, i);
            r.source = i < 3 ? "web" : "radio";
            if (i == 1) {
                // Tried, not answered: the handler filter still finds the call.
                r.attempt(new CallRecord.Attempt("second", T0 + i * 1_000 + 10));
            }
            journal.onEnded(r);
        }
        journal.onClose();
        final JournalReader reader = new JournalReader(dir, at(T0 + 200_000), TimeUnit.HOURS.toMillis(4));
        assertEquals(List.of(3, 4, 5), indexes(reader.query(
                new JournalReader.Query(null, "radio", null, null, null, T0, 100))));
        assertEquals(List.of(1), indexes(reader.query(
                new JournalReader.Query(null, null, "second", null, null, T0, 100))));
        assertEquals(List.of(0, 1, 2, 3, 4, 5), indexes(reader.query(
                new JournalReader.Query(null, null, "first", null, null, T0, 100))));
        assertEquals(List.of(4), indexes(reader.query(
                new JournalReader.Query(null, null, null, "5550004", null, T0, 100))));
        assertEquals(List.of(4), indexes(reader.query(
                new JournalReader.Query("sales", "radio", "first", "555", "completed", T0 + 4_000, 100))));
        assertEquals(List.of(), indexes(reader.query(
                new JournalReader.Query("support", null, null, null, null, T0, 100))));
    }

    private static List<Integer> indexes(List<ObjectNode> calls) {
        final List<Integer> out = new ArrayList<>();
        for (JsonNode call : calls) {
            out.add(Integer.parseInt(call.path("key").asText().substring(3)));
        }
        return out;
    }

    @Test
    void aLineCutShortByACrashStaysOnItsOwnLine() throws IOException {
        Files.writeString(dir.resolve("calls-2026-03-10.jsonl"), "{\"record\":\"call\",\"id\":\"cut");
        final Journal journal = new Journal(dir, 0, errors::add);
        final CallRecord r = call(T0 + 61_000, T0 + 62_000, "sales", CallStatus.COMPLETED, 4);
        journal.onEnded(r);
        journal.onClose();
        final List<String> lines = Files.readAllLines(dir.resolve("calls-2026-03-10.jsonl"));
        assertEquals(2, lines.size());
        final JournalReader reader = new JournalReader(dir, at(T0 + 100_000), TimeUnit.HOURS.toMillis(4));
        assertTrue(reader.find(r.id()).isPresent());
        assertEquals(1, reader.query(new JournalReader.Query(null, null, T0, 10)).size());
    }

    @Test
    void actionsWaitingForTheDiskRunOnlyOnceItIsForced() throws IOException {
        final Journal journal = new Journal(dir, 60_000, errors::add);
        final boolean[] ran = new boolean[1];
        journal.onEnded(call(T0, T0 + 1_000, "sales", CallStatus.COMPLETED, 5));
        journal.afterSync(() -> ran[0] = true);
        journal.onBatchEnd(System.nanoTime());
        assertEquals(1, journal.linesWritten(), "written at the end of the drain, for readers");
        assertFalse(ran[0], "not forced yet: the interval has not passed");
        journal.onClose();
        assertTrue(ran[0]);
    }

    @Test
    void theFilesAreReadableWithJqAndTheDocumentedMergeWorks() throws Exception {
        final String jq = RequiredTool.fromEnvironment().require(jq(), "jq (the journal's readability check)",
                "apt-get install jq");
        final Journal journal = new Journal(dir, 0, errors::add);
        final CallRecord r = call(T0, T0 + 30_000, "sales", CallStatus.COMPLETED, 6);
        journal.onEnded(r);
        journal.onEnded(call(T0, T0 + 40_000, "sales", CallStatus.BUSY, 7));
        journal.onBatchEnd(System.nanoTime());
        final ConversionOutcome before = r.conversion();
        r.applyPostback(new ConversionOutcome(before.source(),
                new ConversionOutcome.Side(ConversionOutcome.Status.CONVERTED, new BigDecimal("25.00"), "postback")));
        journal.onConvertedAfterEnd(r, before, T0 + 50_000);
        journal.onClose();
        final String merged = run(dir, jq, "-s", "-c",
                "reduce .[] as $l ({}; .[$l.id] += ($l | del(.record))) | map_values({status, revenue})",
                "calls-2026-03-09.jsonl", "conversions-2026-03-09.jsonl");
        assertEquals("{\"" + r.id() + "\":{\"status\":\"completed\",\"revenue\":25},\"" + call(T0, 0, "", null, 7).id()
                + "\":{\"status\":\"busy\",\"revenue\":0}}", merged.trim());
    }

    private static Optional<String> jq() {
        return Stream.of("/usr/bin/jq", "/usr/local/bin/jq").filter(candidate -> Files.isExecutable(Path.of(candidate)))
                .findFirst();
    }

    private static String run(Path dir, String... command) throws Exception {
        final Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "jq finished");
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
