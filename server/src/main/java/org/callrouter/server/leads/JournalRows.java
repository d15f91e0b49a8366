package org.callrouter.server.leads;

import java.math.BigDecimal;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.callrouter.server.records.RecordJson;

/**
 * Journal lines (server README, "Journal") as store rows: {@code call} → {@link CallRow},
 * {@code conversion} → {@link ConversionRow}, {@code visit} → {@link VisitRow},
 * {@code visit_end} → {@link VisitEndRow}. A line that lacks what its row needs is refused
 * with the reason ({@link IllegalArgumentException}).
 */
final class JournalRows {

    /** The conversion status of a side the campaign has no rule for. */
    private static final String NO_RULE = RecordJson.label(org.callrouter.routing.ConversionOutcome.Status.NO_RULE);
    /** Visit fields copied as they are, by their journal names. */
    private static final String[] VISIT_FIELDS = {"source", "page_url", "referrer", "utm_source", "utm_medium",
        "utm_campaign", "utm_term", "utm_content", "gclid", "gbraid", "wbraid", "fbclid", "msclkid", "ga_client_id",
        "sales_code"};

    private JournalRows() {
    }

    static CallRow call(ObjectNode node, String line) {
        final Map<String, String> tags = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.path("tags").fields(); it.hasNext(); ) {
            final Map.Entry<String, JsonNode> tag = it.next();
            if (!tag.getValue().isNull()) {
                tags.put(tag.getKey(), tag.getValue().asText());
            }
        }
        final Long answeredMs = optionalMillis(node, "answered_at");
        final BigDecimal talkSeconds = node.path("talk_seconds").isNumber() ? node.path("talk_seconds").decimalValue()
                : BigDecimal.ZERO;
        return new CallRow(required(node, "id"), millis(node, "received_at"), answeredMs, optionalMillis(node, "ended_at"),
                required(node, "status"), node.path("sip_status").asInt(), text(node, "campaign"),
                text(node, "source"), text(node, "handler"), text(node, "caller"), text(node, "dialed"),
                answeredMs != null, node.path("converted").asBoolean(false), campaignConverts(node.path("conversion")),
                amount(node, "revenue"), amount(node, "payout"), talkSeconds.movePointRight(3).longValue(),
                text(node, "session"), tags.get("lead_id"), tags.get("customer_id"), tags, line, handlersTried(node));
    }

    private static List<String> handlersTried(JsonNode node) {
        final List<String> handlers = new ArrayList<>();
        for (JsonNode attempt : node.path("attempts")) {
            final String handler = text(attempt, "handler");
            if (handler != null) {
                handlers.add(handler);
            }
        }
        return handlers;
    }

    /** Whether either side of the record's conversion has a rule (no conversion object: none). */
    static boolean campaignConverts(JsonNode conversion) {
        if (!conversion.isObject()) {
            return false;
        }
        return !NO_RULE.equals(conversion.path("source").path("status").asText(NO_RULE))
                || !NO_RULE.equals(conversion.path("handler").path("status").asText(NO_RULE));
    }

    static ConversionRow conversion(ObjectNode node, String line) {
        return new ConversionRow(required(node, "id"), millis(node, "converted_at"),
                node.path("converted").asBoolean(false), amount(node, "revenue"), amount(node, "payout"), line);
    }

    static VisitRow visit(ObjectNode node) {
        final Map<String, String> fields = new LinkedHashMap<>();
        for (String name : VISIT_FIELDS) {
            final String value = text(node, name);
            if (value != null) {
                fields.put(name, value);
            }
        }
        int i = 1;
        for (JsonNode reference : node.path("references")) {
            fields.put("ref" + i++, reference.asText());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.path("tags").fields(); it.hasNext(); ) {
            final Map.Entry<String, JsonNode> tag = it.next();
            fields.putIfAbsent(tag.getKey(), tag.getValue().asText());
        }
        return new VisitRow(required(node, "session"), text(node, "pool"), text(node, "campaign"),
                millis(node, "created_at"), fields);
    }

    static VisitEndRow visitEnd(ObjectNode node) {
        return new VisitEndRow(required(node, "session"), millis(node, "ended_at"));
    }

    private static String text(JsonNode node, String field) {
        final JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String required(JsonNode node, String field) {
        final String value = text(node, field);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("no " + field);
        }
        return value;
    }

    private static long millis(JsonNode node, String field) {
        final Long ms = optionalMillis(node, field);
        if (ms == null) {
            throw new IllegalArgumentException("no " + field);
        }
        return ms;
    }

    private static Long optionalMillis(JsonNode node, String field) {
        final String value = text(node, field);
        if (value == null) {
            return null;
        }
        try {
            return RecordJson.parseTime(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " is not an ISO-8601 time: \"" + value + "\"");
        }
    }

    private static BigDecimal amount(JsonNode node, String field) {
        final JsonNode value = node.get(field);
        return value != null && value.isNumber() ? value.decimalValue() : BigDecimal.ZERO;
    }
}
