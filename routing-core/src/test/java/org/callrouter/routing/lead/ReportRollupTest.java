package org.callrouter.routing.lead;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ReportRollupTest {

    private static long quarter(String instant) {
        return Instant.parse(instant).toEpochMilli() / ReportRollup.QUARTER_MS;
    }

    private static ReportRollup rollup(ZoneId zone, ReportDimension... groupBy) {
        return new ReportRollup(new ReportSpec(List.of(groupBy), zone, 0, Long.MAX_VALUE, Map.of()));
    }

    private static void call(ReportRollup r, String instant) {
        r.addCalls(Map.of(), quarter(instant), 1, 1, 0, BigDecimal.ONE, BigDecimal.ZERO, 30_000);
    }

    @Test
    void theRepeatedHourOfTheFallBackKeepsItsTwoOffsets() {
        ZoneId ny = ZoneId.of("America/New_York");
        ReportRollup r = rollup(ny, ReportDimension.HOUR);
        call(r, "2026-11-01T05:15:00Z"); // 01:15 EDT
        call(r, "2026-11-01T06:45:00Z"); // 01:45 EST
        call(r, "2026-11-01T06:00:00Z"); // 01:00 EST
        List<String> hours = r.rows().stream().map(row -> row.key().get(ReportDimension.HOUR)).toList();
        assertEquals(List.of("2026-11-01T01:00-04:00", "2026-11-01T01:00-05:00"), hours);
        assertEquals(2, r.rows().get(1).calls());
    }

    @Test
    void daysFollowTheZoneAcrossTheSpringForwardDay() {
        ReportRollup r = rollup(ZoneId.of("America/New_York"), ReportDimension.DAY);
        call(r, "2026-03-08T04:45:00Z"); // 23:45 on the 7th, EST
        call(r, "2026-03-08T05:00:00Z"); // 00:00 on the 8th, EST
        call(r, "2026-03-09T03:45:00Z"); // 23:45 on the 8th, EDT (a 23-hour day)
        call(r, "2026-03-09T04:00:00Z"); // 00:00 on the 9th
        assertEquals(List.of("2026-03-07:1", "2026-03-08:2", "2026-03-09:1"), r.rows().stream()
                .map(row -> row.key().get(ReportDimension.DAY) + ":" + row.calls()).toList());
    }

    @Test
    void aHalfHourZoneSplitsUtcHoursExactly() {
        ReportRollup r = rollup(ZoneId.of("Asia/Kolkata"), ReportDimension.HOUR);
        call(r, "2026-06-01T00:15:00Z"); // 05:45 IST
        call(r, "2026-06-01T00:30:00Z"); // 06:00 IST
        call(r, "2026-06-01T01:15:00Z"); // 06:45 IST
        assertEquals(List.of("2026-06-01T05:00+05:30:1", "2026-06-01T06:00+05:30:2"), r.rows().stream()
                .map(row -> row.key().get(ReportDimension.HOUR) + ":" + row.calls()).toList());
    }

    @Test
    void groupsMergeCallsAndSalesAndComputeRates() {
        ReportRollup r = rollup(ZoneId.of("UTC"), ReportDimension.CAMPAIGN, ReportDimension.DAY);
        long q = quarter("2026-06-01T10:00:00Z");
        r.addCalls(Map.of(ReportDimension.CAMPAIGN, "b"), q, 4, 2, 1, new BigDecimal("10.50"), new BigDecimal("8"),
                90_000);
        r.addCalls(Map.of(ReportDimension.CAMPAIGN, "b"), q + 1, 1, 0, 0, BigDecimal.ZERO, BigDecimal.ZERO, 0);
        r.addSales(Map.of(ReportDimension.CAMPAIGN, "b"), q + 2, 2, new BigDecimal("99.90"));
        r.addSales(Map.of(), q, 1, new BigDecimal("5"));
        r.addCalls(Map.of(ReportDimension.CAMPAIGN, "a"), q, 1, 1, 1, BigDecimal.ONE, BigDecimal.ONE, 1000);
        List<ReportRow> rows = r.rows();
        assertEquals(3, rows.size());
        assertEquals("a", rows.get(0).key().get(ReportDimension.CAMPAIGN));
        ReportRow b = rows.get(1);
        assertEquals(5, b.calls());
        assertEquals(0.2, b.conversionRate());
        assertEquals(45.0, b.avgTalkSeconds());
        assertEquals(new BigDecimal("99.90"), b.salesAmount());
        assertEquals(2, b.salesCount());
        assertEquals(null, rows.get(2).key().get(ReportDimension.CAMPAIGN));
        assertEquals(0.0, rows.get(2).conversionRate());
    }

    @Test
    void specsRejectDuplicatesEmptyRangesAndTimeFilters() {
        ZoneId utc = ZoneId.of("UTC");
        assertThrows(IllegalArgumentException.class, () -> new ReportSpec(List.of(ReportDimension.DAY,
                ReportDimension.DAY), utc, 0, 1, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new ReportSpec(List.of(), utc, 5, 5, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new ReportSpec(List.of(), utc, 0, 1,
                Map.of(ReportDimension.HOUR, "x")));
        assertEquals(ReportDimension.UTM_SOURCE, ReportDimension.fromWire("utm_source"));
    }
}
