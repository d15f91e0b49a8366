package org.callrouter.server.leads;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The {@code lead_audit} table: who changed which leads, when, and what moved. */
final class Audit {

    /** One entry to write. */
    record Change(String action, String leadId, String otherLeadId, String detail) {
    }

    private final LeadIds ids;
    private final Engine engine;

    Audit(LeadIds ids, Engine engine) {
        this.ids = ids;
        this.engine = engine;
    }

    void record(Connection c, long atMs, String actor, String action, String leadId, String otherLeadId, String detail)
            throws SQLException {
        recordAll(c, atMs, actor, List.of(new Change(action, leadId, otherLeadId, detail)));
    }

    /** Writes the changes of one transaction, all by {@code actor} at {@code atMs}. */
    void recordAll(Connection c, long atMs, String actor, List<Change> changes) throws SQLException {
        try (RowSink sink = RowSink.into(c, engine, "lead_audit", 7)) {
            for (Change change : changes) {
                sink.row(ids.audit(), atMs, actor, change.action(), change.leadId(), change.otherLeadId(),
                        change.detail());
            }
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
