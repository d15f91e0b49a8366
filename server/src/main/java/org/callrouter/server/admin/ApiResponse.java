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

    /** A JSON answer with the resource's {@code ETag} ({@link EntityTag}). */
    static ApiResponse tagged(int status, JsonNode resource, JsonNode body) {
        return json(status, body).with(Map.of("ETag", EntityTag.of(resource)));
    }

    /** This answer with {@code extra} headers instead of its own. */
    ApiResponse with(Map<String, String> extra) {
        return new ApiResponse(status, contentType, body, extra);
    }

    /** {@code {"error": {"code": ..., "message": ...}}}, the code from the status. */
    static ApiResponse error(int status, String message) {
        return json(status, errorBody(status, message, null));
    }

    /** A refusal as {@code {"error": {"code", "message", "field"}}} (field only when one is at fault). */
    static ApiResponse error(ApiException e) {
        return json(e.status(), errorBody(e.status(), e.getMessage(), e.field())).with(e.headers());
    }

    /** The body of a refusal; the caller may add members beside {@code error} (a reload's {@code errors}). */
    static ObjectNode errorBody(int status, String message, String field) {
        final ObjectNode body = JSON.createObjectNode();
        final ObjectNode error = body.putObject("error");
        error.put("code", code(status));
        error.put("message", message);
        if (field != null) {
            error.put("field", field);
        }
        return body;
    }

    /** The machine word of an error status (documented in {@code admin/openapi.json}, {@code Error}). */
    static String code(int status) {
        return switch (status) {
            case 400, 422 -> "invalid";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 409 -> "conflict";
            case 412 -> "precondition_failed";
            case 413 -> "too_large";
            case 415 -> "unsupported_media_type";
            case 429 -> "rate_limited";
            case 503 -> "unavailable";
            case 507 -> "store_full";
            default -> status >= 500 ? "internal" : "invalid";
        };
    }
}
