package org.callrouter.routing.lead;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rolls 15-minute UTC buckets (what the database groups by: {@code received_ms / 900000}) up
 * into the report's groups, days and hours counted in the report's zone. A bucket never
 * straddles a local hour in a zone whose offset is a multiple of 15 minutes (every zone in use
 * today, {@code +05:30} and {@code +05:45} included), so the roll-up is exact there; DST days
 * simply have 23 or 25 hours, and the repeated hour keeps its two offsets apart.
 *
 * <p>Not thread-safe: one per report.
 */
public final class ReportRollup {

    /** A bucket's length. */
    public static final long QUARTER_MS = 900_000L;

    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mmxxx");

    private final ReportSpec spec;
    private final boolean byTime;
    private final Map<List<Object>, Group> groups = new HashMap<>();

    /** One group's key and running figures. */
    private static final class Group {
        final Map<ReportDimension, String> key;
        final long sortTime;
        long calls;
        long answered;
        long converted;
        BigDecimal revenue = BigDecimal.ZERO;
        BigDecimal payout = BigDecimal.ZERO;
        long talkMs;
        long salesCount;
        BigDecimal salesAmount = BigDecimal.ZERO;

        Group(Map<ReportDimension, String> key, long sortTime) {
            this.key = key;
            this.sortTime = sortTime;
        }
    }

    public ReportRollup(ReportSpec spec) {
        this.spec = spec;
        this.byTime = spec.groupBy().stream().anyMatch(ReportDimension::isTime);
    }

    /**
     * Adds the call figures of one bucket.
     *
     * @param values   the non-time dimensions' values (missing or null: none)
     * @param quarter  the bucket, {@code epoch ms / 900000} (ignored when no time dimension is grouped)
     * @param talkMs   talk time of the answered calls
     */
    public void addCalls(Map<ReportDimension, String> values, long quarter, long calls, long answered, long converted,
                         BigDecimal revenue, BigDecimal payout, long talkMs) {
        Group g = group(values, quarter);
        g.calls += calls;
        g.answered += answered;
        g.converted += converted;
        g.revenue = g.revenue.add(revenue);
        g.payout = g.payout.add(payout);
        g.talkMs += talkMs;
    }

    /** Adds the sales of one bucket (credited to sessions with these dimension values). */
    public void addSales(Map<ReportDimension, String> values, long quarter, long count, BigDecimal amount) {
        Group g = group(values, quarter);
        g.salesCount += count;
        g.salesAmount = g.salesAmount.add(amount);
    }

    private Group group(Map<ReportDimension, String> values, long quarter) {
        ZonedDateTime start = byTime ? Instant.ofEpochMilli(quarter * QUARTER_MS).atZone(spec.zone()) : null;
        List<Object> id = new ArrayList<>(spec.groupBy().size());
        Map<ReportDimension, String> key = new LinkedHashMap<>();
        long sortTime = 0;
        for (ReportDimension d : spec.groupBy()) {
            String value;
            if (d == ReportDimension.DAY) {
                value = start.toLocalDate().toString();
                sortTime = start.toLocalDate().atStartOfDay(spec.zone()).toInstant().toEpochMilli();
            } else if (d == ReportDimension.HOUR) {
                ZonedDateTime hour = start.truncatedTo(ChronoUnit.HOURS);
                value = HOUR.format(hour);
                sortTime = hour.toInstant().toEpochMilli();
            } else {
                value = values.get(d);
            }
            id.add(value == null ? NullKey.NULL : value);
            key.put(d, value);
        }
        final long time = sortTime;
        return groups.computeIfAbsent(id, k -> new Group(Collections.unmodifiableMap(key), time));
    }

    /** A stand-in for null in a group's identity (List.of refuses null). */
    private enum NullKey { NULL }

    /** The rows, ordered by time then by the key's values in group-by order (nulls last). */
    public List<ReportRow> rows() {
        Comparator<Group> order = Comparator.comparingLong(g -> g.sortTime);
        for (ReportDimension d : spec.groupBy()) {
            if (!d.isTime()) {
                order = order.thenComparing(g -> g.key.get(d), Comparator.nullsLast(Comparator.naturalOrder()));
            }
        }
        List<Group> sorted = new ArrayList<>(groups.values());
        sorted.sort(order);
        List<ReportRow> rows = new ArrayList<>(sorted.size());
        for (Group g : sorted) {
            rows.add(new ReportRow(g.key, g.calls, g.answered, g.converted, g.revenue, g.payout, g.salesCount,
                    g.salesAmount, g.calls == 0 ? 0.0 : (double) g.converted / g.calls,
                    g.answered == 0 ? 0.0 : g.talkMs / 1000.0 / g.answered));
        }
        return rows;
    }
}
