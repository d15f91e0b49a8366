package org.callrouter.routing.lead;

import java.math.BigDecimal;
import java.util.Map;

/**
 * One row of a report: the group's key (a value per grouped dimension, null where the
 * calls or sales had none) and its figures. Sales are counted under the dimensions of the
 * session they are credited to; an unattributed sale under null dimensions.
 *
 * @param conversionRate  converted / calls (0 when there are no calls)
 * @param avgTalkSeconds  talk seconds of answered calls / answered (0 when none answered)
 */
public record ReportRow(Map<ReportDimension, String> key, long calls, long answered, long converted,
                        BigDecimal revenue, BigDecimal payout, long salesCount, BigDecimal salesAmount,
                        double conversionRate, double avgTalkSeconds) {
}
