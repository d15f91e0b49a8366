package org.callrouter.server.leads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.callrouter.routing.config.AttributionConfig;
import org.callrouter.routing.lead.CreditModel;
import org.callrouter.routing.lead.Identity;
import org.callrouter.routing.lead.IdentityKind;
import org.callrouter.routing.lead.ReportDimension;
import org.callrouter.routing.lead.ReportRow;
import org.callrouter.routing.lead.ReportSpec;
import org.callrouter.routing.lead.SessionStatus;
import org.callrouter.server.records.JournalPosition;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The store's rules (server README, "Leads, sessions and sales") on DuckDB and on PostgreSQL. */
class JdbcLeadStoreTest {

    @RegisterExtension
    static final StoreEngines ENGINES = new StoreEngines();

    private static final long T0 = 1_780_000_000_000L;
    private static final long HOUR = 3_600_000L;
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(T0 + 100 * HOUR), ZoneOffset.UTC);
    private static final Identity ALICE_PHONE = new Identity(IdentityKind.PHONE, "+15551230001");
    private static final ReportSpec BY_SOURCE = new ReportSpec(List.of(ReportDimension.UTM_SOURCE), ZoneId.of("UTC"),
            0, Long.MAX_VALUE, Map.of());

    private static JdbcLeadStore open(String engine) {
        return ENGINES.open(engine, AttributionConfig.DEFAULT, CLOCK);
    }

    private static JdbcLeadStore open(String engine, AttributionConfig attribution) {
        return ENGINES.open(engine, attribution, CLOCK);
    }

    @ParameterizedTest
    @MethodSource("org.callrouter.server.leads.StoreEngines#names")
    void aCallMakesALeadOfItsCallerAndARepeatCallJoinsIt(String engine) {
        try (JdbcLeadStore store = open(engine)) {
            store.ingest(LeadRows.calls(LeadRows.call("c1", T0, "+1 (555) 123-0001", "camp")));
            store.ingest(LeadRows.calls(LeadRows.call("c2", T0 + HOUR, "+15551230001", "camp")));
            String lead = store.leadOf(ALICE_PHONE).orElseThrow();
            LeadView view = store.lead(lead).orElseThrow();
            assertEquals(List.of("c1", "c2"), view.sessions().stream().map(SessionView::id).toList());
            assertEquals("c1", view.origin().sessionId());
            assertEquals("c2", view.lastTouch().sessionId());
            assertFalse(view.unattributed());
            assertEquals(ALICE_PHONE, view.sessions().get(0).via());
            assertEquals(SessionStatus.COMPLETE, view.sessions().get(0).status());
        }
    }

    @ParameterizedTest
    @MethodSource("org.callrouter.server.leads.StoreEngines#names")
    void aBatchIngestedTwiceStoresEachCallOnceAndKeepsItsPosition(String engine) {
        try (JdbcLeadStore store = open(engine)) {
            IngestBatch batch = new IngestBatch("n1", List.of(LeadRows.call("c1", T0, "+15551230001", "camp"),
                    LeadRows.call("c1", T0, "+15551230001", "camp")), List.of(), List.of(), List.of(),
                    Map.of("calls", new JournalPosition("calls-2026-06-01.jsonl", 4096)));
            store.ingest(batch);
            store.ingest(batch);
            assertEquals(1, store.callRecords(new CallQuery(null, null, null, null, null, 0, 10)).size());
            assertEquals(Map.of("calls", new JournalPosition("calls-2026-06-01.jsonl", 4096)), store.positions("n1"));
            assertEquals(Map.of(), store.positions("n2"));
            assertEquals(1, store.lead(store.leadOf(ALICE_PHONE).orElseThrow()).orElseThrow().sessions().size());
        }
    }

    @ParameterizedTest
    @MethodSource("org.callrouter.server.leads.StoreEngines#names")
    void aBatchThatFailsStoresNothingNotEvenItsPosition(String engine) {
        try (JdbcLeadStore store = open(engine)) {
            store.ingest(new IngestBatch("n1", List.of(), List.of(), List.of(), List.of(),
                    Map.of("calls", new JournalPosition("calls-a.jsonl", 10))));
            CallRow good = LeadRows.call("c1", T0, "+15551230001", "camp");
            CallRow bad = new CallRow("c2", T0, null, null, null, 0, "camp", null, null, "+15551230002", null, false,
                    false, false, null, null, 0, null, null, null, Map.of(), "{}", List.of());
            IngestBatch batch = new IngestBatch("n1", List.of(good, bad), List.of(), List.of(), List.of(),
                    Map.of("calls", new JournalPosition("calls-a.jsonl", 500)));
            assertThrows(LeadStoreException.class, () -> store.ingest(batch));
            assertNotNull(store.health().lastError());
            assertEquals(Map.of("calls", new JournalPosition("calls-a.jsonl", 10)), store.positions("n1"));
            assertEquals(List.of(), store.callRecords(new CallQuery(null, null, null, null, null, 0, 10)));
            assertTrue(store.leadOf(ALICE_PHONE).isEmpty());
            store.ingest(LeadRows.calls(good));
            assertTrue(store.leadOf(ALICE_PHONE).isPresent());
        }
    }

    @ParameterizedTest
    @MethodSource("org.callrouter.server.leads.StoreEngines#names")
    void aVisitorWhoCallsIsOneLeadAndTheWebSessionTakesTheCallStatus(String engine) {
        try (JdbcLeadStore store = open(engine)) {
            store.ingest(LeadRows.visits(LeadRows.visit("v1", T0, "camp", "facebook"),
                    LeadRows.visit("v2", T0, "camp", "google")));
            CallRow call = LeadRows.call("c1", T0 + 60_000, "+15551230001", "camp", "v1", Map.of("utm_source", "facebook"));
            store.ingest(new IngestBatch(LeadRows.NODE, List.of(call), List.of(), List.of(),
                    List.of(new VisitEndRow("v1", T0 + HOUR), new VisitEndRow("v2", T0 + HOUR)), Map.of()));
            String lead = store.leadOf(ALICE_PHONE).orElseThrow();
            assertEquals(lead, store.leadOf(new Identity(IdentityKind.VISITOR, "v1")).orElseThrow());
            LeadView view = store.lead(lead).orElseThrow();
            assertEquals("v1", view.origin().sessionId());
            assertEquals("facebook", view.origin().tracking().get("utm_source"));
            assertEquals(SessionStatus.COMPLETE, view.sessions().get(0).status());
            assertEquals(new Identity(IdentityKind.PHONE, "+15551230001"), view.sessions().get(1).via());
            List<SessionView> expired = store.sessions(new SessionQuery(SessionStatus.EXPIRED, null, null, null, null, 10));
            assertEquals(List.of("v2"), expired.stream().map(SessionView::id).toList());
        }
    }

    @ParameterizedTest
    @MethodSource("org.callrouter.server.leads.StoreEngines#names")
    void aCallLinkingTwoLeadsMergesThemIntoTheOneWithTheEarliestSession(String engine) {
        try (JdbcLeadStore store = open(engine)) {
            store.ingest(LeadRows.visits(LeadRows.visit("v1", T0, "camp", "facebook")));
            store.ingest(LeadRows.calls(LeadRows.call("c1", T0 + HOUR, "+15551230001", "camp")));
            String web = store.leadOf(new Identity(IdentityKind.VISITOR, "v1")).orElseThrow();
            String phone = store.leadOf(ALICE_PHONE).orElseThrow();
            assertNotEquals(web, phone);
            store.ingest(LeadRows.calls(LeadRows.call("c2", T0 + 2 * HOUR, "+15551230001", "camp", "v1", Map.of())));
            assertEquals(web, store.leadOf(ALICE_PHONE).orElseThrow());
            assertEquals(web, store.lead(phone).orElseThrow().mergedInto());
            assertEquals(3, store.lead(web).orElseThrow().sessions().size());
            AuditEntry merge = store.audit(phone).get(0);
            assertEquals("merge", merge.action());
            assertEquals("router", merge.actor());
            assertTrue(merge.detail().contains("phone:+15551230001"), merge.detail());
        }
    }

    @ParameterizedTest
    @MethodSource("org.callrouter.server.leads.StoreEngines#names")
    void aSaleMatchingNobodyIsAnUnattributedLeadAndAnOrderIdMakesItIdempotent(String engine) {
        try (JdbcLeadStore store = open(engine)) {
            SaleResult first = store.recordSale(LeadRows.sale(" Bob@Example.COM ", null, "45.00", "o-1", T0), "api:t");
            assertTrue(first.created());
            assertTrue(first.unattributed());
            assertNull(first.sale().credited());
            assertEquals(new Identity(IdentityKind.EMAIL, "bob@example.com"), first.sale().via());
            SaleResult again = store.recordSale(LeadRows.sale("other@example.com", null, "99.00", "o-1", T0), "api:t");
            assertFalse(again.created());
            assertEquals(first.sale().id(), again.sale().id());
            assertEquals(0, new BigDecimal("45.00").compareTo(again.sale().amount()));
            assertEquals(first.leadId(), store.leadOf(new Identity(IdentityKind.EMAIL, "bob@example.com")).orElseThrow());
        }
    }

    @ParameterizedTest
    @MethodSource("org.callrouter.server.leads.StoreEngines#names")
    void aSaleWithoutAUsableIdentityIsRefusedWithTheReason(String engine) {
        AttributionConfig ignoring = new AttributionConfig(CreditModel.FIRST_TOUCH, List.of("+15550009999"),
                List.of("checkout@shop.example"), "US");
        try (JdbcLeadStore store = open(engine, ignoring)) {
            IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                    () -> store.recordSale(LeadRows.sale(null, null, "1.00", null, T0), "api:t"));
            assertTrue(none.getMessage().contains("no usable identity"), none.getMessage());
            IllegalArgumentException ignored = assertThrows(IllegalArgumentException.class,
                    () -> store.recordSale(LeadRows.sale("Checkout@shop.example", "+1 555 000 9999", "1.00", null, T0),
                            "api:t"));
            assertTrue(ignored.getMessage().contains("ignored"), ignored.getMessage());
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                    () -> store.recordSale(LeadRows.sale("no-at-sign", null, "1.00", null, T0), "api:t"));
            assertTrue(bad.getMessage().contains("one @"), bad.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("org.callrouter.server.leads.StoreEngines#names")
    void ignoredNumbersNeverLinkCallers(String engine) {
        AttributionConfig ignoring = new AttributionConfig(CreditModel.FIRST_TOUCH, List.of("+15550009999"), List.of(),
                "US");
        try (JdbcLeadStore store = open(engine, ignoring)) {
            store.ingest(LeadRows.visits(LeadRows.visit("v1", T0, "camp", "a"), LeadRows.visit("v2", T0, "camp", "b")));
            store.ingest(LeadRows.calls(LeadRows.call("c1", T0 + 1, "+15550009999", "camp", "v1", Map.of()),
                    LeadRows.call("c2", T0 + 2, "+15550009999", "camp", "v2", Map.of())));
            assertTrue(store.leadOf(new Identity(IdentityKind.PHONE, "+15550009999")).isEmpty());
            assertNotEquals(store.leadOf(new Identity(IdentityKind.VISITOR, "v1")),
                    store.leadOf(new Identity(IdentityKind.VISITOR, "v2")));
        }
    }

    @ParameterizedTest
    @MethodSource("org.callrouter.server.leads.StoreEngines#names")
    void aSaleIsCreditedToTheFirstOrTheLastTouch(String engine) {
        try (JdbcLeadStore store = open(engine)) {
            store.ingest(LeadRows.visits(LeadRows.visit("v1", T0, "camp", "facebook")));
            store.ingest(LeadRows.calls(LeadRows.call("c1", T0 + HOUR, "+15551230001", "camp", "v1",
                    Map.of("utm_source", "facebook"))));
            store.ingest(LeadRows.calls(LeadRows.call("c2", T0 + 3 * HOUR, "+15551230001", "camp2", null,
                    Map.of("utm_source", "google"))));
            SaleResult sale = store.recordSale(LeadRows.sale(null, "555-123-0001", "100.00", "o-1", T0 + 2 * HOUR),
                    "api:t");
            assertFalse(sale.unattributed());
            assertEquals("v1", sale.sale().credited().sessionId());
            assertEquals(ALICE_PHONE, sale.sale().via());
            assertEquals(new BigDecimal("100.0000"), salesOf(store.report(BY_SOURCE, CreditModel.FIRST_TOUCH), "facebook"));
            // last touch: the latest session started before the sale (c1), not the later c2
            List<ReportRow> last = store.report(new ReportSpec(List.of(ReportDimension.CAMPAIGN), ZoneId.of("UTC"), 0,
                    Long.MAX_VALUE, Map.of()), CreditModel.LAST_TOUCH);
            assertEquals(new BigDecimal("100.0000"), last.stream().filter(r -> "camp".equals(r.key().get(
                    ReportDimension.CAMPAIGN))).findFirst().orElseThrow().salesAmount());
            assertEquals(2, store.report(BY_SOURCE, CreditModel.FIRST_TOUCH).stream().mapToLong(ReportRow::calls).sum());
        }
    }

    private static BigDecimal salesOf(List<ReportRow> rows, String utmSource) {
        return rows.stream().filter(r -> utmSource.equals(r.key().get(ReportDimension.UTM_SOURCE)))
                .map(ReportRow::salesAmount).findFirst().orElse(BigDecimal.ZERO).setScale(4);
    }

    @ParameterizedTest
    @MethodSource("org.callrouter.server.leads.StoreEngines#names")
    void assignOriginCreditsTheSaleAndDisconnectTakesItBack(String engine) {
        try (JdbcLeadStore store = open(engine)) {
            store.ingest(LeadRows.visits(LeadRows.visit("v1", T0, "camp", "facebook")));
            store.ingest(LeadRows.calls(LeadRows.call("c1", T0 + HOUR, "+15551230001", "camp", "v1",
                    Map.of("utm_source", "facebook"))));
            SaleResult sale = store.recordSale(LeadRows.sale("bob@example.com", null, "45.00", "o-1", T0 + 2 * HOUR),
                    "api:t");
            assertTrue(sale.unattributed());
            assertEquals(new BigDecimal("0.0000"), salesOf(store.report(BY_SOURCE, CreditModel.FIRST_TOUCH), "facebook"));

            AssignResult assigned = store.assignOrigin(sale.leadId(), ALICE_PHONE, "api:ops");
            String origin = store.leadOf(ALICE_PHONE).orElseThrow();
            assertEquals(origin, assigned.targetLeadId());
            assertEquals(List.of(new Identity(IdentityKind.EMAIL, "bob@example.com")), assigned.movedIdentities());
            assertEquals(1, assigned.movedSales());
            assertEquals(new BigDecimal("45.0000"), salesOf(store.report(BY_SOURCE, CreditModel.FIRST_TOUCH), "facebook"));
            assertEquals("v1", store.lead(origin).orElseThrow().sales().get(0).credited().sessionId());
            assertEquals("assign-origin", store.audit(sale.leadId()).get(0).action());

            DisconnectResult undone = store.disconnect(origin, assigned.movedIdentities(), "api:ops");
            assertEquals(1, undone.movedSales());
            assertEquals(new BigDecimal("0.0000"), salesOf(store.report(BY_SOURCE, CreditModel.FIRST_TOUCH), "facebook"));
            LeadView split = store.lead(undone.newLeadId()).orElseThrow();
            assertTrue(split.unattributed());
            assertEquals(1, split.sales().size());
            assertEquals(List.of("assign-origin", "disconnect"),
                    store.audit(origin).stream().map(AuditEntry::action).sorted().toList());
        }
    }

    @ParameterizedTest
    @MethodSource("org.callrouter.server.leads.StoreEngines#names")
    void repairsRefuseWhatTheLeadsDoNotAllow(String engine) {
        try (JdbcLeadStore store = open(engine)) {
            store.ingest(LeadRows.calls(LeadRows.call("c1", T0, "+15551230001", "camp"),
                    LeadRows.call("c2", T0, "+15551230002", "camp")));
            String a = store.leadOf(ALICE_PHONE).orElseThrow();
            String b = store.leadOf(new Identity(IdentityKind.PHONE, "+15551230002")).orElseThrow();
            assertThrows(LeadNotFoundException.class, () -> store.assignOrigin("Lnope", b, "t"));
            assertThrows(LeadNotFoundException.class, () -> store.assignOrigin(a, "Lnope", "t"));
            assertThrows(LeadNotFoundException.class,
                    () -> store.assignOrigin(a, new Identity(IdentityKind.EMAIL, "x@y.z"), "t"));
            assertThrows(LeadConflictException.class, () -> store.assignOrigin(a, a, "t"));
            assertThrows(LeadConflictException.class, () -> store.disconnect(a, List.of(ALICE_PHONE), "t"));
            assertThrows(LeadConflictException.class,
                    () -> store.disconnect(a, List.of(new Identity(IdentityKind.PHONE, "+15551230002")), "t"));
            store.assignOrigin(a, b, "t");
            LeadConflictException merged = assertThrows(LeadConflictException.class, () -> store.assignOrigin(a, b, "t"));
            assertEquals("lead " + a + " is merged into " + b, merged.getMessage());
            // b's chain would lead back to a only if a were b's target: a merged target resolves to its lead
            LeadConflictException cycle = assertThrows(LeadConflictException.class, () -> store.assignOrigin(b, a, "t"));
            assertTrue(cycle.getMessage().contains("cycle"), cycle.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("org.callrouter.server.leads.StoreEngines#names")
    void disconnectMovesOnlyWhatCameThroughTheIdentity(String engine) {
        try (JdbcLeadStore store = open(engine)) {
            store.ingest(LeadRows.visits(LeadRows.visit("v1", T0, "camp", "facebook")));
            store.ingest(LeadRows.calls(LeadRows.call("c1", T0 + HOUR, "+15551230001", "camp", "v1", Map.of()),
                    LeadRows.call("c2", T0 + 2 * HOUR, "+15559990000", "camp", "v1", Map.of())));
            String lead = store.leadOf(ALICE_PHONE).orElseThrow();
            Identity rep = new Identity(IdentityKind.PHONE, "+15559990000");
            assertEquals(lead, store.leadOf(rep).orElseThrow());
            DisconnectResult result = store.disconnect(lead, List.of(rep), "api:ops");
            assertEquals(1, result.movedSessions());
            assertEquals(result.newLeadId(), store.leadOf(rep).orElseThrow());
            assertEquals(List.of("c2"), store.lead(result.newLeadId()).orElseThrow().sessions().stream()
                    .map(SessionView::id).toList());
            assertEquals(List.of("v1", "c1"), store.lead(lead).orElseThrow().sessions().stream()
                    .map(SessionView::id).toList());
        }
    }

    @ParameterizedTest
    @MethodSource("org.callrouter.server.leads.StoreEngines#names")
    void conversionsUpdateTheCallWhicheverArrivesFirst(String engine) {
        try (JdbcLeadStore store = open(engine)) {
            CallRow notConverted = LeadRows.call(LeadRows.call("c1", T0, "+15551230001", "camp"), "completed", true, true);
            store.ingest(LeadRows.calls(notConverted));
            assertEquals(SessionStatus.REJECTED, store.sessions(new SessionQuery(null, null, "call", null, null, 5))
                    .get(0).status());
            ConversionRow conversion = new ConversionRow("c1", T0 + HOUR, true, new BigDecimal("25.00"),
                    new BigDecimal("20.00"), "{\"record\":\"conversion\",\"id\":\"c1\",\"converted\":true,\"revenue\":25.00}");
            store.ingest(new IngestBatch(LeadRows.NODE, List.of(), List.of(conversion), List.of(), List.of(), Map.of()));
            assertEquals(SessionStatus.COMPLETE, store.sessions(new SessionQuery(null, null, "call", null, null, 5))
                    .get(0).status());
            String line = store.callRecord("c1").orElseThrow();
            assertTrue(line.contains("\"converted\":true") && line.contains("\"revenue\":25.00"), line);
            // a conversion stored before its call is applied when the call arrives
            store.ingest(new IngestBatch(LeadRows.NODE, List.of(), List.of(new ConversionRow("c2", T0 + HOUR, true,
                    new BigDecimal("5.00"), BigDecimal.ZERO, "{\"record\":\"conversion\",\"id\":\"c2\"}")), List.of(),
                    List.of(), Map.of()));
            store.ingest(LeadRows.calls(LeadRows.call(LeadRows.call("c2", T0, "+15551230002", "camp"), "completed", true,
                    true)));
            ReportRow total = store.report(new ReportSpec(List.of(), ZoneId.of("UTC"), 0, Long.MAX_VALUE, Map.of()),
                    CreditModel.FIRST_TOUCH).get(0);
            assertEquals(2, total.converted());
            assertEquals(0, new BigDecimal("30.00").compareTo(total.revenue()));
        }
    }

    @ParameterizedTest
    @MethodSource("org.callrouter.server.leads.StoreEngines#names")
    void callQueriesFilterLikeTheJournalReader(String engine) {
        try (JdbcLeadStore store = open(engine)) {
            store.ingest(LeadRows.calls(LeadRows.call("c1", T0, "+15551230001", "a"),
                    LeadRows.call("c2", T0 + 1000, "+15551230002", "b"),
                    LeadRows.call(LeadRows.call("c3", T0 + 2000, "+15551230003", "a"), "no-answer", false, false)));
            assertEquals(List.of("c3", "c1"), ids(store.callRecords(new CallQuery("a", null, null, null, null, 0, 10))));
            assertEquals(List.of("c3"), ids(store.callRecords(new CallQuery(null, null, null, null, "no-answer", 0, 10))));
            assertEquals(List.of("c2"), ids(store.callRecords(new CallQuery(null, null, null, "230002", null, 0, 10))));
            assertEquals(3, store.callRecords(new CallQuery(null, null, "h0", null, null, 0, 10)).size());
            assertEquals(List.of(), store.callRecords(new CallQuery(null, null, "h", null, null, 0, 10)));
            assertEquals(List.of("c3"), ids(store.callRecords(new CallQuery(null, null, null, null, null, T0 + 1500, 10))));
            assertEquals(List.of(), store.callRecords(new CallQuery(null, null, null, "%", null, 0, 10)));
            assertTrue(store.callRecord("nope").isEmpty());
        }
    }

    private static List<String> ids(List<String> lines) {
        return lines.stream().map(l -> l.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1")).toList();
    }

    @ParameterizedTest
    @MethodSource("org.callrouter.server.leads.StoreEngines#names")
    void reportsGroupAndFilter(String engine) {
        try (JdbcLeadStore store = open(engine)) {
            store.ingest(LeadRows.calls(LeadRows.call("c1", T0, "+15551230001", "a", null, Map.of("utm_source", "fb")),
                    LeadRows.call("c2", T0 + 1000, "+15551230002", "a", null, Map.of("utm_source", "g")),
                    LeadRows.call(LeadRows.call("c3", T0 + 2000, "+15551230003", "b"), "busy", false, false)));
            store.recordSale(new SaleInput(null, "+15551230001", null, null, new BigDecimal("10"), "EUR", "o1", T0 + 5),
                    "t");
            List<ReportRow> rows = store.report(new ReportSpec(List.of(ReportDimension.CAMPAIGN), ZoneId.of("UTC"), 0,
                    Long.MAX_VALUE, Map.of()), CreditModel.FIRST_TOUCH);
            assertEquals(2, rows.size());
            ReportRow a = rows.get(0);
            assertEquals("a", a.key().get(ReportDimension.CAMPAIGN));
            assertEquals(2, a.calls());
            assertEquals(2, a.answered());
            assertEquals(60.0, a.avgTalkSeconds());
            assertEquals(1, a.salesCount());
            assertEquals(0, rows.get(1).answered());
            List<ReportRow> filtered = store.report(new ReportSpec(List.of(ReportDimension.UTM_SOURCE), ZoneId.of("UTC"),
                    0, Long.MAX_VALUE, Map.of(ReportDimension.CAMPAIGN, "a")), CreditModel.FIRST_TOUCH);
            assertEquals(List.of("fb", "g"), filtered.stream().map(r -> r.key().get(ReportDimension.UTM_SOURCE)).toList());
            List<ReportRow> byCurrency = store.report(new ReportSpec(List.of(ReportDimension.CURRENCY), ZoneId.of("UTC"),
                    0, Long.MAX_VALUE, Map.of()), CreditModel.FIRST_TOUCH);
            assertEquals("EUR", byCurrency.get(0).key().get(ReportDimension.CURRENCY));
            assertEquals(1, byCurrency.get(0).salesCount());
            assertEquals(3, byCurrency.get(1).calls());
            List<ReportRow> window = store.report(new ReportSpec(List.of(), ZoneId.of("UTC"), T0 + 500, T0 + 1500,
                    Map.of()), CreditModel.FIRST_TOUCH);
            assertEquals(1, window.get(0).calls());
        }
    }

    @ParameterizedTest
    @MethodSource("org.callrouter.server.leads.StoreEngines#names")
    void pruneDeletesOldRowsButKeepsLeads(String engine) {
        try (JdbcLeadStore store = open(engine)) {
            store.ingest(LeadRows.calls(LeadRows.call("c1", T0, "+15551230001", "a"),
                    LeadRows.call("c2", T0 + HOUR, "+15551230001", "a")));
            assertEquals(2, store.prune(T0 + 1)); // c1's row and its session
            assertEquals(List.of("c2"), ids(store.callRecords(new CallQuery(null, null, null, null, null, 0, 10))));
            assertTrue(store.leadOf(ALICE_PHONE).isPresent());
        }
    }

    @ParameterizedTest
    @MethodSource("org.callrouter.server.leads.StoreEngines#names")
    void healthNamesTheEngineWithoutThePassword(String engine) {
        try (JdbcLeadStore store = open(engine)) {
            StoreHealth health = store.health();
            assertEquals(engine, health.engine());
            assertNull(health.lastError());
            assertFalse(health.url().contains("password=callrouter"), health.url());
        }
    }
}
