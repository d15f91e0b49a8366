package org.callrouter.server.admin;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.callrouter.server.records.RecordJson;

/**
 * An admin HTTP answer: status, media type, body and extra headers.
 *
 * @param headers extra response headers ({@code WWW-Authenticate}, {@code Allow}).
 */
public record ApiResponse(int status, String contentType, byte[] body, Map<String, String> headers) {

    static final ObjectMapper JSON = RecordJson.mapper();
    static final String JSON_TYPE = "application/json";

    /** A JSON answer. */
    static ApiResponse json(int status, JsonNode body) {
        try {
            return new ApiResponse(status, JSON_TYPE, JSON.writeValueAsBytes(body), Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    /** A JSON answer already serialised. */
    static ApiResponse json(int status, String body) {
        return new ApiResponse(status, JSON_TYPE, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** This answer with {@code extra} headers instead of its own. */
    ApiResponse with(Map<String, String> extra) {
        return new ApiResponse(status, contentType, body, extra);
    }

    /** {@code {"error": message}}. */
    static ApiResponse error(int status, String message) {
        final ObjectNode body = JSON.createObjectNode();
        body.put("error", message);
        return json(status, body);
    }
}
