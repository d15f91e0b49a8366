package org.callrouter.server.leads;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.callrouter.routing.lead.CreditModel;
import org.callrouter.routing.lead.Identity;
import org.callrouter.routing.lead.IdentityKind;
import org.callrouter.routing.lead.SessionStatus;
import org.callrouter.server.records.RecordJson;

/** The store's read queries: lead views, sessions, sales, call records. */
final class LeadReads {

    private static final String SESSION_SELECT = "SELECT kind, id, lead_id, via_kind, via_value, status, started_ms, "
            + "ended_ms, campaign, source, handler, tracking FROM lead_sessions ";
    private static final String SALE_SELECT = "SELECT id, lead_id, order_id, amount, currency, sold_ms, recorded_ms, "
            + "via_kind, via_value FROM sales ";

    private LeadReads() {
    }

    /** The lead row: created time and merged_into, empty when unknown. */
    record LeadRow(String id, long createdMs, String mergedInto) {
    }

    static Optional<LeadRow> leadRow(Connection c, String leadId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, created_ms, merged_into FROM leads WHERE id = ?")) {
            ps.setString(1, leadId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new LeadRow(rs.getString(1), rs.getLong(2), rs.getString(3)))
                                 : Optional.empty();
            }
        }
    }

    static Optional<LeadView> lead(Connection c, String leadId, CreditModel credit) throws SQLException {
        Optional<LeadRow> row = leadRow(c, leadId);
        if (row.isEmpty()) {
            return Optional.empty();
        }
        LeadRow lead = row.get();
        if (lead.mergedInto() != null) {
            return Optional.of(new LeadView(lead.id(), lead.createdMs(), lead.mergedInto(), true, List.of(), null, null,
                    List.of(), List.of()));
        }
        List<IdentityView> identities = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT kind, value, linked_ms FROM identities WHERE lead_id = ? ORDER BY linked_ms, kind, value")) {
            ps.setString(1, leadId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    identities.add(new IdentityView(new Identity(IdentityKind.fromWire(rs.getString(1)), rs.getString(2)),
                            rs.getLong(3)));
                }
            }
        }
        List<SessionView> sessions = sessions(c, "WHERE lead_id = ? ORDER BY started_ms, kind, id", List.of(leadId));
        List<SaleView> sales = new ArrayList<>();
        for (SaleRow r : saleRows(c, "WHERE lead_id = ? ORDER BY sold_ms, id", leadId)) {
            // The sessions are at hand: credit from them rather than rank them again in SQL.
            SessionView touched = credit.credited(sessions, SessionView::startedMs, r.soldMs());
            sales.add(r.view(touched == null ? null : touch(touched)));
        }
        TouchView origin = sessions.isEmpty() ? null : touch(sessions.get(0));
        TouchView last = sessions.isEmpty() ? null : touch(sessions.get(sessions.size() - 1));
        return Optional.of(new LeadView(lead.id(), lead.createdMs(), null, sessions.isEmpty(), identities, origin, last,
                sessions, sales));
    }

    static TouchView touch(SessionView s) {
        return new TouchView(s.id(), s.kind(), s.startedMs(), s.campaign(), s.source(), s.tracking());
    }

    static List<SessionView> sessions(Connection c, String where, List<Object> args) throws SQLException {
        List<SessionView> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(SESSION_SELECT + where)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String viaKind = rs.getString(4);
                    Identity via = viaKind == null ? null : new Identity(IdentityKind.fromWire(viaKind), rs.getString(5));
                    out.add(new SessionView(rs.getString(2), rs.getString(1), rs.getString(3),
                            SessionStatus.fromWire(rs.getString(6)), rs.getLong(7), Sql.nullableLong(rs, "ended_ms"),
                            rs.getString(9), rs.getString(10), rs.getString(11), via, Tracking.parse(rs.getString(12))));
                }
            }
        }
        return out;
    }

    /** Sales of one lead, or the one with an id or order id, each with its credited touch. */
    /** A sale as stored, before its credit is known. */
    private record SaleRow(String id, String lead, String order, java.math.BigDecimal amount, String currency,
                           long soldMs, long recordedMs, Identity via) {

        SaleView view(TouchView credited) {
            return new SaleView(id, lead, order, amount, currency, soldMs, recordedMs, via, credited);
        }
    }

    private static List<SaleRow> saleRows(Connection c, String where, String arg) throws SQLException {
        List<SaleRow> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(SALE_SELECT + where)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new SaleRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBigDecimal(4),
                            rs.getString(5), rs.getLong(6), rs.getLong(7),
                            new Identity(IdentityKind.fromWire(rs.getString(8)), rs.getString(9))));
                }
            }
        }
        return rows;
    }

    static List<SaleView> sales(Connection c, String where, String arg, CreditModel credit) throws SQLException {
        List<SaleRow> rows = saleRows(c, where, arg);
        Map<String, TouchView> credited = new HashMap<>();
        Map<String, List<SessionView>> sessionsByLead = new LinkedHashMap<>();
        for (SaleRow r : rows) {
            if (!sessionsByLead.containsKey(r.lead())) {
                sessionsByLead.put(r.lead(), sessions(c, "WHERE lead_id = ?", List.of(r.lead())));
                try (PreparedStatement ps = c.prepareStatement("SELECT sale_id, kind, id FROM ("
                        + Credit.rankedSessions(credit, "s.lead_id = ? AND ls.lead_id = ?") + ") ranked WHERE rn = 1")) {
                    // the constant on ls lets the engines read the lead's sessions by index, not scan them all
                    ps.setString(1, r.lead());
                    ps.setString(2, r.lead());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            String sale = rs.getString(1);
                            String kind = rs.getString(2);
                            String id = rs.getString(3);
                            for (SessionView s : sessionsByLead.get(r.lead())) {
                                if (s.kind().equals(kind) && s.id().equals(id)) {
                                    credited.put(sale, touch(s));
                                }
                            }
                        }
                    }
                }
            }
        }
        List<SaleView> out = new ArrayList<>(rows.size());
        for (SaleRow r : rows) {
            out.add(r.view(credited.get(r.id())));
        }
        return out;
    }

    /** The call's line with its conversion lines merged in time order. */
    static Optional<String> callRecord(Connection c, String callId) throws SQLException {
        List<String> lines = callLines(c, "WHERE id = ?", List.of(callId), 1);
        return lines.isEmpty() ? Optional.empty() : Optional.of(lines.get(0));
    }

    static List<String> callRecords(Connection c, CallQuery q) throws SQLException {
        StringBuilder where = new StringBuilder("WHERE received_ms >= ?");
        List<Object> args = new ArrayList<>();
        args.add(q.sinceMs());
        equal(where, args, "campaign", q.campaign());
        equal(where, args, "source", q.source());
        equal(where, args, "status", q.status());
        if (q.caller() != null) {
            where.append(" AND caller LIKE ? ESCAPE '\\'");
            args.add(Sql.containsPattern(q.caller()));
        }
        if (q.handler() != null) {
            where.append(" AND (handler = ? OR tried LIKE ? ESCAPE '\\')");
            args.add(q.handler());
            args.add(Sql.containsPattern(" " + q.handler() + " "));
        }
        if (q.afterId() != null) {
            where.append(" AND (received_ms < ? OR (received_ms = ? AND id > ?))");
            args.add(q.afterReceivedMs());
            args.add(q.afterReceivedMs());
            args.add(q.afterId());
        }
        where.append(" ORDER BY received_ms DESC, id LIMIT ?");
        args.add((long) Math.max(0, q.limit()));
        return callLines(c, where.toString(), args, q.limit());
    }

    private static void equal(StringBuilder where, List<Object> args, String column, String value) {
        if (value != null) {
            where.append(" AND ").append(column).append(" = ?");
            args.add(value);
        }
    }

    private static List<String> callLines(Connection c, String where, List<Object> args, int limit) throws SQLException {
        Map<String, String> lines = new LinkedHashMap<>();
        if (limit <= 0) {
            return List.of();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id, record_line FROM calls " + where)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    lines.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        Map<String, List<String>> conversions = new HashMap<>();
        for (List<String> chunk : Sql.chunks(new ArrayList<>(lines.keySet()))) {
            try (PreparedStatement ps = c.prepareStatement("SELECT call_id, line FROM call_conversions WHERE call_id IN ("
                    + Sql.marks(chunk.size()) + ") ORDER BY at_ms")) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        conversions.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                    }
                }
            }
        }
        List<String> out = new ArrayList<>(lines.size());
        for (Map.Entry<String, String> e : lines.entrySet()) {
            List<String> merged = conversions.get(e.getKey());
            out.add(merged == null ? e.getValue() : merge(e.getValue(), merged));
        }
        return out;
    }

    private static String merge(String callLine, List<String> conversionLines) {
        try {
            ObjectNode call = RecordJson.parse(callLine);
            for (String line : conversionLines) {
                RecordJson.mergeConversion(call, RecordJson.parse(line));
            }
            return RecordJson.toText(call);
        } catch (IOException e) {
            throw new IllegalStateException("stored record line is not JSON", e);
        }
    }

    static void bind(PreparedStatement ps, List<?> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            if (a instanceof Long l) {
                ps.setLong(i + 1, l);
            } else {
                ps.setString(i + 1, (String) a);
            }
        }
    }
}
