package org.callrouter.server.leads;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.callrouter.routing.lead.IgnoredIdentities;
import org.callrouter.routing.lead.Identity;
import org.callrouter.routing.lead.IdentityKind;
import org.callrouter.routing.lead.SessionStatus;
import org.callrouter.routing.phone.PhoneNumbers;
import org.callrouter.server.records.JournalPosition;

/**
 * Stores one {@link IngestBatch} inside the caller's transaction with a fixed number of
 * statements per batch: keys are staged ({@code ingest_stage_*}) and joined, rows appended in
 * bulk ({@link RowSink}), web session changes applied by one UPDATE .. FROM the staged
 * statuses. Call ids and visit sessions already stored are dropped first, so a batch read
 * twice stores nothing twice.
 */
final class CallIngest {

    static final long QUARTER_MS = 900_000L;
    private static final String ROUTER = "router";
    private static final int CALL_COLUMNS = 26;
    private static final int SESSION_COLUMNS = 17;

    /** A session row to append. */
    private record SessionRow(String kind, String id, String lead, Identity via, SessionStatus status, long startedMs,
                              Long endedMs, String campaign, String source, String handler,
                              Map<String, String> tracking, boolean called) {
    }

    /** A conversion's figures. */
    private record Figures(long atMs, boolean converted, BigDecimal revenue, BigDecimal payout) {
    }

    /** A web session's new status, from the latest call through it. */
    private record WebStatus(SessionStatus status, long callMs) {
    }

    private final LeadLinker linker;
    private final IgnoredIdentities ignored;
    private final PhoneNumbers phones;
    private final Engine engine;

    CallIngest(LeadLinker linker, IgnoredIdentities ignored, PhoneNumbers phones, Engine engine) {
        this.linker = linker;
        this.ignored = ignored;
        this.phones = phones;
        this.engine = engine;
    }

    void ingest(Connection c, IngestBatch batch, long nowMs) throws SQLException {
        insertConversions(c, batch.conversions());
        List<CallRow> calls = newCalls(c, batch.calls());
        List<VisitRow> visits = newVisits(c, batch.visits());
        Map<String, Figures> latest = calls.isEmpty() || batch.conversions().isEmpty() && !hasConversions(c)
                ? Map.of() : latestConversions(c, calls);

        List<LeadLinker.Subject> subjects = new ArrayList<>(visits.size() + calls.size());
        List<Identity> via = new ArrayList<>(visits.size() + calls.size());
        for (VisitRow visit : visits) {
            Identity visitor = identity(IdentityKind.VISITOR, visit.session());
            via.add(visitor);
            subjects.add(new LeadLinker.Subject(visitor == null ? List.of() : List.of(visitor), visit.createdMs(),
                    visit.createdMs()));
        }
        for (CallRow call : calls) {
            Identity phone = identity(IdentityKind.PHONE, call.caller());
            Identity visitor = identity(IdentityKind.VISITOR, call.visitorSession());
            List<Identity> ids = new ArrayList<>(4);
            add(ids, phone);
            add(ids, visitor);
            add(ids, identity(IdentityKind.LEAD_REF, call.leadRef()));
            add(ids, identity(IdentityKind.CUSTOMER, call.customerId()));
            via.add(phone != null ? phone : visitor);
            subjects.add(new LeadLinker.Subject(ids, call.receivedMs(), call.receivedMs()));
        }
        List<String> leads = linker.link(c, subjects, ROUTER, nowMs).leads();

        Map<String, WebStatus> webStatus = new HashMap<>();
        try (RowSink callSink = RowSink.into(c, engine, "calls", CALL_COLUMNS);
             RowSink sessionSink = RowSink.into(c, engine, "lead_sessions", SESSION_COLUMNS)) {
            for (int i = 0; i < visits.size(); i++) {
                VisitRow v = visits.get(i);
                Map<String, String> tracking = Tracking.of(v.fields());
                appendSession(sessionSink, new SessionRow("web", v.session(), leads.get(i), via.get(i),
                        SessionStatus.NEW, v.createdMs(), null, v.campaign(), tracking.get("source"), null, tracking,
                        false));
            }
            for (int i = 0; i < calls.size(); i++) {
                CallRow call = withConversion(calls.get(i), latest.get(calls.get(i).id()));
                int at = visits.size() + i;
                SessionStatus status = SessionStatus.ofCall(call.status(), call.answered(), call.converted(),
                        call.campaignConverts());
                appendCall(callSink, batch.node(), call);
                appendSession(sessionSink, new SessionRow("call", call.id(), leads.get(at), via.get(at), status,
                        call.receivedMs(), call.endedMs(), call.campaign(), call.source(), call.handler(),
                        Tracking.of(call.tags()), false));
                if (call.visitorSession() != null) {
                    webStatus.merge(call.visitorSession(), new WebStatus(status, call.receivedMs()),
                            (a, b) -> a.callMs() >= b.callMs() ? a : b);
                }
            }
        }
        statusOfEarlierCalls(c, visits, webStatus);
        updateWebSessions(c, webStatus);
        applyConversions(c, batch.conversions(), calls);
        endVisits(c, batch.visitEnds());
        savePositions(c, batch.node(), batch.positions());
    }

    private static void add(List<Identity> ids, Identity identity) {
        if (identity != null && !ids.contains(identity)) {
            ids.add(identity);
        }
    }

    /** The normalised identity, or null when absent, not valid, or ignored. */
    private Identity identity(IdentityKind kind, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            Identity identity = Identity.parse(kind, raw, phones);
            return ignored.ignored(identity) ? null : identity;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Stages keys of one kind ({@code call} ids, {@code web} sessions) for a join. */
    private void stageKeys(Connection c, String kind, Iterable<String> values) throws SQLException {
        try (RowSink keys = RowSink.into(c, engine, "ingest_stage_keys", 2)) {
            for (String value : values) {
                keys.row(kind, value);
            }
        }
    }

    private static void clearStage(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table)) {
            ps.executeUpdate();
        }
    }

    /** The calls of the batch not stored yet (first of each id when the batch repeats one). */
    private List<CallRow> newCalls(Connection c, List<CallRow> calls) throws SQLException {
        Map<String, CallRow> byId = new LinkedHashMap<>();
        calls.forEach(call -> byId.putIfAbsent(call.id(), call));
        if (byId.isEmpty()) {
            return List.of();
        }
        long from = calls.stream().mapToLong(CallRow::receivedMs).min().orElseThrow();
        long to = calls.stream().mapToLong(CallRow::receivedMs).max().orElseThrow();
        stageKeys(c, "call", byId.keySet());
        // the time range lets DuckDB skip row groups by their min/max instead of probing every id
        try (PreparedStatement ps = c.prepareStatement("SELECT k.value FROM ingest_stage_keys k JOIN calls x "
                + "ON x.id = k.value WHERE k.kind = 'call' AND x.received_ms BETWEEN ? AND ?")) {
            ps.setLong(1, from);
            ps.setLong(2, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byId.remove(rs.getString(1));
                }
            }
        }
        clearStage(c, "ingest_stage_keys");
        return new ArrayList<>(byId.values());
    }

    /** The visits of the batch whose web session is not stored yet. */
    private List<VisitRow> newVisits(Connection c, List<VisitRow> visits) throws SQLException {
        Map<String, VisitRow> bySession = new LinkedHashMap<>();
        visits.forEach(v -> bySession.putIfAbsent(v.session(), v));
        if (bySession.isEmpty()) {
            return List.of();
        }
        stageKeys(c, "web", bySession.keySet());
        try (PreparedStatement ps = c.prepareStatement("SELECT k.value FROM ingest_stage_keys k JOIN lead_sessions s "
                + "ON s.kind = 'web' AND s.id = k.value WHERE k.kind = 'web'");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                bySession.remove(rs.getString(1));
            }
        }
        clearStage(c, "ingest_stage_keys");
        return new ArrayList<>(bySession.values());
    }

    private static boolean hasConversions(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM call_conversions LIMIT 1");
             ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    private void insertConversions(Connection c, List<ConversionRow> conversions) throws SQLException {
        if (conversions.isEmpty()) {
            return;
        }
        Map<String, ConversionRow> unique = new LinkedHashMap<>();
        conversions.forEach(r -> unique.putIfAbsent(r.callId() + "@" + r.atMs(), r));
        for (List<ConversionRow> chunk : Sql.chunks(new ArrayList<>(unique.values()))) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO call_conversions "
                    + "(call_id, at_ms, converted, revenue, payout, line) VALUES " + Sql.tuples(chunk.size(), 6)
                    + " ON CONFLICT DO NOTHING")) {
                int p = 1;
                for (ConversionRow r : chunk) {
                    ps.setString(p++, r.callId());
                    ps.setLong(p++, r.atMs());
                    ps.setBoolean(p++, r.converted());
                    ps.setBigDecimal(p++, r.revenue());
                    ps.setBigDecimal(p++, r.payout());
                    ps.setString(p++, r.line());
                }
                ps.executeUpdate();
            }
        }
    }

    /** The latest stored conversion of each call (conversions can be ingested before their call). */
    private Map<String, Figures> latestConversions(Connection c, List<CallRow> calls) throws SQLException {
        stageKeys(c, "call", calls.stream().map(CallRow::id).toList());
        Map<String, Figures> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT v.call_id, v.at_ms, v.converted, v.revenue, v.payout "
                + "FROM ingest_stage_keys k JOIN call_conversions v ON v.call_id = k.value WHERE k.kind = 'call'");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Figures f = new Figures(rs.getLong(2), rs.getBoolean(3), rs.getBigDecimal(4), rs.getBigDecimal(5));
                out.merge(rs.getString(1), f, (a, b) -> a.atMs() >= b.atMs() ? a : b);
            }
        }
        clearStage(c, "ingest_stage_keys");
        return out;
    }

    private static CallRow withConversion(CallRow r, Figures f) {
        if (f == null) {
            return r;
        }
        return new CallRow(r.id(), r.receivedMs(), r.answeredMs(), r.endedMs(), r.status(), r.sipStatus(), r.campaign(),
                r.source(), r.handler(), r.caller(), r.dialed(), r.answered(), f.converted(), r.campaignConverts(),
                f.revenue(), f.payout(), r.talkMs(), r.visitorSession(), r.leadRef(), r.customerId(), r.tags(),
                r.recordLine(), r.handlersTried());
    }

    private static void appendCall(RowSink sink, String node, CallRow r) throws SQLException {
        sink.row(r.id(), node, r.receivedMs(), Math.floorDiv(r.receivedMs(), QUARTER_MS), r.answeredMs(), r.endedMs(),
                r.status(), r.sipStatus(), r.campaign(), r.source(), r.handler(), r.caller(), r.dialed(), r.answered(),
                r.converted(), r.campaignConverts(), r.revenue(), r.payout(), r.talkMs(), r.visitorSession(),
                r.tags().get("utm_source"), r.tags().get("utm_campaign"), r.tags().get("utm_term"),
                r.tags().get("landing_page"), " " + String.join(" ", r.handlersTried()) + " ", r.recordLine());
    }

    private static void appendSession(RowSink sink, SessionRow s) throws SQLException {
        sink.row(s.kind(), s.id(), s.lead(), s.via() == null ? null : s.via().kind().wireName(),
                s.via() == null ? null : s.via().value(), s.status().wireName(), s.startedMs(), s.endedMs(),
                s.campaign(), s.source(), s.handler(), s.tracking().get("utm_source"), s.tracking().get("utm_campaign"),
                s.tracking().get("utm_term"), s.tracking().get("landing_page"), Tracking.json(s.tracking()), s.called());
    }

    /**
     * Adds to {@code webStatus} the latest stored call through each visit of this batch: the
     * streams are read independently, so a call can be stored before its visit line.
     */
    private void statusOfEarlierCalls(Connection c, List<VisitRow> visits, Map<String, WebStatus> webStatus)
            throws SQLException {
        if (visits.isEmpty()) {
            return;
        }
        long from = visits.stream().mapToLong(VisitRow::createdMs).min().orElseThrow();
        stageKeys(c, "web", visits.stream().map(VisitRow::session).toList());
        try (PreparedStatement ps = c.prepareStatement("SELECT x.visitor_session, s.status, x.received_ms "
                + "FROM ingest_stage_keys k JOIN calls x ON x.visitor_session = k.value "
                + "JOIN lead_sessions s ON s.kind = 'call' AND s.id = x.id "
                + "WHERE k.kind = 'web' AND x.received_ms >= ? AND s.started_ms >= ?")) {
            ps.setLong(1, from);
            ps.setLong(2, from);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    webStatus.merge(rs.getString(1), new WebStatus(SessionStatus.fromWire(rs.getString(2)),
                            rs.getLong(3)), (a, b) -> a.callMs() >= b.callMs() ? a : b);
                }
            }
        }
        clearStage(c, "ingest_stage_keys");
    }

    /** A web session a call came through takes the call's status and never expires. */
    private void updateWebSessions(Connection c, Map<String, WebStatus> webStatus) throws SQLException {
        if (webStatus.isEmpty()) {
            return;
        }
        try (RowSink sink = RowSink.into(c, engine, "ingest_stage_status", 3)) {
            for (Map.Entry<String, WebStatus> e : webStatus.entrySet()) {
                sink.row(e.getKey(), e.getValue().status().wireName(), e.getValue().callMs());
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE lead_sessions SET status = t.status, called = TRUE "
                + "FROM ingest_stage_status t WHERE lead_sessions.kind = 'web' AND lead_sessions.id = t.id")) {
            ps.executeUpdate();
        }
        clearStage(c, "ingest_stage_status");
    }

    /**
     * Conversions of calls stored by earlier batches: the call takes the figures of its latest
     * conversion, and its session (and web session) the status that follows.
     */
    private void applyConversions(Connection c, List<ConversionRow> conversions, List<CallRow> newCalls)
            throws SQLException {
        Set<String> fresh = new HashSet<>();
        newCalls.forEach(r -> fresh.add(r.id()));
        List<ConversionRow> older = conversions.stream().filter(r -> !fresh.contains(r.callId()))
                .sorted(Comparator.comparingLong(ConversionRow::atMs)).toList();
        if (older.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE calls SET converted = ?, revenue = ?, payout = ? "
                + "WHERE id = ? AND NOT EXISTS (SELECT 1 FROM call_conversions k WHERE k.call_id = ? AND k.at_ms > ?)")) {
            for (ConversionRow r : older) {
                ps.setBoolean(1, r.converted());
                ps.setBigDecimal(2, r.revenue());
                ps.setBigDecimal(3, r.payout());
                ps.setString(4, r.callId());
                ps.setString(5, r.callId());
                ps.setLong(6, r.atMs());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        stageKeys(c, "call", older.stream().map(ConversionRow::callId).distinct().toList());
        Map<String, SessionStatus> callStatus = new LinkedHashMap<>();
        Map<String, WebStatus> webStatus = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT x.id, x.status, x.answered, x.converted, "
                + "x.campaign_converts, x.visitor_session, x.received_ms FROM ingest_stage_keys k "
                + "JOIN calls x ON x.id = k.value WHERE k.kind = 'call'");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                SessionStatus status = SessionStatus.ofCall(rs.getString(2), rs.getBoolean(3), rs.getBoolean(4),
                        rs.getBoolean(5));
                callStatus.put(rs.getString(1), status);
                if (rs.getString(6) != null) {
                    webStatus.put(rs.getString(6), new WebStatus(status, rs.getLong(7)));
                }
            }
        }
        clearStage(c, "ingest_stage_keys");
        try (PreparedStatement ps = c.prepareStatement("UPDATE lead_sessions SET status = ? WHERE kind = 'call' AND id = ?")) {
            for (Map.Entry<String, SessionStatus> e : callStatus.entrySet()) {
                ps.setString(1, e.getValue().wireName());
                ps.setString(2, e.getKey());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        updateWebSessions(c, webStatus);
    }

    /** Ended visits no call came through expire; all get their end time. */
    private void endVisits(Connection c, List<VisitEndRow> ends) throws SQLException {
        if (ends.isEmpty()) {
            return;
        }
        try (RowSink sink = RowSink.into(c, engine, "ingest_stage_status", 3)) {
            for (VisitEndRow end : ends) {
                sink.row(end.session(), null, end.endedMs());
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE lead_sessions SET ended_ms = t.at_ms, "
                + "status = CASE WHEN lead_sessions.called THEN lead_sessions.status ELSE 'expired' END "
                + "FROM ingest_stage_status t WHERE lead_sessions.kind = 'web' AND lead_sessions.id = t.id")) {
            ps.executeUpdate();
        }
        clearStage(c, "ingest_stage_status");
    }

    private static void savePositions(Connection c, String node, Map<String, JournalPosition> positions)
            throws SQLException {
        if (positions.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ingest_positions (node, stream, file, file_offset) "
                + "VALUES (?,?,?,?) ON CONFLICT (node, stream) DO UPDATE SET file = EXCLUDED.file, "
                + "file_offset = EXCLUDED.file_offset")) {
            for (Map.Entry<String, JournalPosition> e : positions.entrySet()) {
                ps.setString(1, node);
                ps.setString(2, e.getKey());
                ps.setString(3, e.getValue().file());
                ps.setLong(4, e.getValue().offset());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
