package org.callrouter.server.leads;

import java.math.BigDecimal;

/**
 * A sale as the API receives it; identities are raw (the store normalises them), any may be
 * null but not all.
 *
 * @param orderId  makes the sale idempotent when given
 * @param soldMs   when it was sold (epoch ms)
 */
public record SaleInput(String email, String phone, String leadRef, String customerId, BigDecimal amount,
                        String currency, String orderId, long soldMs) {
}
