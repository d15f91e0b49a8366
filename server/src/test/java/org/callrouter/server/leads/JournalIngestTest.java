package org.callrouter.server.leads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import org.callrouter.routing.lead.CreditModel;
import org.callrouter.routing.lead.Identity;
import org.callrouter.routing.lead.ReportRow;
import org.callrouter.routing.lead.ReportSpec;
import org.callrouter.server.records.RecordJson;
import org.callrouter.server.records.JournalPosition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link JournalIngest} over a real store, embedded DuckDB and PostgreSQL ({@link StoreEngines}): whole lines only, restarts from
 * the stored positions, a failing database then its recovery with nothing lost or doubled.
 * The rounds are run one by one ({@link JournalIngest#step}), so nothing waits on time.
 */
class JournalIngestTest {

    static final long T0 = Instant.parse("2026-12-06T10:00:00Z").toEpochMilli();
    static final String DAY = "2026-12-06";
    static final Clock WALL = Clock.fixed(Instant.ofEpochMilli(T0 + 3_600_000), ZoneOffset.UTC);
    static final JournalIngest.Settings SETTINGS = new JournalIngest.Settings(4, 100, 250, 1000);

    @TempDir
    Path dir;
    Path journal;
    LeadStore store;
    final List<Throwable> errors = new ArrayList<>();

    @RegisterExtension
    static final StoreEngines ENGINES = new StoreEngines();

    /** A fresh store on {@code engine} and an empty journal. */
    void open(String engine) throws IOException {
        journal = Files.createDirectories(dir.resolve("journal"));
        store = ENGINES.open(engine);
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    /** A call line as the journal writes it, received at {@code T0 + i} seconds. */
    static String callLine(int i) {
        return callLine(i, T0);
    }

    /** A call line received at {@code baseMs + i} seconds. */
    static String callLine(int i, long baseMs) {
        final long received = baseMs + i * 1000L;
        return "{\"record\":\"call\",\"id\":\"" + callId(i, baseMs) + "\",\"key\":\"k" + i + "\",\"status\":\"completed\","
                + "\"sip_status\":200,\"reason\":null,\"campaign\":\"sales\",\"source\":\"web\","
                + "\"caller\":\"+1415555" + String.format("%04d", i) + "\",\"dialed\":\"+18005550100\","
                + "\"received_at\":\"" + RecordJson.time(received) + "\",\"answered_at\":\""
                + RecordJson.time(received + 2000) + "\",\"ended_at\":\"" + RecordJson.time(received + 32_000)
                + "\",\"ring_seconds\":2.000,\"talk_seconds\":30.000,\"handler\":\"primary\",\"converted\":false,"
                + "\"revenue\":0,\"payout\":0,\"conversion\":null,\"attempts\":[{\"handler\":\"primary\","
                + "\"started_at\":\"" + RecordJson.time(received) + "\",\"ended_at\":\""
                + RecordJson.time(received + 32_000) + "\",\"result\":\"answered\",\"sip_status\":200}],"
                + "\"skipped\":[],\"tags\":{\"utm_source\":\"facebook\"},\"routing_seconds\":0.000012}";
    }

    static String callId(int i) {
        return callId(i, T0);
    }

    static String callId(int i, long baseMs) {
        return "c" + Long.toHexString(baseMs + i * 1000L) + String.format("%010d", i);
    }

    void append(String file, String text) throws IOException {
        Files.writeString(journal.resolve(file), text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    void appendCalls(int from, int to) throws IOException {
        final StringBuilder text = new StringBuilder();
        for (int i = from; i < to; i++) {
            text.append(callLine(i)).append('\n');
        }
        append("calls-" + DAY + ".jsonl", text.toString());
    }

    JournalIngest ingest(LeadStore into) {
        return new JournalIngest(into, journal, "n-test", SETTINGS, null, WALL, errors::add);
    }

    /** Runs rounds until one finds nothing to store (a pause that is not a back-off). */
    static void drain(JournalIngest ingest) {
        for (int round = 0; round < 1000; round++) {
            if (ingest.step() > 0 && ingest.state() == JournalIngest.State.RUNNING) {
                return;
            }
        }
        throw new AssertionError("the ingest did not catch up in 1000 rounds");
    }

    List<String> storedIds() {
        final List<String> ids = new ArrayList<>();
        for (String line : store.callRecords(new CallQuery(null, null, null, null, null, 0, 100_000))) {
            try {
                ids.add(RecordJson.parse(line).path("id").asText());
            } catch (IOException e) {
                throw new AssertionError(line, e);
            }
        }
        ids.sort(null);
        return ids;
    }

    static List<String> ids(int from, int to) {
        final List<String> ids = new ArrayList<>();
        for (int i = from; i < to; i++) {
            ids.add(callId(i));
        }
        ids.sort(null);
        return ids;
    }

    @ParameterizedTest
    @MethodSource("org.callrouter.server.leads.StoreEngines#names")
    void wholeLinesAreStoredInBatchesAndAPartialLastLineWaitsForItsNewline(String engine) throws IOException {
        open(engine);
        appendCalls(0, 10);
        final String eleventh = callLine(10);
        append("calls-" + DAY + ".jsonl", eleventh.substring(0, 100));
        final JournalIngest ingest = ingest(store);
        drain(ingest);
        assertEquals(ids(0, 10), storedIds());
        assertEquals(10, ingest.ingested(JournalIngest.Kind.CALL));
        assertEquals(100, ingest.lagBytes(), "the partial line is lag");
        final JournalPosition position = store.positions("n-test").get("calls-" + DAY + ".jsonl");
        assertNotNull(position, store.positions("n-test").toString());
        assertEquals(Files.size(journal.resolve("calls-" + DAY + ".jsonl")) - 100, position.offset());

        append("calls-" + DAY + ".jsonl", eleventh.substring(100) + "\n");
        drain(ingest);
        assertEquals(ids(0, 11), storedIds());
        assertEquals(0, ingest.lagBytes());
        assertEquals(0, ingest.skipped());
        assertTrue(errors.isEmpty(), errors::toString);
        final JsonNode stored = parse(store.callRecord(callId(10)).orElseThrow());
        assertEquals("+14155550010", stored.path("caller").asText());
        assertEquals("facebook", stored.path("tags").path("utm_source").asText());
    }

    @ParameterizedTest
    @MethodSource("org.callrouter.server.leads.StoreEngines#names")
    void aRestartGoesOnFromTheStoredPositionsAndStoresNothingTwice(String engine) throws IOException {
        open(engine);
        appendCalls(0, 7);
        final JournalIngest first = ingest(store);
        drain(first);
        assertEquals(7, first.ingested(JournalIngest.Kind.CALL));

        appendCalls(7, 12);
        final JournalIngest second = ingest(store);
        drain(second);
        assertEquals(5, second.ingested(JournalIngest.Kind.CALL), "only the lines written after the first stopped");
        assertEquals(ids(0, 12), storedIds());

        // A file of an earlier day written again (crash recovery records a call on the day it ended).
        append("calls-2026-12-05.jsonl", callLine(100) + "\n");
        drain(second);
        assertEquals(1, second.ingested(JournalIngest.Kind.CALL) - 5);
        final List<String> all = new ArrayList<>(ids(0, 12));
        all.add(callId(100));
        all.sort(null);
        assertEquals(all, storedIds());
    }

    @ParameterizedTest
    @MethodSource("org.callrouter.server.leads.StoreEngines#names")
    void aFailingDatabaseMakesLinesWaitInTheJournalAndNothingIsLostOrDoubledWhenItIsBack(String engine) throws IOException {
        open(engine);
        final Failing failing = new Failing(store);
        appendCalls(0, 6);
        final JournalIngest ingest = ingest(failing);
        drain(ingest);
        assertEquals(ids(0, 6), storedIds());

        failing.down.set(true);
        appendCalls(6, 15);
        append("conversions-" + DAY + ".jsonl", "{\"record\":\"conversion\",\"id\":\"" + callId(7)
                + "\",\"converted_at\":\"" + RecordJson.time(T0 + 60_000) + "\",\"campaign\":\"sales\","
                + "\"handler\":\"primary\",\"converted\":true,\"revenue\":25.00,\"payout\":4.50,\"conversion\":null}\n");
        final long pause = ingest.step();
        assertTrue(pause >= SETTINGS.initialBackoffMs(), "backs off: " + pause);
        assertEquals(JournalIngest.State.BACKING_OFF, ingest.state());
        assertNotNull(ingest.lastError());
        assertTrue(ingest.lagBytes() > 0);
        final long second = ingest.step();
        assertEquals(2 * pause, second, "the pause doubles");
        assertEquals(2, ingest.failures());
        assertEquals(ids(0, 6), storedIds(), "nothing new stored while down");

        failing.down.set(false);
        drain(ingest);
        assertEquals(JournalIngest.State.RUNNING, ingest.state());
        assertNull(ingest.lastError());
        assertEquals(ids(0, 15), storedIds());
        assertEquals(15, ingest.ingested(JournalIngest.Kind.CALL));
        assertEquals(1, ingest.ingested(JournalIngest.Kind.CONVERSION));
        assertEquals(0, ingest.lagBytes());
        final JsonNode converted = parse(store.callRecord(callId(7)).orElseThrow());
        assertTrue(converted.path("converted").asBoolean(), converted::toString);
    }

    @ParameterizedTest
    @MethodSource("org.callrouter.server.leads.StoreEngines#names")
    void aLineThatIsNotARecordIsSkippedAndALineTheStoreKeepsRefusingIsSkippedAlone(String engine) throws IOException {
        open(engine);
        appendCalls(0, 3);
        append("calls-" + DAY + ".jsonl", "{\"record\":\"call\",\"id\":\"c-cut-sho\n");
        appendCalls(3, 9);
        final Failing failing = new Failing(store);
        failing.refused = callId(5);
        final JournalIngest ingest = ingest(failing);
        drain(ingest);
        final List<String> expected = new ArrayList<>(ids(0, 9));
        expected.remove(callId(5));
        assertEquals(expected, storedIds());
        assertEquals(2, ingest.skipped(), "the cut line and the refused one");
        assertEquals(0, ingest.lagBytes());
    }

    @ParameterizedTest
    @MethodSource("org.callrouter.server.leads.StoreEngines#names")
    void visitsAndTheirEndsAreStored(String engine) throws IOException {
        open(engine);
        final String session = "0123456789abcdef0123456789abcdef";
        append("visits-" + DAY + ".jsonl", "{\"record\":\"visit\",\"session\":\"" + session + "\",\"pool\":\"web\","
                + "\"campaign\":\"sales\",\"source\":\"facebook-ads\",\"created_at\":\"" + RecordJson.time(T0)
                + "\",\"page_url\":\"https://solar.example/\",\"utm_source\":\"facebook\",\"references\":[\"r-1\"],"
                + "\"tags\":{}}\n{\"record\":\"visit_end\",\"session\":\"" + session + "\",\"ended_at\":\""
                + RecordJson.time(T0 + 2_400_000) + "\"}\n");
        final JournalIngest ingest = ingest(store);
        drain(ingest);
        assertEquals(1, ingest.ingested(JournalIngest.Kind.VISIT));
        assertEquals(1, ingest.ingested(JournalIngest.Kind.VISIT_END));
        assertEquals(0, ingest.skipped());
        assertTrue(store.leadOf(new Identity(org.callrouter.routing.lead.IdentityKind.VISITOR, session)).isPresent());
    }

    @ParameterizedTest
    @MethodSource("org.callrouter.server.leads.StoreEngines#names")
    void retentionDeletesOldRowsAndTheOldFilesWhoseLinesAreAllStored(String engine) throws IOException {
        open(engine);
        final long fiveDaysAgo = T0 - 5 * 86_400_000L;
        append("calls-2026-12-01.jsonl", callLine(0, fiveDaysAgo) + "\n" + callLine(1, fiveDaysAgo) + "\n");
        // An old file with a line not yet complete: kept until that line is stored.
        append("visits-2026-12-01.jsonl", "{\"record\":\"visit_end\",\"session\":\"0123456789abcdef0123456789abcdef\"");
        appendCalls(0, 3);
        final JournalIngest ingest = new JournalIngest(store, journal, "n-test", SETTINGS,
                new JournalRetention(journal, 2, store, errors::add), WALL, errors::add);
        drain(ingest);
        assertEquals(ids(0, 3), storedIds(), "rows received five days ago are pruned, today's kept");
        assertTrue(Files.exists(journal.resolve("calls-" + DAY + ".jsonl")));
        assertTrue(!Files.exists(journal.resolve("calls-2026-12-01.jsonl")), "a stored old file is deleted");
        assertTrue(Files.exists(journal.resolve("visits-2026-12-01.jsonl")), "an old file not fully stored is kept");
        assertTrue(errors.isEmpty(), errors::toString);
    }

    private static JsonNode parse(String line) {
        try {
            return RecordJson.parse(line);
        } catch (IOException e) {
            throw new AssertionError(line, e);
        }
    }

    /** The real store, failing on demand: down (every call fails), or refusing batches with one call id. */
    static final class Failing implements LeadStore {
        final LeadStore store;
        final AtomicBoolean down = new AtomicBoolean();
        volatile String refused;

        Failing(LeadStore store) {
            this.store = store;
        }

        private void check() {
            if (down.get()) {
                throw new LeadStoreException("connection refused (test: database down)", null);
            }
        }

        @Override
        public void ingest(IngestBatch batch) {
            check();
            if (refused != null && batch.calls().stream().anyMatch(c -> c.id().equals(refused))) {
                throw new LeadStoreException("value too long (test: refused row)", null);
            }
            store.ingest(batch);
        }

        @Override
        public Map<String, JournalPosition> positions(String node) {
            check();
            return store.positions(node);
        }

        @Override
        public SaleResult recordSale(SaleInput sale, String actor) {
            return store.recordSale(sale, actor);
        }

        @Override
        public Optional<LeadView> lead(String leadId) {
            return store.lead(leadId);
        }

        @Override
        public Optional<String> leadOf(Identity identity) {
            return store.leadOf(identity);
        }

        @Override
        public AssignResult assignOrigin(String leadId, Identity target, String actor) {
            return store.assignOrigin(leadId, target, actor);
        }

        @Override
        public AssignResult assignOrigin(String leadId, String targetLeadId, String actor) {
            return store.assignOrigin(leadId, targetLeadId, actor);
        }

        @Override
        public DisconnectResult disconnect(String leadId, List<Identity> identities, String actor) {
            return store.disconnect(leadId, identities, actor);
        }

        @Override
        public List<AuditEntry> audit(String leadId) {
            return store.audit(leadId);
        }

        @Override
        public List<SessionView> sessions(SessionQuery query) {
            return store.sessions(query);
        }

        @Override
        public List<ReportRow> report(ReportSpec spec, CreditModel credit, ReportProgress progress) {
            return store.report(spec, credit, progress);
        }

        @Override
        public Optional<String> callRecord(String callId) {
            return store.callRecord(callId);
        }

        @Override
        public List<String> callRecords(CallQuery query) {
            return store.callRecords(query);
        }

        @Override
        public long prune(long beforeMs) {
            return store.prune(beforeMs);
        }

        @Override
        public StoreHealth health() {
            return store.health();
        }

        @Override
        public void close() {
            store.close();
        }
    }
}
