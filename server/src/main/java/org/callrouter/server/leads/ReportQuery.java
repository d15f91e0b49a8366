package org.callrouter.server.leads;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.callrouter.routing.lead.CreditModel;
import org.callrouter.routing.lead.ReportDimension;
import org.callrouter.routing.lead.ReportRollup;
import org.callrouter.routing.lead.ReportRow;
import org.callrouter.routing.lead.ReportSpec;

/**
 * A report in two grouped scans: calls by their own columns, sales by the columns of the
 * session each is credited to (null for an unattributed sale). Both group by 15-minute UTC
 * buckets when days or hours are asked; {@link ReportRollup} turns those into zone days and hours.
 */
final class ReportQuery {

    private final ReportSpec spec;
    private final CreditModel credit;
    private final boolean byTime;
    private final List<ReportDimension> columns = new ArrayList<>();
    private final ReportProgress progress;

    ReportQuery(ReportSpec spec, CreditModel credit, ReportProgress progress) {
        this.spec = spec;
        this.credit = credit;
        this.progress = progress;
        this.byTime = spec.groupBy().stream().anyMatch(ReportDimension::isTime);
        for (ReportDimension d : spec.groupBy()) {
            if (!d.isTime()) {
                columns.add(d);
            }
        }
    }

    List<ReportRow> run(Connection c) throws SQLException {
        ReportRollup rollup = new ReportRollup(spec);
        calls(c, rollup);
        sales(c, rollup);
        return rollup.rows();
    }

    /** The column of a dimension on {@code calls}, null when calls have none (currency). */
    private static String callColumn(ReportDimension d) {
        return d == ReportDimension.CURRENCY ? null : d.wireName();
    }

    private void calls(Connection c, ReportRollup rollup) throws SQLException {
        List<ReportDimension> selected = new ArrayList<>();
        StringBuilder select = new StringBuilder("SELECT ");
        for (ReportDimension d : columns) {
            if (callColumn(d) != null) {
                selected.add(d);
                select.append(callColumn(d)).append(", ");
            }
        }
        String group = String.join(", ", selected.stream().map(ReportQuery::callColumn).toList());
        if (byTime) {
            select.append("quarter, ");
            group = group.isEmpty() ? "quarter" : group + ", quarter";
        }
        select.append("COUNT(*), SUM(CASE WHEN answered THEN 1 ELSE 0 END), SUM(CASE WHEN converted THEN 1 ELSE 0 END), "
                + "SUM(revenue), SUM(payout), SUM(CASE WHEN answered THEN talk_ms ELSE 0 END) "
                + "FROM calls WHERE received_ms >= ? AND received_ms < ?");
        List<String> args = new ArrayList<>();
        for (Map.Entry<ReportDimension, String> f : spec.filters().entrySet()) {
            if (callColumn(f.getKey()) == null) {
                return; // calls have no currency: a currency filter leaves no call
            }
            select.append(" AND ").append(callColumn(f.getKey())).append(" = ?");
            args.add(f.getValue());
        }
        if (!group.isEmpty()) {
            select.append(" GROUP BY ").append(group);
        }
        try (PreparedStatement ps = c.prepareStatement(select.toString())) {
            ps.setLong(1, spec.fromMs());
            ps.setLong(2, spec.toMs());
            for (int i = 0; i < args.size(); i++) {
                ps.setString(i + 3, args.get(i));
            }
            progress.started(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<ReportDimension, String> values = new EnumMap<>(ReportDimension.class);
                    int col = 1;
                    for (ReportDimension d : selected) {
                        values.put(d, rs.getString(col++));
                    }
                    long quarter = byTime ? rs.getLong(col++) : 0;
                    long calls = rs.getLong(col++);
                    if (calls == 0) {
                        continue; // an ungrouped aggregate over no rows
                    }
                    rollup.addCalls(values, quarter, calls, rs.getLong(col++), rs.getLong(col++), rs.getBigDecimal(col++),
                            rs.getBigDecimal(col++), rs.getLong(col));
                }
            } finally {
                progress.finished();
            }
        }
    }

    /** The column of a dimension in the sales scan: the credited session's, or the sale's currency. */
    private static String saleColumn(ReportDimension d) {
        return d == ReportDimension.CURRENCY ? "s.currency" : "c." + d.wireName();
    }

    private void sales(Connection c, ReportRollup rollup) throws SQLException {
        StringBuilder sql = new StringBuilder("WITH credited AS (")
                .append(Credit.rankedSessions(credit, "s.sold_ms >= ? AND s.sold_ms < ?"))
                .append(") SELECT ");
        List<String> group = new ArrayList<>();
        for (ReportDimension d : columns) {
            group.add(saleColumn(d));
        }
        if (byTime) {
            group.add("s.quarter");
        }
        for (String g : group) {
            sql.append(g).append(", ");
        }
        sql.append("COUNT(*), SUM(s.amount) FROM sales s LEFT JOIN credited c ON c.sale_id = s.id AND c.rn = 1 "
                + "WHERE s.sold_ms >= ? AND s.sold_ms < ?");
        List<String> args = new ArrayList<>();
        for (Map.Entry<ReportDimension, String> f : spec.filters().entrySet()) {
            sql.append(" AND ").append(saleColumn(f.getKey())).append(" = ?");
            args.add(f.getValue());
        }
        if (!group.isEmpty()) {
            sql.append(" GROUP BY ").append(String.join(", ", group));
        }
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            ps.setLong(1, spec.fromMs());
            ps.setLong(2, spec.toMs());
            ps.setLong(3, spec.fromMs());
            ps.setLong(4, spec.toMs());
            for (int i = 0; i < args.size(); i++) {
                ps.setString(i + 5, args.get(i));
            }
            progress.started(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<ReportDimension, String> values = new EnumMap<>(ReportDimension.class);
                    int col = 1;
                    for (ReportDimension d : columns) {
                        values.put(d, rs.getString(col++));
                    }
                    long quarter = byTime ? rs.getLong(col++) : 0;
                    long count = rs.getLong(col++);
                    if (count > 0) {
                        rollup.addSales(values, quarter, count, rs.getBigDecimal(col));
                    }
                }
            } finally {
                progress.finished();
            }
        }
    }
}
