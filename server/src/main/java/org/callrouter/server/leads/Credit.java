package org.callrouter.server.leads;

import org.callrouter.routing.lead.CreditModel;

/**
 * The SQL that picks the session a sale is credited to, used by reports and by the lead view
 * so both credit alike: the lead's sessions ranked per sale, rank 1 credited.
 */
final class Credit {

    private Credit() {
    }

    /**
     * A query of {@code sale_id, kind, id, campaign, source, handler, utm_source, utm_campaign,
     * utm_term, landing_page, rn} over the sales matching {@code saleFilter} (SQL on {@code s}).
     * First touch: the earliest session; last touch: the latest started at or before the sale,
     * else the earliest. Ties break by session kind and id.
     */
    static String rankedSessions(CreditModel credit, String saleFilter) {
        String order = switch (credit) {
            case FIRST_TOUCH -> "ls.started_ms, ls.kind, ls.id";
            case LAST_TOUCH -> "CASE WHEN ls.started_ms <= s.sold_ms THEN 0 ELSE 1 END, "
                    + "CASE WHEN ls.started_ms <= s.sold_ms THEN -ls.started_ms ELSE ls.started_ms END, ls.kind, ls.id";
        };
        return "SELECT s.id AS sale_id, ls.kind, ls.id, ls.campaign, ls.source, ls.handler, ls.utm_source, "
                + "ls.utm_campaign, ls.utm_term, ls.landing_page, "
                + "ROW_NUMBER() OVER (PARTITION BY s.id ORDER BY " + order + ") AS rn "
                + "FROM sales s JOIN lead_sessions ls ON ls.lead_id = s.lead_id WHERE " + saleFilter;
    }
}
