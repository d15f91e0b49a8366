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

/**
 * Stores one {@link IngestBatch} inside the caller's transaction with a fixed number of
 * statements per batch (multi-row inserts of up to {@link Sql#CHUNK_ROWS} rows): call ids
 * already stored are dropped first, so a batch read twice stores nothing twice.
 */
final class CallIngest {

    static final long QUARTER_MS = 900_000L;
    private static final String ROUTER = "router";
    private static final String CALL_COLUMNS = "id, node, received_ms, quarter, answered_ms, ended_ms, status, "
            + "sip_status, campaign, source, handler, caller, dialed, answered, converted, campaign_converts, revenue, "
            + "payout, talk_ms, visitor_session, utm_source, utm_campaign, utm_term, landing_page, tried, record_line";
    private static final int CALL_COLUMN_COUNT = 26;
    static final String SESSION_COLUMNS = "kind, id, lead_id, via_kind, via_value, status, started_ms, ended_ms, "
            + "campaign, source, handler, utm_source, utm_campaign, utm_term, landing_page, tracking, called";
    private static final int SESSION_COLUMN_COUNT = 17;

    /** A session row to insert. */
    private record SessionRow(String kind, String id, String lead, Identity via, SessionStatus status, long startedMs,
                              Long endedMs, String campaign, String source, String handler,
                              Map<String, String> tracking, boolean called) {
    }

    /** A conversion's figures. */
    private record Figures(long atMs, boolean converted, BigDecimal revenue, BigDecimal payout) {
    }

    private final LeadLinker linker;
    private final IgnoredIdentities ignored;
    private final PhoneNumbers phones;

    CallIngest(LeadLinker linker, IgnoredIdentities ignored, PhoneNumbers phones) {
        this.linker = linker;
        this.ignored = ignored;
        this.phones = phones;
    }

    void ingest(Connection c, IngestBatch batch, long nowMs) throws SQLException {
        insertConversions(c, batch.conversions());
        List<CallRow> calls = newCalls(c, batch.calls());
        Map<String, Figures> latest = latestConversions(c, calls);

        List<LeadLinker.Subject> subjects = new ArrayList<>();
        List<Identity> visitVia = new ArrayList<>();
        for (VisitRow visit : batch.visits()) {
            Identity via = identity(IdentityKind.VISITOR, visit.session());
            visitVia.add(via);
            subjects.add(new LeadLinker.Subject(via == null ? List.of() : List.of(via), visit.createdMs(),
                    visit.createdMs()));
        }
        List<Identity> callVia = new ArrayList<>();
        for (CallRow call : calls) {
            Identity phone = identity(IdentityKind.PHONE, call.caller());
            Identity visitor = identity(IdentityKind.VISITOR, call.visitorSession());
            List<Identity> ids = new ArrayList<>(4);
            add(ids, phone);
            add(ids, visitor);
            add(ids, identity(IdentityKind.LEAD_REF, call.leadRef()));
            add(ids, identity(IdentityKind.CUSTOMER, call.customerId()));
            callVia.add(phone != null ? phone : visitor);
            subjects.add(new LeadLinker.Subject(ids, call.receivedMs(), call.receivedMs()));
        }
        List<String> leads = linker.link(c, subjects, ROUTER, nowMs).leads();

        List<SessionRow> sessions = new ArrayList<>(subjects.size());
        for (int i = 0; i < batch.visits().size(); i++) {
            VisitRow v = batch.visits().get(i);
            Map<String, String> tracking = Tracking.of(v.fields());
            sessions.add(new SessionRow("web", v.session(), leads.get(i), visitVia.get(i), SessionStatus.NEW,
                    v.createdMs(), null, v.campaign(), tracking.get("source"), null, tracking, false));
        }
        List<CallRow> stored = new ArrayList<>(calls.size());
        Map<String, SessionStatus> webStatus = new LinkedHashMap<>();
        for (int i = 0; i < calls.size(); i++) {
            CallRow call = withConversion(calls.get(i), latest.get(calls.get(i).id()));
            stored.add(call);
            SessionStatus status = SessionStatus.ofCall(call.status(), call.answered(), call.converted(),
                    call.campaignConverts());
            sessions.add(new SessionRow("call", call.id(), leads.get(batch.visits().size() + i), callVia.get(i),
                    status, call.receivedMs(), call.endedMs(), call.campaign(), call.source(), call.handler(),
                    Tracking.of(call.tags()), false));
            if (call.visitorSession() != null) {
                webStatus.put(call.visitorSession(), status);
            }
        }
        insertCalls(c, batch.node(), stored);
        insertSessions(c, sessions);
        webStatus.putAll(statusOfEarlierCalls(c, batch.visits(), webStatus.keySet()));
        markCalled(c, webStatus);
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

    /** The calls of the batch not stored yet (first of each id when the batch repeats one). */
    private static List<CallRow> newCalls(Connection c, List<CallRow> calls) throws SQLException {
        Map<String, CallRow> byId = new LinkedHashMap<>();
        calls.forEach(call -> byId.putIfAbsent(call.id(), call));
        if (byId.isEmpty()) {
            return List.of();
        }
        long from = calls.stream().mapToLong(CallRow::receivedMs).min().orElseThrow();
        long to = calls.stream().mapToLong(CallRow::receivedMs).max().orElseThrow();
        for (List<String> chunk : Sql.chunks(new ArrayList<>(byId.keySet()))) {
            // the time range lets DuckDB skip row groups by their min/max instead of probing every id
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM calls WHERE received_ms BETWEEN ? AND ? "
                    + "AND id IN (" + Sql.marks(chunk.size()) + ")")) {
                ps.setLong(1, from);
                ps.setLong(2, to);
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 3, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byId.remove(rs.getString(1));
                    }
                }
            }
        }
        return new ArrayList<>(byId.values());
    }

    private static void insertConversions(Connection c, List<ConversionRow> conversions) throws SQLException {
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
    private static Map<String, Figures> latestConversions(Connection c, List<CallRow> calls) throws SQLException {
        Map<String, Figures> out = new HashMap<>();
        List<String> ids = calls.stream().map(CallRow::id).toList();
        for (List<String> chunk : Sql.chunks(ids)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT call_id, at_ms, converted, revenue, payout "
                    + "FROM call_conversions WHERE call_id IN (" + Sql.marks(chunk.size()) + ")")) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Figures f = new Figures(rs.getLong(2), rs.getBoolean(3), rs.getBigDecimal(4), rs.getBigDecimal(5));
                        out.merge(rs.getString(1), f, (a, b) -> a.atMs() >= b.atMs() ? a : b);
                    }
                }
            }
        }
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

    private static void insertCalls(Connection c, String node, List<CallRow> calls) throws SQLException {
        for (List<CallRow> chunk : Sql.chunks(calls)) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO calls (" + CALL_COLUMNS + ") VALUES "
                    + Sql.tuples(chunk.size(), CALL_COLUMN_COUNT))) {
                int p = 1;
                for (CallRow r : chunk) {
                    ps.setString(p++, r.id());
                    ps.setString(p++, node);
                    ps.setLong(p++, r.receivedMs());
                    ps.setLong(p++, Math.floorDiv(r.receivedMs(), QUARTER_MS));
                    Sql.setLong(ps, p++, r.answeredMs());
                    Sql.setLong(ps, p++, r.endedMs());
                    ps.setString(p++, r.status());
                    ps.setInt(p++, r.sipStatus());
                    Sql.setString(ps, p++, r.campaign());
                    Sql.setString(ps, p++, r.source());
                    Sql.setString(ps, p++, r.handler());
                    Sql.setString(ps, p++, r.caller());
                    Sql.setString(ps, p++, r.dialed());
                    ps.setBoolean(p++, r.answered());
                    ps.setBoolean(p++, r.converted());
                    ps.setBoolean(p++, r.campaignConverts());
                    ps.setBigDecimal(p++, r.revenue());
                    ps.setBigDecimal(p++, r.payout());
                    ps.setLong(p++, r.talkMs());
                    Sql.setString(ps, p++, r.visitorSession());
                    Sql.setString(ps, p++, r.tags().get("utm_source"));
                    Sql.setString(ps, p++, r.tags().get("utm_campaign"));
                    Sql.setString(ps, p++, r.tags().get("utm_term"));
                    Sql.setString(ps, p++, r.tags().get("landing_page"));
                    ps.setString(p++, " " + String.join(" ", r.handlersTried()) + " ");
                    ps.setString(p++, r.recordLine());
                }
                ps.executeUpdate();
            }
        }
    }

    private static void insertSessions(Connection c, List<SessionRow> sessions) throws SQLException {
        for (List<SessionRow> chunk : Sql.chunks(sessions)) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO lead_sessions (" + SESSION_COLUMNS + ") VALUES "
                    + Sql.tuples(chunk.size(), SESSION_COLUMN_COUNT) + " ON CONFLICT DO NOTHING")) {
                int p = 1;
                for (SessionRow s : chunk) {
                    ps.setString(p++, s.kind());
                    ps.setString(p++, s.id());
                    Sql.setString(ps, p++, s.lead());
                    Sql.setString(ps, p++, s.via() == null ? null : s.via().kind().wireName());
                    Sql.setString(ps, p++, s.via() == null ? null : s.via().value());
                    ps.setString(p++, s.status().wireName());
                    ps.setLong(p++, s.startedMs());
                    Sql.setLong(ps, p++, s.endedMs());
                    Sql.setString(ps, p++, s.campaign());
                    Sql.setString(ps, p++, s.source());
                    Sql.setString(ps, p++, s.handler());
                    Sql.setString(ps, p++, s.tracking().get("utm_source"));
                    Sql.setString(ps, p++, s.tracking().get("utm_campaign"));
                    Sql.setString(ps, p++, s.tracking().get("utm_term"));
                    Sql.setString(ps, p++, s.tracking().get("landing_page"));
                    ps.setString(p++, Tracking.json(s.tracking()));
                    ps.setBoolean(p++, s.called());
                }
                ps.executeUpdate();
            }
        }
    }

    /**
     * The status of the latest call already stored for each visit of this batch that a call
     * came through before its visit line was ingested (the streams are read independently).
     */
    private static Map<String, SessionStatus> statusOfEarlierCalls(Connection c, List<VisitRow> visits,
                                                                   Set<String> alreadyKnown) throws SQLException {
        List<String> sessions = new ArrayList<>();
        Set<String> seen = new HashSet<>(alreadyKnown);
        long from = Long.MAX_VALUE;
        for (VisitRow v : visits) {
            if (seen.add(v.session())) {
                sessions.add(v.session());
                from = Math.min(from, v.createdMs());
            }
        }
        Map<String, SessionStatus> out = new HashMap<>();
        Map<String, Long> at = new HashMap<>();
        for (List<String> chunk : Sql.chunks(sessions)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT c.visitor_session, s.status, c.received_ms "
                    + "FROM calls c JOIN lead_sessions s ON s.kind = 'call' AND s.id = c.id "
                    + "WHERE c.received_ms >= ? AND c.visitor_session IN (" + Sql.marks(chunk.size()) + ")")) {
                ps.setLong(1, from);
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 2, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String session = rs.getString(1);
                        long received = rs.getLong(3);
                        if (received >= at.getOrDefault(session, Long.MIN_VALUE)) {
                            at.put(session, received);
                            out.put(session, SessionStatus.fromWire(rs.getString(2)));
                        }
                    }
                }
            }
        }
        return out;
    }

    /** A web session a call came through takes the call's status and never expires. */
    private static void markCalled(Connection c, Map<String, SessionStatus> webStatus) throws SQLException {
        if (webStatus.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE lead_sessions SET status = ?, called = TRUE WHERE kind = 'web' AND id = ?")) {
            for (Map.Entry<String, SessionStatus> e : webStatus.entrySet()) {
                ps.setString(1, e.getValue().wireName());
                ps.setString(2, e.getKey());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Conversions of calls stored by earlier batches: the call takes the figures of its latest
     * conversion, and its session (and web session) the status that follows.
     */
    private static void applyConversions(Connection c, List<ConversionRow> conversions, List<CallRow> newCalls)
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
        List<String> ids = older.stream().map(ConversionRow::callId).distinct().toList();
        Map<String, SessionStatus> callStatus = new LinkedHashMap<>();
        Map<String, SessionStatus> webStatus = new LinkedHashMap<>();
        for (List<String> chunk : Sql.chunks(ids)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, status, answered, converted, campaign_converts, "
                    + "visitor_session FROM calls WHERE id IN (" + Sql.marks(chunk.size()) + ")")) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        SessionStatus status = SessionStatus.ofCall(rs.getString(2), rs.getBoolean(3), rs.getBoolean(4),
                                rs.getBoolean(5));
                        callStatus.put(rs.getString(1), status);
                        if (rs.getString(6) != null) {
                            webStatus.put(rs.getString(6), status);
                        }
                    }
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE lead_sessions SET status = ? WHERE kind = 'call' AND id = ?")) {
            for (Map.Entry<String, SessionStatus> e : callStatus.entrySet()) {
                ps.setString(1, e.getValue().wireName());
                ps.setString(2, e.getKey());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        markCalled(c, webStatus);
    }

    private static void endVisits(Connection c, List<VisitEndRow> ends) throws SQLException {
        if (ends.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE lead_sessions SET ended_ms = ?, "
                + "status = CASE WHEN called THEN status ELSE 'expired' END WHERE kind = 'web' AND id = ?")) {
            for (VisitEndRow end : ends) {
                ps.setLong(1, end.endedMs());
                ps.setString(2, end.session());
                ps.addBatch();
            }
            ps.executeBatch();
        }
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
