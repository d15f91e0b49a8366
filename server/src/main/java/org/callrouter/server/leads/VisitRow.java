package org.callrouter.server.leads;

import java.util.Map;

/**
 * A journal {@code visit} line: a visitor session a number pool created.
 *
 * @param fields the landing page's values by their journal names: {@code page_url},
 *               {@code referrer}, {@code utm_source}, ..., {@code gclid}, {@code sales_code},
 *               {@code ref1..3}, and the tags
 */
public record VisitRow(String session, String pool, String campaign, long createdMs, Map<String, String> fields) {

    public VisitRow {
        fields = fields == null ? Map.of() : Map.copyOf(fields);
    }
}
