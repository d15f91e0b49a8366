package org.callrouter.server.leads;

import java.math.BigDecimal;

import org.callrouter.routing.lead.Identity;

/**
 * A stored sale.
 *
 * @param id        {@code S} + hex
 * @param via       the identity of the sale that matched its lead (the highest-ranked given for a new lead)
 * @param credited  the session it is credited to under the store's credit model; null when unattributed
 */
public record SaleView(String id, String leadId, String orderId, BigDecimal amount, String currency, long soldMs,
                       long recordedMs, Identity via, TouchView credited) {
}
