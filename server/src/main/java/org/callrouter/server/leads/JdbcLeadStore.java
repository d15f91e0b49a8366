package org.callrouter.server.leads;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.callrouter.routing.config.AttributionConfig;
import org.callrouter.routing.lead.CreditModel;
import org.callrouter.routing.lead.Identity;
import org.callrouter.routing.lead.IdentityKind;
import org.callrouter.routing.lead.IgnoredIdentities;
import org.callrouter.routing.lead.ReportRow;
import org.callrouter.routing.lead.ReportSpec;
import org.callrouter.routing.phone.PhoneNumbers;
import org.callrouter.server.records.JournalPosition;

/** {@link LeadStore} on DuckDB or PostgreSQL through JDBC (opened by {@link LeadStores}). */
public final class JdbcLeadStore implements LeadStore {

    /** Longest merged_into chain followed before calling it a cycle (a chain is one hop unless data was edited). */
    private static final int MAX_CHAIN = 1000;

    private final Database db;
    private final Clock clock;
    private final CreditModel credit;
    private final IgnoredIdentities ignored;
    private final PhoneNumbers phones;
    private final LeadIds ids = new LeadIds();
    private final Audit audit;
    private final LeadLinker linker;
    private final CallIngest ingest;

    JdbcLeadStore(Database db, AttributionConfig attribution, Clock clock) {
        this.db = db;
        this.clock = clock;
        this.credit = attribution.credit();
        this.ignored = IgnoredIdentities.of(attribution);
        this.phones = new PhoneNumbers(attribution.defaultRegion());
        this.audit = new Audit(ids, db.engine());
        this.linker = new LeadLinker(ids, audit, db.engine());
        this.ingest = new CallIngest(linker, ignored, phones, db.engine());
    }

    /** The credit model lead views use ({@code attribution.credit}). */
    public CreditModel credit() {
        return credit;
    }

    @Override
    public void ingest(IngestBatch batch) {
        db.write(c -> {
            ingest.ingest(c, batch, clock.millis());
            return null;
        });
    }

    @Override
    public Map<String, JournalPosition> positions(String node) {
        return db.read(c -> {
            Map<String, JournalPosition> out = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT stream, file, file_offset FROM ingest_positions WHERE node = ?")) {
                ps.setString(1, node);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), new JournalPosition(rs.getString(2), rs.getLong(3)));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public SaleResult recordSale(SaleInput sale, String actor) {
        if (sale.amount() == null) {
            throw new IllegalArgumentException("sale has no amount");
        }
        if (sale.currency() == null || sale.currency().isBlank()) {
            throw new IllegalArgumentException("sale has no currency");
        }
        List<Identity> identities = saleIdentities(sale);
        return db.write(c -> {
            if (sale.orderId() != null) {
                List<SaleView> known = LeadReads.sales(c, "WHERE order_id = ?", sale.orderId(), credit);
                if (!known.isEmpty()) {
                    SaleView stored = known.get(0);
                    return new SaleResult(stored, false, stored.leadId(), stored.credited() == null);
                }
            }
            String saleId = ids.sale();
            long now = clock.millis();
            String mergeActor = "sale:" + (sale.orderId() != null ? sale.orderId() : saleId);
            LeadLinker.Links links = linker.link(c, List.of(new LeadLinker.Subject(identities, sale.soldMs(), null)),
                    mergeActor, now);
            String lead = links.leads().get(0);
            Set<Identity> matched = links.matched().get(0);
            Identity via = identities.stream().filter(i -> matched.isEmpty() || matched.contains(i)).findFirst()
                    .orElseThrow();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO sales (id, order_id, lead_id, amount, currency, "
                    + "sold_ms, quarter, recorded_ms, via_kind, via_value, actor) VALUES (?,?,?,?,?,?,?,?,?,?,?)")) {
                ps.setString(1, saleId);
                Sql.setString(ps, 2, sale.orderId());
                ps.setString(3, lead);
                ps.setBigDecimal(4, sale.amount());
                ps.setString(5, sale.currency());
                ps.setLong(6, sale.soldMs());
                ps.setLong(7, Math.floorDiv(sale.soldMs(), CallIngest.QUARTER_MS));
                ps.setLong(8, now);
                ps.setString(9, via.kind().wireName());
                ps.setString(10, via.value());
                ps.setString(11, actor);
                ps.executeUpdate();
            }
            SaleView stored = LeadReads.sales(c, "WHERE id = ?", saleId, credit).get(0);
            return new SaleResult(stored, true, lead, stored.credited() == null);
        });
    }

    /** The sale's usable identities, strongest first. */
    private List<Identity> saleIdentities(SaleInput sale) {
        List<Identity> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String[] raw = {sale.email(), sale.phone(), sale.leadRef(), sale.customerId()};
        IdentityKind[] kinds = {IdentityKind.EMAIL, IdentityKind.PHONE, IdentityKind.LEAD_REF, IdentityKind.CUSTOMER};
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == null) {
                continue;
            }
            try {
                Identity identity = Identity.parse(kinds[i], raw[i], phones);
                if (ignored.ignored(identity)) {
                    problems.add(identity + " is ignored (attribution.ignore)");
                } else {
                    out.add(identity);
                }
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("sale has no usable identity (email, phone, lead_ref or customer_id)"
                    + (problems.isEmpty() ? "" : ": " + String.join("; ", problems)));
        }
        out.sort(Comparator.comparingInt(i -> i.kind().matchRank()));
        return out;
    }

    @Override
    public Optional<LeadView> lead(String leadId) {
        return db.read(c -> LeadReads.lead(c, leadId, credit));
    }

    @Override
    public Optional<String> leadOf(Identity identity) {
        return db.read(c -> Optional.ofNullable(LeadLinker.lookup(c, Set.of(identity)).get(identity)));
    }

    @Override
    public AssignResult assignOrigin(String leadId, Identity target, String actor) {
        return db.write(c -> {
            String targetLead = LeadLinker.lookup(c, Set.of(target)).get(target);
            if (targetLead == null) {
                throw new LeadNotFoundException("no lead has " + target);
            }
            return assign(c, leadId, targetLead, actor);
        });
    }

    @Override
    public AssignResult assignOrigin(String leadId, String targetLeadId, String actor) {
        return db.write(c -> assign(c, leadId, targetLeadId, actor));
    }

    private AssignResult assign(Connection c, String leadId, String targetLeadId, String actor) throws SQLException {
        LeadReads.LeadRow lead = LeadReads.leadRow(c, leadId)
                .orElseThrow(() -> new LeadNotFoundException("no lead " + leadId));
        if (lead.mergedInto() != null) {
            throw new LeadConflictException("lead " + leadId + " is merged into " + lead.mergedInto());
        }
        String target = targetLeadId;
        for (int hops = 0; ; hops++) {
            if (target.equals(leadId)) {
                throw new LeadConflictException(hops == 0 ? "lead " + leadId + " cannot be assigned to itself"
                        : "assigning lead " + leadId + " to " + targetLeadId + " would form a cycle");
            }
            LeadReads.LeadRow row = LeadReads.leadRow(c, target)
                    .orElseThrow(() -> new LeadNotFoundException("no lead " + targetLeadId));
            if (row.mergedInto() == null) {
                break;
            }
            if (hops >= MAX_CHAIN) {
                throw new LeadConflictException("lead " + targetLeadId + " has a merged_into chain longer than "
                        + MAX_CHAIN);
            }
            target = row.mergedInto();
        }
        long now = clock.millis();
        LeadMoves.Moved moved = LeadMoves.merge(c, leadId, target, now);
        audit.record(c, now, actor, "assign-origin", leadId, target, moved.detail());
        return new AssignResult(leadId, target, moved.identities(), moved.sessions().size(), moved.sales().size());
    }

    @Override
    public DisconnectResult disconnect(String leadId, List<Identity> identities, String actor) {
        if (identities.isEmpty()) {
            throw new IllegalArgumentException("name at least one identity to disconnect");
        }
        Set<Identity> named = new LinkedHashSet<>(identities);
        return db.write(c -> {
            LeadReads.LeadRow lead = LeadReads.leadRow(c, leadId)
                    .orElseThrow(() -> new LeadNotFoundException("no lead " + leadId));
            if (lead.mergedInto() != null) {
                throw new LeadConflictException("lead " + leadId + " is merged into " + lead.mergedInto());
            }
            List<Identity> own = LeadMoves.identitiesOf(c, leadId);
            List<String> foreign = named.stream().filter(i -> !own.contains(i)).map(Identity::toString).toList();
            if (!foreign.isEmpty()) {
                throw new LeadConflictException("not identities of lead " + leadId + ": " + String.join(", ", foreign));
            }
            if (named.size() == own.size()) {
                throw new LeadConflictException("cannot disconnect every identity of lead " + leadId);
            }
            long now = clock.millis();
            String newLead = ids.lead();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO leads (id, created_ms, first_ms) VALUES (?, ?, NULL)")) {
                ps.setString(1, newLead);
                ps.setLong(2, now);
                ps.executeUpdate();
            }
            LeadMoves.Moved moved = LeadMoves.split(c, leadId, newLead, named);
            LeadMoves.recomputeFirstSession(c, leadId, newLead);
            audit.record(c, now, actor, "disconnect", leadId, newLead, moved.detail());
            return new DisconnectResult(leadId, newLead, moved.identities(), moved.sessions().size(),
                    moved.sales().size());
        });
    }

    @Override
    public List<AuditEntry> audit(String leadId) {
        return db.read(c -> Audit.of(c, leadId));
    }

    @Override
    public List<SessionView> sessions(SessionQuery q) {
        StringBuilder where = new StringBuilder("WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (q.status() != null) {
            where.append(" AND status = ?");
            args.add(q.status().wireName());
        }
        if (q.campaign() != null) {
            where.append(" AND campaign = ?");
            args.add(q.campaign());
        }
        if (q.kind() != null) {
            where.append(" AND kind = ?");
            args.add(q.kind());
        }
        if (q.fromMs() != null) {
            where.append(" AND started_ms >= ?");
            args.add(q.fromMs());
        }
        if (q.toMs() != null) {
            where.append(" AND started_ms < ?");
            args.add(q.toMs());
        }
        if (q.after() != null) {
            where.append(" AND (started_ms < ? OR (started_ms = ? AND (kind > ? OR (kind = ? AND id > ?))))");
            args.add(q.after().startedMs());
            args.add(q.after().startedMs());
            args.add(q.after().kind());
            args.add(q.after().kind());
            args.add(q.after().id());
        }
        where.append(" ORDER BY started_ms DESC, kind, id LIMIT ?");
        args.add((long) Math.max(0, q.limit()));
        return db.read(c -> LeadReads.sessions(c, where.toString(), args));
    }

    @Override
    public List<ReportRow> report(ReportSpec spec, CreditModel model, ReportProgress progress) {
        return db.read(c -> new ReportQuery(spec, model, progress).run(c));
    }

    @Override
    public Optional<String> callRecord(String callId) {
        return db.read(c -> LeadReads.callRecord(c, callId));
    }

    @Override
    public List<String> callRecords(CallQuery query) {
        return db.read(c -> LeadReads.callRecords(c, query));
    }

    @Override
    public long prune(long beforeMs) {
        return db.write(c -> {
            long count = 0;
            String[] deletes = {
                "DELETE FROM calls WHERE received_ms < ?",
                "DELETE FROM call_conversions WHERE at_ms < ?",
                "DELETE FROM lead_sessions WHERE started_ms < ?",
                "DELETE FROM sales WHERE sold_ms < ?",
            };
            for (String sql : deletes) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setLong(1, beforeMs);
                    count += ps.executeUpdate();
                }
            }
            return count;
        });
    }

    @Override
    public StoreHealth health() {
        return new StoreHealth(db.engine().label(), db.safeUrl(), db.lastError());
    }

    @Override
    public void close() {
        db.close();
    }

    /** For tests and benchmarks: the sum of sales amounts and their count straight from the table. */
    Map.Entry<Long, BigDecimal> salesTotals() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), SUM(amount) FROM sales");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                BigDecimal sum = rs.getBigDecimal(2);
                return Map.entry(rs.getLong(1), sum == null ? BigDecimal.ZERO : sum);
            }
        });
    }
}
