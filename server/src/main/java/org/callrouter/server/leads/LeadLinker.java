package org.callrouter.server.leads;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.callrouter.routing.lead.Identity;
import org.callrouter.routing.lead.IdentityKind;

/**
 * Finds the lead of each subject (a call, a visit, a sale) from its identities, for a whole
 * batch at once: the identities are looked up in one query per kind, the linking is decided in
 * memory in the subjects' order, then new leads, merges and new identity links are written.
 * A subject whose identities belong to several leads merges them into the one with the
 * earliest first session (then the earliest created, then the smallest id), audited.
 */
final class LeadLinker {

    /**
     * Something to link.
     *
     * @param identities      normalised, not ignored; may be empty (then no lead)
     * @param atMs            when it happened (a new lead's creation time)
     * @param sessionStartMs  the start of the session it brings, or null (a sale)
     */
    record Subject(List<Identity> identities, long atMs, Long sessionStartMs) {
    }

    /**
     * The outcome for a batch.
     *
     * @param leads    per subject, its lead (null when it had no identity)
     * @param matched  per subject, its identities that belonged to a lead before this batch
     */
    record Links(List<String> leads, List<Set<Identity>> matched) {
    }

    /** How leads compare when one must survive a merge. */
    private record Rank(long firstSessionMs, long createdMs, String id) {
        static final Comparator<Rank> ORDER = Comparator.comparingLong(Rank::firstSessionMs)
                .thenComparingLong(Rank::createdMs).thenComparing(Rank::id);
    }

    private record Merge(String from, String into) {
    }

    private final LeadIds ids;
    private final Audit audit;

    LeadLinker(LeadIds ids, Audit audit) {
        this.ids = ids;
        this.audit = audit;
    }

    Links link(Connection c, List<Subject> subjects, String actor, long nowMs) throws SQLException {
        Set<Identity> all = new LinkedHashSet<>();
        subjects.forEach(s -> all.addAll(s.identities()));
        Map<Identity, String> known = lookup(c, all);
        Map<String, Rank> ranks = ranks(c, new LinkedHashSet<>(known.values()));
        Map<String, String> parent = new HashMap<>();
        Map<String, Long> newLeads = new LinkedHashMap<>();
        Map<Identity, String> newLinks = new LinkedHashMap<>();
        List<Merge> merges = new ArrayList<>();
        List<String> leads = new ArrayList<>(subjects.size());
        List<Set<Identity>> matched = new ArrayList<>(subjects.size());
        Set<Identity> knownBefore = Set.copyOf(known.keySet());

        for (Subject subject : subjects) {
            Set<Identity> hits = new LinkedHashSet<>();
            Set<String> found = new LinkedHashSet<>();
            for (Identity identity : subject.identities()) {
                String lead = known.get(identity);
                if (lead != null) {
                    found.add(root(parent, lead));
                    if (knownBefore.contains(identity)) {
                        hits.add(identity);
                    }
                }
            }
            matched.add(hits);
            if (subject.identities().isEmpty()) {
                leads.add(null);
                continue;
            }
            String survivor;
            if (found.isEmpty()) {
                survivor = ids.lead();
                newLeads.put(survivor, subject.atMs());
                ranks.put(survivor, new Rank(Long.MAX_VALUE, subject.atMs(), survivor));
            } else {
                survivor = found.stream().map(ranks::get).min(Rank.ORDER).orElseThrow().id();
                for (String other : found) {
                    if (!other.equals(survivor)) {
                        parent.put(other, survivor);
                        merges.add(new Merge(other, survivor));
                        Rank o = ranks.get(other);
                        Rank s = ranks.get(survivor);
                        ranks.put(survivor, new Rank(Math.min(s.firstSessionMs(), o.firstSessionMs()), s.createdMs(),
                                survivor));
                    }
                }
            }
            if (subject.sessionStartMs() != null) {
                Rank s = ranks.get(survivor);
                ranks.put(survivor, new Rank(Math.min(s.firstSessionMs(), subject.sessionStartMs()), s.createdMs(),
                        survivor));
            }
            for (Identity identity : subject.identities()) {
                if (!known.containsKey(identity)) {
                    known.put(identity, survivor);
                    newLinks.put(identity, survivor);
                }
            }
            leads.add(survivor);
        }

        insertLeads(c, newLeads);
        for (Merge merge : merges) {
            LeadMoves.Moved moved = LeadMoves.merge(c, merge.from(), merge.into(), nowMs);
            audit.record(c, nowMs, actor, "merge", merge.from(), merge.into(), moved.detail());
        }
        Map<Identity, String> links = new LinkedHashMap<>();
        newLinks.forEach((identity, lead) -> links.put(identity, root(parent, lead)));
        insertLinks(c, links, nowMs);
        List<String> resolved = new ArrayList<>(leads.size());
        leads.forEach(l -> resolved.add(l == null ? null : root(parent, l)));
        return new Links(resolved, matched);
    }

    private static String root(Map<String, String> parent, String lead) {
        String at = lead;
        for (String next = parent.get(at); next != null; next = parent.get(at)) {
            at = next;
        }
        return at;
    }

    /** The lead of each identity that has one. */
    static Map<Identity, String> lookup(Connection c, Set<Identity> identities) throws SQLException {
        Map<IdentityKind, List<String>> byKind = new LinkedHashMap<>();
        identities.forEach(i -> byKind.computeIfAbsent(i.kind(), k -> new ArrayList<>()).add(i.value()));
        Map<Identity, String> out = new HashMap<>();
        for (Map.Entry<IdentityKind, List<String>> entry : byKind.entrySet()) {
            for (List<String> chunk : Sql.chunks(entry.getValue())) {
                try (PreparedStatement ps = c.prepareStatement("SELECT value, lead_id FROM identities WHERE kind = ? "
                        + "AND value IN (" + Sql.marks(chunk.size()) + ")")) {
                    ps.setString(1, entry.getKey().wireName());
                    for (int i = 0; i < chunk.size(); i++) {
                        ps.setString(i + 2, chunk.get(i));
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.put(new Identity(entry.getKey(), rs.getString(1)), rs.getString(2));
                        }
                    }
                }
            }
        }
        return out;
    }

    private static Map<String, Rank> ranks(Connection c, Set<String> leads) throws SQLException {
        Map<String, Rank> out = new HashMap<>();
        for (List<String> chunk : Sql.chunks(new ArrayList<>(leads))) {
            try (PreparedStatement ps = c.prepareStatement("SELECT l.id, l.created_ms, "
                    + "(SELECT MIN(s.started_ms) FROM lead_sessions s WHERE s.lead_id = l.id) "
                    + "FROM leads l WHERE l.id IN (" + Sql.marks(chunk.size()) + ")")) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long first = rs.getLong(3);
                        String id = rs.getString(1);
                        out.put(id, new Rank(rs.wasNull() ? Long.MAX_VALUE : first, rs.getLong(2), id));
                    }
                }
            }
        }
        return out;
    }

    private static void insertLeads(Connection c, Map<String, Long> leads) throws SQLException {
        List<Map.Entry<String, Long>> rows = new ArrayList<>(leads.entrySet());
        for (List<Map.Entry<String, Long>> chunk : Sql.chunks(rows)) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO leads (id, created_ms) VALUES "
                    + Sql.tuples(chunk.size(), 2))) {
                int p = 1;
                for (Map.Entry<String, Long> row : chunk) {
                    ps.setString(p++, row.getKey());
                    ps.setLong(p++, row.getValue());
                }
                ps.executeUpdate();
            }
        }
    }

    private static void insertLinks(Connection c, Map<Identity, String> links, long nowMs) throws SQLException {
        List<Map.Entry<Identity, String>> rows = new ArrayList<>(links.entrySet());
        for (List<Map.Entry<Identity, String>> chunk : Sql.chunks(rows)) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO identities (kind, value, lead_id, linked_ms) "
                    + "VALUES " + Sql.tuples(chunk.size(), 4))) {
                int p = 1;
                for (Map.Entry<Identity, String> row : chunk) {
                    ps.setString(p++, row.getKey().kind().wireName());
                    ps.setString(p++, row.getKey().value());
                    ps.setString(p++, row.getValue());
                    ps.setLong(p++, nowMs);
                }
                ps.executeUpdate();
            }
        }
    }
}
