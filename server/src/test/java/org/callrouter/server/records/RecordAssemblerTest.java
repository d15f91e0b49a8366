package org.callrouter.server.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.callrouter.routing.ConversionOutcome;
import org.callrouter.routing.Router;
import org.callrouter.routing.config.RouterConfig;
import org.callrouter.server.TestConfig;
import org.callrouter.server.b2bua.AttemptResult;
import org.callrouter.server.b2bua.CallStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records from events, and postbacks against a real router's conversion service. */
class RecordAssemblerTest {

    private static final long T0 = 1_773_064_800_000L;
    private static final ConversionOutcome AT_END = new ConversionOutcome(
            new ConversionOutcome.Side(ConversionOutcome.Status.CONVERTED, new BigDecimal("4.50"), "attempt"),
            new ConversionOutcome.Side(ConversionOutcome.Status.PENDING, BigDecimal.ZERO, "awaiting postback"));

    @TempDir
    Path dir;

    private final List<Throwable> errors = new ArrayList<>();
    private final RecordingSink sink = new RecordingSink();
    private final Tickets tickets = new Tickets();
    private Router router;
    private Journal journal;
    private RecordAssembler assembler;

    @BeforeEach
    void open() throws Exception {
        final RouterConfig config = TestConfig.load(dir, """
                server:
                  data_dir: %s
                  health: { enabled: false }
                  admin: { listen: "127.0.0.1:0" }
                sources: [ { id: web } ]
                handlers:
                  - { id: first, uri: "sip:127.0.0.1:48999" }
                campaigns:
                  - id: sales
                    handlers: [first]
                    conversion:
                      source: { type: attempt, payout: 4.50 }
                      handler: { type: postback, revenue: 25.00, dedupe: 1h }
                numbers:
                  - { number: "+18005550100", campaign: sales, source: web }
                """.formatted(dir.resolve("data")));
        router = Router.open(config, Clock.systemUTC(), new SplittableRandom(1));
        journal = new Journal(dir.resolve("journal"), 0, errors::add);
        assembler = newAssembler();
    }

    private RecordAssembler newAssembler() {
        final RecordAssembler a = new RecordAssembler(List.of(journal, sink), journal, tickets, errors::add);
        a.conversions(router.conversions());
        return a;
    }

    @AfterEach
    void close() {
        journal.onClose();
        router.close();
        assertTrue(errors.isEmpty(), errors::toString);
    }

    private void answeredCall(String id, String caller) {
        assembler.received(id, "key-" + id, T0, 5_000, caller, "+18005550100", "sales", "web", Map.of());
        assembler.attemptStarted(id, "first", T0 + 10);
        assembler.attemptEnded(id, "first", AttemptResult.ANSWERED, 200, T0 + 2_000);
        assembler.answered(id, "first", T0 + 2_000);
    }

    private PostbackResult postback(String id, String key, String journalLine) throws Exception {
        final CompletableFuture<Object> answer = new CompletableFuture<>();
        assembler.onPostback(tickets.open(answer), id, key, journalLine, T0 + 30_000);
        journal.onBatchEnd(System.nanoTime());
        assertTrue(answer.isDone(), "answered once the journal is on disk");
        return (PostbackResult) answer.get();
    }

    @Test
    void aPostbackDuringTheCallIsKeptWhenItEnds() throws Exception {
        answeredCall("c1", "+14155550101");
        final PostbackResult result = postback("c1", "key-c1", null);
        assertEquals(PostbackResult.Status.APPLIED, result.status());
        assertTrue(result.changed());
        assertTrue(result.postback().handler().converted());
        assembler.ended("c1", CallStatus.COMPLETED, 200, "carrier hung up", T0 + 60_000, 2_000, 58_000, AT_END);
        final CallRecord r = sink.ended.get(0);
        assertEquals(new BigDecimal("25.00"), r.revenue());
        assertEquals(new BigDecimal("4.50"), r.payout());
        assertEquals("postback", r.conversion().handler().reason());
        assertTrue(sink.convertedAfterEnd.isEmpty(), "converted during the call: reported with the end");
    }

    @Test
    void aPostbackAfterTheEndWritesAConversionLineOnceAndRepeatsItsAnswer() throws Exception {
        answeredCall("c2", "+14155550102");
        assembler.ended("c2", CallStatus.COMPLETED, 200, "carrier hung up", T0 + 60_000, 2_000, 58_000, AT_END);
        final PostbackResult first = postback("c2", "key-c2", null);
        assertTrue(first.changed());
        assertEquals(1, sink.convertedAfterEnd.size());
        final PostbackResult again = postback("c2", "key-c2", null);
        assertEquals(PostbackResult.Status.APPLIED, again.status());
        assertFalse(again.changed(), "a repeated postback counts nothing");
        assertEquals(1, sink.convertedAfterEnd.size());
        final List<String> lines = Files.readAllLines(dir.resolve("journal").resolve(
                Journal.conversionsFile(Journal.day(T0 + 30_000))), StandardCharsets.UTF_8);
        assertEquals(1, lines.size());
        final ObjectNode line = RecordJson.parse(lines.get(0));
        assertEquals("conversion", line.path("record").asText());
        assertEquals("c2", line.path("id").asText());
        assertEquals("25.00", line.path("revenue").decimalValue().toPlainString());
        assertEquals("converted", line.path("conversion").path("handler").path("status").asText());
    }

    @Test
    void postbacksAreRefusedForAWrongKeyAnUnansweredCallOrAnUnknownOne() throws Exception {
        answeredCall("c3", "+14155550103");
        assertEquals(PostbackResult.Status.WRONG_KEY, postback("c3", "key-other", null).status());
        assembler.received("c4", "key-c4", T0, 1, "+14155550104", "+18005550100", "sales", "web", Map.of());
        assertEquals(PostbackResult.Status.NOT_ANSWERED, postback("c4", "key-c4", null).status());
        assertEquals(PostbackResult.Status.NOT_IN_MEMORY, postback("nope", "k", null).status());
    }

    @Test
    void aCallNoLongerInMemoryIsConvertedFromItsJournalLine() throws Exception {
        answeredCall("c5", "+14155550105");
        assembler.ended("c5", CallStatus.COMPLETED, 200, "handler hung up", T0 + 60_000, 2_000, 58_000, AT_END);
        final String line = new String(RecordJson.callLine(sink.ended.get(0)), StandardCharsets.UTF_8);
        assembler = newAssembler();
        assertEquals(PostbackResult.Status.NOT_IN_MEMORY, postback("c5", "key-c5", null).status());
        final PostbackResult result = postback("c5", "key-c5", line);
        assertEquals(PostbackResult.Status.APPLIED, result.status());
        assertTrue(result.changed());
        assertEquals(1, sink.convertedAfterEnd.size());
        assertEquals(new BigDecimal("25.00"), sink.convertedAfterEnd.get(0).revenue());
    }

    @Test
    void aCallWhoseEndNeverComesIsClosedAsIncomplete() {
        assembler.received("c6", "key-c6", T0, 1, "+14155550106", "+18005550100", "sales", "web", Map.of());
        assertEquals(0, assembler.sweep(T0 + 1_000, 10_000));
        assertEquals(1, assembler.sweep(T0 + 20_000, 10_000));
        final CallRecord r = sink.ended.get(0);
        assertEquals(CallStatus.FAILED, r.status());
        assertTrue(r.incomplete());
        assertEquals(0, assembler.liveCount());
    }
}
