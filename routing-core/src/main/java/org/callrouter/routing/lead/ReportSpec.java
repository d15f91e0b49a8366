package org.callrouter.routing.lead;

import java.time.ZoneId;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a report asks: the dimensions to group by (in column order), the zone days and hours
 * are counted in, the time range {@code [fromMs, toMs)} of the call's receipt or the sale, and
 * equality filters on non-time dimensions.
 */
public record ReportSpec(List<ReportDimension> groupBy, ZoneId zone, long fromMs, long toMs,
                         Map<ReportDimension, String> filters) {

    public ReportSpec {
        groupBy = List.copyOf(groupBy);
        Objects.requireNonNull(zone, "zone");
        filters = filters == null || filters.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(filters));
        if (new HashSet<>(groupBy).size() != groupBy.size()) {
            throw new IllegalArgumentException("group_by names a dimension twice: " + groupBy);
        }
        if (fromMs >= toMs) {
            throw new IllegalArgumentException("from must be before to");
        }
        for (ReportDimension d : filters.keySet()) {
            if (d.isTime()) {
                throw new IllegalArgumentException("filter on " + d.wireName() + ": use from and to");
            }
        }
    }
}
