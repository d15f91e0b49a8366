package org.callrouter.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.netty.handler.codec.http.QueryStringDecoder;
import org.callrouter.routing.lead.CreditModel;
import org.callrouter.routing.lead.ReportDimension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code GET /v1/reports}' query: defaults, dates in the zone, filters, and each refusal's reason. */
class ReportRequestTest {

    /** 2026-03-09T12:00:00Z. */
    private static final long NOW = 1_773_057_600_000L;

    @Test
    void defaultsAreOneTotalRowOverTheLast30DaysInUtcWithTheConfiguredCredit() throws ApiException {
        final LeadsApi.ReportRequest asked = parse("", CreditModel.LAST_TOUCH);
        assertEquals(List.of(), asked.spec().groupBy());
        assertEquals("Z", asked.spec().zone().getId());
        assertEquals(NOW, asked.spec().toMs());
        assertEquals(NOW - 30L * 86_400_000L, asked.spec().fromMs());
        assertEquals(CreditModel.LAST_TOUCH, asked.credit());
        assertFalse(asked.csv());
    }

    @Test
    void datesAreDaysInTheZoneAndDimensionsFilter() throws ApiException {
        final LeadsApi.ReportRequest asked = parse("?group_by=day,utm_source&zone=America/New_York&from=2026-03-01"
                + "&to=2026-03-09&credit=first_touch&format=csv&campaign=solar&utm_source=&source=web",
                CreditModel.LAST_TOUCH);
        assertEquals(List.of(ReportDimension.DAY, ReportDimension.UTM_SOURCE), asked.spec().groupBy());
        assertEquals(ZoneId.of("America/New_York"), asked.spec().zone());
        assertEquals(1_772_341_200_000L, asked.spec().fromMs(), "2026-03-01T00:00-05:00");
        assertEquals(1_773_028_800_000L, asked.spec().toMs(), "2026-03-09T00:00-04:00 (after the DST change)");
        assertEquals(CreditModel.FIRST_TOUCH, asked.credit());
        assertTrue(asked.csv());
        assertEquals(Map.of(ReportDimension.CAMPAIGN, "solar", ReportDimension.SOURCE, "web"),
                asked.spec().filters(), "an empty value is no filter");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "?group_by=country|group_by: unknown report dimension \"country\"",
        "?group_by=campaign,,day|group_by: unknown report dimension \"\"",
        "?group_by=day,day|group_by names a dimension twice",
        "?zone=Mars/Olympus|zone must be an IANA time zone",
        "?from=2026-02-30|from must be a date such as 2026-03-09",
        "?to=tomorrow|to must be an ISO-8601 time",
        "?from=2026-03-09&to=2026-03-01|from must be before to",
        "?credit=middle_touch|credit: unknown credit model \"middle_touch\"",
        "?format=xml|format must be json or csv, got \"xml\"",
        "?day=2026-03-09|filter on day: use from and to",
    })
    void badQueriesAreRefusedWithTheirReason(String query, String reason) {
        final ApiException refused = assertThrows(ApiException.class, () -> parse(query, CreditModel.FIRST_TOUCH));
        assertEquals(400, refused.status());
        assertTrue(refused.getMessage().contains(reason), refused.getMessage());
    }

    private static LeadsApi.ReportRequest parse(String query, CreditModel credit) throws ApiException {
        final Map<String, List<String>> parameters = new LinkedHashMap<>(
                new QueryStringDecoder("/v1/reports" + query).parameters());
        return LeadsApi.ReportRequest.parse(parameters, credit, NOW);
    }
}
