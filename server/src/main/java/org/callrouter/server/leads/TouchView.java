package org.callrouter.server.leads;

import java.util.Map;

/**
 * A session seen as a touch: what a lead's origin or last touch is, and what a sale is credited to.
 *
 * @param tracking the session's tracking values: {@code utm_*}, click ids, {@code landing_page},
 *                 {@code referrer}, {@code sales_code}, {@code ref1..3}
 */
public record TouchView(String sessionId, String kind, long startedMs, String campaign, String source,
                        Map<String, String> tracking) {
}
