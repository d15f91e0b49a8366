package org.callrouter.server.leads;

import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.callrouter.server.records.RecordJson;

/**
 * A session's tracking values (UTM values, click ids, landing page, referrer, sales code,
 * references) kept as one JSON object column; the values reports group by also have columns.
 */
final class Tracking {

    /** Tags that identify a lead rather than describe the touch. */
    private static final String LEAD_TAG = "lead_id";
    private static final String CUSTOMER_TAG = "customer_id";

    private Tracking() {
    }

    /** The values of {@code tags} that describe the touch, sorted by name. */
    static Map<String, String> of(Map<String, String> tags) {
        Map<String, String> out = new TreeMap<>();
        tags.forEach((k, v) -> {
            if (v != null && !k.equals(LEAD_TAG) && !k.equals(CUSTOMER_TAG)) {
                out.put(k, v);
            }
        });
        return out;
    }

    static String json(Map<String, String> tracking) {
        ObjectNode node = RecordJson.mapper().createObjectNode();
        tracking.forEach(node::put);
        return RecordJson.toText(node);
    }

    static Map<String, String> parse(String json) {
        Map<String, String> out = new TreeMap<>();
        try {
            JsonNode node = RecordJson.mapper().readTree(json);
            node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("tracking column is not JSON: " + json, e);
        }
        return out;
    }
}
