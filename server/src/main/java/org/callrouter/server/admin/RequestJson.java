package org.callrouter.server.admin;

import java.io.IOException;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Reads an admin request's JSON body strictly: one object, no duplicate field (which of two
 * {@code "amount"}s would count?), at most 8 levels deep, numbers kept exact (an amount of
 * {@code 19.99} stays 19.99, not the nearest double). The body's size is bounded by the route
 * ({@link V1Route#maxBodyBytes}) before it gets here.
 */
final class RequestJson {

    private static final int MAX_DEPTH = 8;
    private static final ObjectMapper STRICT = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private RequestJson() {
    }

    /**
     * The body as one JSON object.
     *
     * @param example a body the route takes, quoted in the refusal of anything else.
     * @throws ApiException 400 with what is wrong
     */
    static JsonNode object(byte[] body, String example) throws ApiException {
        if (body.length == 0) {
            throw new ApiException(400, "the body must be a JSON object such as " + example);
        }
        final JsonNode node;
        try {
            node = STRICT.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiException(400, "the body cannot be read: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new ApiException(400, "the body must be a JSON object such as " + example + ", got "
                    + type(node));
        }
        return node;
    }

    /** What kind of JSON value {@code node} is, for refusals ({@code a number}, {@code null}). */
    static String type(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case STRING -> "a string";
            default -> node.getNodeType().toString().toLowerCase(Locale.ROOT);
        };
    }
}
