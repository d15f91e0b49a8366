package org.callrouter.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** A report's CSV (RFC 4180, spreadsheet formulas defused) and text table, from the API's JSON. */
class ReportFormatTest {

    private static final JsonNode REPORT = ServiceFixture.json("""
            {"group_by": ["utm_source", "day"], "rows": [
              {"key": {"utm_source": "facebook", "day": "2026-03-09"}, "calls": 3, "answered": 2, "converted": 1,
               "revenue": 25.00, "payout": 10.00, "sales_count": 1, "sales_amount": 450.00,
               "conversion_rate": 0.3333333333333333, "avg_talk_seconds": 61.25},
              {"key": {"utm_source": "=HYPERLINK(\\"http://x\\",\\"a, b\\")", "day": "2026-03-09"}, "calls": 1,
               "answered": 0, "converted": 0, "revenue": 0, "payout": 0, "sales_count": 0, "sales_amount": 0,
               "conversion_rate": 0.0, "avg_talk_seconds": 0.0},
              {"key": {"utm_source": null, "day": null}, "calls": 0, "answered": 0, "converted": 0, "revenue": 0,
               "payout": 0, "sales_count": 1, "sales_amount": 99.5, "conversion_rate": 0.0, "avg_talk_seconds": 0.0}
            ]}""");

    @Test
    void csvHasAHeaderAndALinePerRowWithQuotingAndNoFormulas() {
        assertEquals("""
                utm_source,day,calls,answered,converted,revenue,payout,sales_count,sales_amount,conversion_rate,avg_talk_seconds\r
                facebook,2026-03-09,3,2,1,25.0,10.0,1,450.0,0.3333333333333333,61.25\r
                "'=HYPERLINK(""http://x"",""a, b"")",2026-03-09,1,0,0,0,0,0,0,0.0,0.0\r
                ,,0,0,0,0,0,1,99.5,0.0,0.0\r
                """, ReportFormat.csv(REPORT));
    }

    @Test
    void tableAlignsColumnsAndShowsRatesAsPercentages() {
        assertEquals("""
                UTM_SOURCE                     DAY         CALLS  ANSWERED  CONVERTED  REVENUE  PAYOUT  SALES_COUNT  SALES_AMOUNT  CONVERSION_RATE  AVG_TALK_SECONDS
                facebook                       2026-03-09      3         2          1     25.0    10.0            1         450.0            33.3%              61.3
                =HYPERLINK("http://x","a, b")  2026-03-09      1         0          0        0       0            0             0             0.0%               0.0
                (none)                         (none)          0         0          0        0       0            1          99.5             0.0%               0.0
                """, ReportFormat.table(REPORT));
    }
}
