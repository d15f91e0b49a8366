package org.callrouter.server.leads;

/**
 * The outcome of {@link LeadStore#recordSale}.
 *
 * @param created       false when the order id was known (the stored sale is returned unchanged)
 * @param unattributed  the lead has no session (nothing to credit the sale to)
 */
public record SaleResult(SaleView sale, boolean created, String leadId, boolean unattributed) {
}
