package org.callrouter.server.leads;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.callrouter.routing.lead.Identity;
import org.callrouter.routing.lead.IdentityKind;
import org.callrouter.server.records.RecordJson;

/**
 * Moving a lead's rows to another lead: everything (a merge) or what came through some
 * identities (a disconnect). The caller holds the write transaction.
 */
final class LeadMoves {

    /** What moved, for the result and the audit. */
    record Moved(List<Identity> identities, List<String> sessions, List<String> sales) {

        /** {@code {"identities":["phone:+1..."],"sessions":["call:c..."],"sales":["S..."]}} */
        String detail() {
            ObjectNode root = RecordJson.mapper().createObjectNode();
            ArrayNode ids = root.putArray("identities");
            identities.forEach(i -> ids.add(i.toString()));
            ArrayNode ss = root.putArray("sessions");
            sessions.forEach(ss::add);
            ArrayNode sa = root.putArray("sales");
            sales.forEach(sa::add);
            return RecordJson.toText(root);
        }
    }

    private LeadMoves() {
    }

    /** Moves every identity, session and sale of {@code from} to {@code into} and marks {@code from} merged. */
    static Moved merge(Connection c, String from, String into, long atMs) throws SQLException {
        Moved moved = new Moved(identitiesOf(c, from), sessionsOf(c, from, null), salesOf(c, from, null));
        update(c, "UPDATE identities SET lead_id = ? WHERE lead_id = ?", into, from);
        update(c, "UPDATE lead_sessions SET lead_id = ? WHERE lead_id = ?", into, from);
        update(c, "UPDATE sales SET lead_id = ? WHERE lead_id = ?", into, from);
        try (PreparedStatement ps = c.prepareStatement("UPDATE leads SET merged_into = ?, merged_ms = ? WHERE id = ?")) {
            ps.setString(1, into);
            ps.setLong(2, atMs);
            ps.setString(3, from);
            ps.executeUpdate();
        }
        recomputeFirstSession(c, into);
        return moved;
    }

    /**
     * {@link #merge} of many leads at once (a batch's merges): each key lead moves to its
     * value, which is not itself a key. Staged, then one UPDATE .. FROM per table.
     *
     * @return what moved, per merged lead
     */
    static Map<String, Moved> mergeAll(Connection c, Engine engine, Map<String, String> toRoot, long atMs)
            throws SQLException {
        try (RowSink sink = RowSink.into(c, engine, "ingest_stage_merges", 2)) {
            for (Map.Entry<String, String> e : toRoot.entrySet()) {
                sink.row(e.getKey(), e.getValue());
            }
        }
        Map<String, Moved> out = new HashMap<>();
        toRoot.keySet().forEach(k -> out.put(k, new Moved(new ArrayList<>(), new ArrayList<>(), new ArrayList<>())));
        try (PreparedStatement ps = c.prepareStatement("SELECT i.lead_id, i.kind, i.value FROM ingest_stage_merges m "
                + "JOIN identities i ON i.lead_id = m.from_id ORDER BY i.linked_ms, i.kind, i.value");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.get(rs.getString(1)).identities().add(new Identity(IdentityKind.fromWire(rs.getString(2)),
                        rs.getString(3)));
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT s.lead_id, s.kind, s.id FROM ingest_stage_merges m "
                + "JOIN lead_sessions s ON s.lead_id = m.from_id ORDER BY s.started_ms, s.id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.get(rs.getString(1)).sessions().add(rs.getString(2) + ":" + rs.getString(3));
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT s.lead_id, s.id FROM ingest_stage_merges m "
                + "JOIN sales s ON s.lead_id = m.from_id ORDER BY s.sold_ms, s.id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.get(rs.getString(1)).sales().add(rs.getString(2));
            }
        }
        for (String table : new String[] {"identities", "lead_sessions", "sales"}) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET lead_id = m.into_id "
                    + "FROM ingest_stage_merges m WHERE " + table + ".lead_id = m.from_id")) {
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE leads SET merged_into = m.into_id, merged_ms = ? "
                + "FROM ingest_stage_merges m WHERE leads.id = m.from_id")) {
            ps.setLong(1, atMs);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE leads SET first_ms = x.f FROM (SELECT m.into_id AS id, "
                + "MIN(l.first_ms) AS f FROM ingest_stage_merges m JOIN leads l ON l.id = m.from_id GROUP BY m.into_id) x "
                + "WHERE leads.id = x.id AND x.f IS NOT NULL AND (leads.first_ms IS NULL OR leads.first_ms > x.f)")) {
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM ingest_stage_merges")) {
            ps.executeUpdate();
        }
        return out;
    }

    /**
     * Lowers each lead's {@code first_ms} to the given session start where that is earlier
     * (a batch's new sessions); staged, one UPDATE .. FROM.
     */
    static void lowerFirstSessions(Connection c, Engine engine, Map<String, Long> firstByLead) throws SQLException {
        if (firstByLead.isEmpty()) {
            return;
        }
        try (RowSink sink = RowSink.into(c, engine, "ingest_stage_status", 3)) {
            for (Map.Entry<String, Long> e : firstByLead.entrySet()) {
                sink.row(e.getKey(), null, e.getValue());
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE leads SET first_ms = t.at_ms FROM ingest_stage_status t "
                + "WHERE leads.id = t.id AND (leads.first_ms IS NULL OR leads.first_ms > t.at_ms)")) {
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM ingest_stage_status")) {
            ps.executeUpdate();
        }
    }

    /** Sets {@code first_ms} of the leads from their sessions (after sessions moved between them). */
    static void recomputeFirstSession(Connection c, String... leads) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE leads SET first_ms = "
                + "(SELECT MIN(s.started_ms) FROM lead_sessions s WHERE s.lead_id = ?) WHERE id = ?")) {
            for (String lead : leads) {
                ps.setString(1, lead);
                ps.setString(2, lead);
                ps.executeUpdate();
            }
        }
    }

    /** Moves {@code identities} of {@code from}, and the sessions and sales that came through them, to {@code into}. */
    static Moved split(Connection c, String from, String into, Collection<Identity> identities) throws SQLException {
        List<String> sessions = sessionsOf(c, from, identities);
        List<String> sales = salesOf(c, from, identities);
        for (Identity identity : identities) {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE identities SET lead_id = ? WHERE lead_id = ? AND kind = ? AND value = ?")) {
                bindMove(ps, into, from, identity);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE lead_sessions SET lead_id = ? WHERE lead_id = ? AND via_kind = ? AND via_value = ?")) {
                bindMove(ps, into, from, identity);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE sales SET lead_id = ? WHERE lead_id = ? AND via_kind = ? AND via_value = ?")) {
                bindMove(ps, into, from, identity);
                ps.executeUpdate();
            }
        }
        return new Moved(List.copyOf(identities), sessions, sales);
    }

    private static void bindMove(PreparedStatement ps, String into, String from, Identity identity) throws SQLException {
        ps.setString(1, into);
        ps.setString(2, from);
        ps.setString(3, identity.kind().wireName());
        ps.setString(4, identity.value());
    }

    static List<Identity> identitiesOf(Connection c, String lead) throws SQLException {
        List<Identity> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT kind, value FROM identities WHERE lead_id = ? ORDER BY linked_ms, kind, value")) {
            ps.setString(1, lead);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Identity(IdentityKind.fromWire(rs.getString(1)), rs.getString(2)));
                }
            }
        }
        return out;
    }

    /** {@code kind:id} of the lead's sessions, all or those via one of {@code via}. */
    private static List<String> sessionsOf(Connection c, String lead, Collection<Identity> via) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT kind, id, via_kind, via_value FROM lead_sessions WHERE lead_id = ? ORDER BY started_ms, id")) {
            ps.setString(1, lead);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (via == null || cameThrough(via, rs.getString(3), rs.getString(4))) {
                        out.add(rs.getString(1) + ":" + rs.getString(2));
                    }
                }
            }
        }
        return out;
    }

    private static List<String> salesOf(Connection c, String lead, Collection<Identity> via) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, via_kind, via_value FROM sales WHERE lead_id = ? ORDER BY sold_ms, id")) {
            ps.setString(1, lead);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (via == null || cameThrough(via, rs.getString(2), rs.getString(3))) {
                        out.add(rs.getString(1));
                    }
                }
            }
        }
        return out;
    }

    private static boolean cameThrough(Collection<Identity> via, String kind, String value) {
        return kind != null && via.contains(new Identity(IdentityKind.fromWire(kind), value));
    }

    private static void update(Connection c, String sql, String a, String b) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, a);
            ps.setString(2, b);
            ps.executeUpdate();
        }
    }
}
