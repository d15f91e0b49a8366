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

    /** Up to this many identities are looked up one by one (by index), more through the staging table. */
    private static final int INLINE_LOOKUP = 50;

    private final LeadIds ids;
    private final Audit audit;
    private final Engine engine;

    LeadLinker(LeadIds ids, Audit audit, Engine engine) {
        this.ids = ids;
        this.audit = audit;
        this.engine = engine;
    }

    Links link(Connection c, List<Subject> subjects, String actor, long nowMs) throws SQLException {
        Set<Identity> all = new LinkedHashSet<>();
        subjects.forEach(s -> all.addAll(s.identities()));
        Map<Identity, String> known = all.size() <= INLINE_LOOKUP ? lookup(c, all) : lookupStaged(c, all);
        Map<String, Rank> ranks = ranks(c, mergeCandidates(subjects, known));
        Map<String, String> parent = new HashMap<>();
        Map<String, Long> newLeads = new LinkedHashMap<>();
        Map<String, Long> firstSession = new HashMap<>();
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
            } else if (found.size() == 1) {
                survivor = found.iterator().next();
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
                firstSession.merge(survivor, subject.sessionStartMs(), Math::min);
                Rank s = ranks.get(survivor);
                if (s != null) {
                    ranks.put(survivor, new Rank(Math.min(s.firstSessionMs(), subject.sessionStartMs()), s.createdMs(),
                            survivor));
                }
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
        if (merges.size() == 1) {
            Merge merge = merges.get(0);
            LeadMoves.Moved moved = LeadMoves.merge(c, merge.from(), merge.into(), nowMs);
            audit.record(c, nowMs, actor, "merge", merge.from(), merge.into(), moved.detail());
        } else if (!merges.isEmpty()) {
            Map<String, String> toRoot = new LinkedHashMap<>();
            merges.forEach(m -> toRoot.put(m.from(), root(parent, m.from())));
            Map<String, LeadMoves.Moved> moved = LeadMoves.mergeAll(c, engine, toRoot, nowMs);
            List<Audit.Change> changes = new ArrayList<>(toRoot.size());
            toRoot.forEach((from, into) -> changes.add(new Audit.Change("merge", from, into, moved.get(from).detail())));
            audit.recordAll(c, nowMs, actor, changes);
        }
        Map<Identity, String> links = new LinkedHashMap<>();
        newLinks.forEach((identity, lead) -> links.put(identity, root(parent, lead)));
        insertLinks(c, links, nowMs);
        Map<String, Long> firstByRoot = new HashMap<>();
        firstSession.forEach((lead, first) -> firstByRoot.merge(root(parent, lead), first, Math::min));
        LeadMoves.lowerFirstSessions(c, engine, firstByRoot);
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

    /**
     * The lead of each identity that has one: a point lookup per identity, which both engines
     * answer from the primary key's index (an IN list makes DuckDB scan the table).
     */
    static Map<Identity, String> lookup(Connection c, Set<Identity> identities) throws SQLException {
        Map<Identity, String> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT lead_id FROM identities WHERE kind = ? AND value = ?")) {
            for (Identity identity : identities) {
                ps.setString(1, identity.kind().wireName());
                ps.setString(2, identity.value());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        out.put(identity, rs.getString(1));
                    }
                }
            }
        }
        return out;
    }

    /**
     * The stored leads that can take part in a merge: those of subjects with more than one
     * identity (a subject with one identity finds at most one lead). Only they need a rank.
     */
    private static Set<String> mergeCandidates(List<Subject> subjects, Map<Identity, String> known) {
        Set<String> out = new LinkedHashSet<>();
        for (Subject subject : subjects) {
            if (subject.identities().size() > 1) {
                for (Identity identity : subject.identities()) {
                    String lead = known.get(identity);
                    if (lead != null) {
                        out.add(lead);
                    }
                }
            }
        }
        return out;
    }

    /** The ranks of stored leads, staged and read in one join. */
    private Map<String, Rank> ranks(Connection c, Set<String> leads) throws SQLException {
        Map<String, Rank> out = new HashMap<>();
        if (leads.isEmpty()) {
            return out;
        }
        try (RowSink keys = RowSink.into(c, engine, "ingest_stage_keys", 2)) {
            for (String lead : leads) {
                keys.row("lead", lead);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT l.id, l.created_ms, l.first_ms "
                + "FROM ingest_stage_keys k JOIN leads l ON l.id = k.value WHERE k.kind = 'lead'");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String id = rs.getString(1);
                long created = rs.getLong(2);
                long first = rs.getLong(3);
                out.put(id, new Rank(rs.wasNull() ? Long.MAX_VALUE : first, created, id));
            }
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM ingest_stage_keys")) {
            ps.executeUpdate();
        }
        return out;
    }

    /** {@link #lookup} for a batch: the identities staged, then one join. */
    private Map<Identity, String> lookupStaged(Connection c, Set<Identity> identities) throws SQLException {
        try (RowSink keys = RowSink.into(c, engine, "ingest_stage_keys", 2)) {
            for (Identity identity : identities) {
                keys.row(identity.kind().wireName(), identity.value());
            }
        }
        Map<Identity, String> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT i.kind, i.value, i.lead_id FROM ingest_stage_keys k "
                + "JOIN identities i ON i.kind = k.kind AND i.value = k.value");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(new Identity(IdentityKind.fromWire(rs.getString(1)), rs.getString(2)), rs.getString(3));
            }
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM ingest_stage_keys")) {
            ps.executeUpdate();
        }
        return out;
    }

    private void insertLeads(Connection c, Map<String, Long> leads) throws SQLException {
        try (RowSink sink = RowSink.into(c, engine, "leads", 5)) {
            for (Map.Entry<String, Long> row : leads.entrySet()) {
                sink.row(row.getKey(), row.getValue(), null, null, null);
            }
        }
    }

    private void insertLinks(Connection c, Map<Identity, String> links, long nowMs) throws SQLException {
        try (RowSink sink = RowSink.into(c, engine, "identities", 4)) {
            for (Map.Entry<Identity, String> row : links.entrySet()) {
                sink.row(row.getKey().kind().wireName(), row.getKey().value(), row.getValue(), nowMs);
            }
        }
    }
}
