package org.callrouter.server.callback;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.callrouter.routing.callback.Callback;
import org.callrouter.routing.callback.CallbackState;
import org.callrouter.routing.config.CallbackTrigger;
import org.callrouter.server.records.RecordJson;

/**
 * A callback as JSON: the store's entry, the API's item and the default webhook body are the
 * same object, so what an operator reads is what is stored. Times are epoch ms in the store
 * ({@code *_ms}) and ISO-8601 UTC beside them for people.
 */
public final class CallbackJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CallbackJson() {
    }

    /** The callback as a JSON object. */
    public static ObjectNode node(Callback c) {
        final ObjectNode n = MAPPER.createObjectNode();
        n.put("id", c.id());
        n.put("campaign", c.campaign());
        n.put("customer", c.customer());
        n.put("dialed", c.dialed());
        n.put("lost_call_id", c.lostCallId());
        n.put("trigger", c.trigger().label());
        n.put("state", c.state().label());
        n.put("tries", c.tries());
        if (c.state().terminal()) {
            n.putNull("next_try_at");
        } else {
            n.put("next_try_at", RecordJson.time(c.nextTryMs()));
        }
        n.put("next_try_ms", c.nextTryMs());
        n.put("created_at", RecordJson.time(c.createdMs()));
        n.put("created_ms", c.createdMs());
        n.put("updated_at", RecordJson.time(c.updatedMs()));
        n.put("updated_ms", c.updatedMs());
        n.put("reason", c.reason());
        n.put("last_call_id", c.lastCallId());
        final ObjectNode tags = n.putObject("tags");
        c.tags().forEach(tags::put);
        return n;
    }

    /** The store's bytes of a callback. */
    static byte[] encode(Callback c) {
        try {
            return MAPPER.writeValueAsBytes(node(c));
        } catch (IOException e) {
            throw new IllegalStateException("callback " + c.id() + " cannot be written as JSON", e);
        }
    }

    /**
     * A callback from the store's bytes.
     *
     * @throws IllegalArgumentException when they are not a callback
     */
    static Callback decode(byte[] bytes) {
        try {
            final JsonNode n = MAPPER.readTree(bytes);
            final CallbackTrigger trigger = CallbackTrigger.of(n.path("trigger").asText());
            final CallbackState state = CallbackState.of(n.path("state").asText());
            if (trigger == null || state == null || !n.path("id").isTextual()) {
                throw new IllegalArgumentException("not a callback entry: " + n);
            }
            final Map<String, String> tags = new LinkedHashMap<>();
            n.path("tags").fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
            return new Callback(n.path("id").asText(), n.path("campaign").asText(), n.path("customer").asText(),
                    n.path("dialed").asText(), n.path("lost_call_id").asText(), trigger, tags, state,
                    n.path("tries").asInt(), n.path("next_try_ms").asLong(), n.path("created_ms").asLong(),
                    n.path("updated_ms").asLong(), text(n, "reason"), text(n, "last_call_id"));
        } catch (IOException e) {
            throw new IllegalArgumentException("callback entry is not JSON: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode n, String field) {
        final JsonNode value = n.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
