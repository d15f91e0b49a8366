package org.callrouter.server.leads;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * A finished call from a journal {@code call} line.
 *
 * @param answeredMs        null when nobody answered
 * @param endedMs           null when the call has no end (an interrupted record may lack it)
 * @param status            the record's status ({@code completed}, {@code no-answer}, ...)
 * @param handler           the handler that answered, or null
 * @param caller            the caller number as the record has it (may be {@code anonymous})
 * @param campaignConverts  whether the campaign has a conversion rule (a record that cannot
 *                          convert is complete when answered)
 * @param visitorSession    the number pool visitor session the call came through, or null
 * @param leadRef           the {@code lead_id} tag, or null
 * @param customerId        the {@code customer_id} tag, or null
 * @param tags              the record's tags: {@code utm_*}, click ids, {@code landing_page},
 *                          {@code referrer}, {@code sales_code}, {@code ref1..3}, ...
 * @param recordLine        the journal line itself (returned by call lookups)
 * @param handlersTried     the handlers of the record's {@code attempts}, in order (the handler
 *                          filter of call queries matches any of them)
 */
public record CallRow(String id, long receivedMs, Long answeredMs, Long endedMs, String status, int sipStatus,
                      String campaign, String source, String handler, String caller, String dialed,
                      boolean answered, boolean converted, boolean campaignConverts,
                      BigDecimal revenue, BigDecimal payout, long talkMs,
                      String visitorSession, String leadRef, String customerId,
                      Map<String, String> tags, String recordLine, List<String> handlersTried) {

    public CallRow {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        handlersTried = handlersTried == null ? List.of() : List.copyOf(handlersTried);
        revenue = revenue == null ? BigDecimal.ZERO : revenue;
        payout = payout == null ? BigDecimal.ZERO : payout;
    }
}
