package org.callrouter.server.tracking;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;

/**
 * A tracking request's JSON body, read in one pass with Jackson's streaming parser against the
 * fields the route expects: each is a string, an array of strings or an object of strings, and
 * {@code null} counts as absent. A field of another type, a duplicate field, or a body that is not
 * one JSON object is the client's error ({@code 400} with the field's name); fields the route does
 * not know are skipped, so an older router accepts a newer script. Lengths are the caller's to
 * check; the body's size is bounded before it gets here ({@code max_body_bytes}), and so are the
 * nesting depth and the number of array elements and object entries read.
 */
final class JsonBody {

    /** What a field holds. */
    enum Kind { STRING, STRINGS, STRING_MAP }

    /** Array elements and object entries read per field, at most. */
    static final int MAX_ITEMS = 64;

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(4).build())
            .build();

    private final Map<String, Object> values;

    private JsonBody(Map<String, Object> values) {
        this.values = values;
    }

    /**
     * Reads {@code body} (UTF-8): an empty body is an empty object when {@code emptyAllowed}.
     *
     * @throws TrackingException 400 naming what is wrong
     */
    static JsonBody parse(byte[] body, Map<String, Kind> fields, boolean emptyAllowed) throws TrackingException {
        if (body.length == 0 || isBlank(body)) {
            if (emptyAllowed) {
                return new JsonBody(Map.of());
            }
            throw new TrackingException(400, "the body must be a JSON object");
        }
        final Map<String, Object> values = new HashMap<>();
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new TrackingException(400, "the body must be a JSON object");
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                final String name = parser.currentName();
                final Kind kind = fields.get(name);
                final JsonToken value = parser.nextToken();
                if (kind == null) {
                    parser.skipChildren();
                } else if (value != JsonToken.VALUE_NULL) {
                    values.put(name, read(parser, name, kind, value));
                }
            }
            if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw new TrackingException(400, "the body must be one JSON object");
            }
        } catch (JsonParseException e) {
            throw new TrackingException(400, "the body is not valid JSON: " + shortened(e.getOriginalMessage()));
        } catch (IOException e) {
            // StreamConstraintsException (too deep) and the like; the parser reads from memory only.
            throw new TrackingException(400, "the body cannot be read: " + shortened(e.getMessage()));
        }
        return new JsonBody(values);
    }

    /** A string field, or null when absent. */
    String string(String name) {
        return (String) values.get(name);
    }

    /** An array-of-strings field, or null when absent. */
    @SuppressWarnings("unchecked")
    List<String> strings(String name) {
        return (List<String>) values.get(name);
    }

    /** An object-of-strings field (in the body's order), or null when absent. */
    @SuppressWarnings("unchecked")
    Map<String, String> stringMap(String name) {
        return (Map<String, String>) values.get(name);
    }

    private static Object read(JsonParser parser, String name, Kind kind, JsonToken value)
            throws IOException, TrackingException {
        switch (kind) {
            case STRING -> {
                if (value != JsonToken.VALUE_STRING) {
                    throw new TrackingException(400, name + " must be a string");
                }
                return parser.getText();
            }
            case STRINGS -> {
                if (value != JsonToken.START_ARRAY) {
                    throw new TrackingException(400, name + " must be an array of strings");
                }
                final List<String> list = new ArrayList<>();
                JsonToken item;
                while ((item = parser.nextToken()) != JsonToken.END_ARRAY) {
                    if (item != JsonToken.VALUE_STRING) {
                        throw new TrackingException(400, name + " must be an array of strings");
                    }
                    if (list.size() == MAX_ITEMS) {
                        throw new TrackingException(400, name + " has more than " + MAX_ITEMS + " items");
                    }
                    list.add(parser.getText());
                }
                return list;
            }
            case STRING_MAP -> {
                if (value != JsonToken.START_OBJECT) {
                    throw new TrackingException(400, name + " must be an object of strings");
                }
                final Map<String, String> map = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    final String key = parser.currentName();
                    if (parser.nextToken() != JsonToken.VALUE_STRING) {
                        throw new TrackingException(400, name + "." + shortened(key) + " must be a string");
                    }
                    if (map.size() == MAX_ITEMS) {
                        throw new TrackingException(400, name + " has more than " + MAX_ITEMS + " entries");
                    }
                    map.put(key, parser.getText());
                }
                return map;
            }
            default -> throw new IllegalStateException(kind.name());
        }
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    /** A client-supplied text for an error reason: at most 100 characters. */
    static String shortened(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= 100 ? text : text.substring(0, 100) + "...";
    }
}
