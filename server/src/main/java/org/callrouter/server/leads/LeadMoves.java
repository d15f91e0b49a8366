package org.callrouter.server.leads;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

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
        return moved;
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
