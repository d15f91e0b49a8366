package org.callrouter.server.leads;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The {@code lead_audit} table: who changed which leads, when, and what moved. */
final class Audit {

    private final LeadIds ids;

    Audit(LeadIds ids) {
        this.ids = ids;
    }

    void record(Connection c, long atMs, String actor, String action, String leadId, String otherLeadId, String detail)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO lead_audit (id, at_ms, actor, action, lead_id, other_lead_id, detail) VALUES (?,?,?,?,?,?,?)")) {
            ps.setString(1, ids.audit());
            ps.setLong(2, atMs);
            ps.setString(3, actor);
            ps.setString(4, action);
            ps.setString(5, leadId);
            ps.setString(6, otherLeadId);
            ps.setString(7, detail);
            ps.executeUpdate();
        }
    }

    /** Entries naming the lead on either side, oldest first. */
    static List<AuditEntry> of(Connection c, String leadId) throws SQLException {
        List<AuditEntry> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, at_ms, actor, action, lead_id, other_lead_id, detail "
                + "FROM lead_audit WHERE lead_id = ? OR other_lead_id = ? ORDER BY at_ms, id")) {
            ps.setString(1, leadId);
            ps.setString(2, leadId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AuditEntry(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7)));
                }
            }
        }
        return out;
    }
}
