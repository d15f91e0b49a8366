package org.callrouter.server.leads;

import java.math.BigDecimal;

/**
 * A journal {@code conversion} line: a postback that converted (or un-converted) call
 * {@code callId} after it ended; the call's row takes the latest line's figures.
 */
public record ConversionRow(String callId, long atMs, boolean converted, BigDecimal revenue, BigDecimal payout,
                            String line) {

    public ConversionRow {
        revenue = revenue == null ? BigDecimal.ZERO : revenue;
        payout = payout == null ? BigDecimal.ZERO : payout;
    }
}
