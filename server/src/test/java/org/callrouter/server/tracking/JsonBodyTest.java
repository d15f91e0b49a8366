package org.callrouter.server.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonBodyTest {

    private static final Map<String, JsonBody.Kind> FIELDS = Map.of("page_url", JsonBody.Kind.STRING,
            "references", JsonBody.Kind.STRINGS, "tags", JsonBody.Kind.STRING_MAP);

    private static JsonBody parse(String body) throws TrackingException {
        return JsonBody.parse(body.getBytes(StandardCharsets.UTF_8), FIELDS, false);
    }

    private static String refusal(String body) {
        final TrackingException e = assertThrows(TrackingException.class, () -> parse(body), body);
        assertEquals(400, e.status());
        return e.getMessage();
    }

    @Test
    void readsEachKindAndSkipsUnknownFields() throws TrackingException {
        final JsonBody body = parse("""
                {"page_url": "https://solar.example/?utm_source=google", "future": {"a": [1, {"b": 2}]},
                 "references": ["r1", "r2"], "tags": {"keyword": "solar panels", "lp_variant": "b"}}""");
        assertEquals("https://solar.example/?utm_source=google", body.string("page_url"));
        assertEquals(List.of("r1", "r2"), body.strings("references"));
        assertEquals(Map.of("keyword", "solar panels", "lp_variant", "b"), body.stringMap("tags"));
    }

    @Test
    void nullAndAbsentAreTheSame() throws TrackingException {
        final JsonBody body = parse("{\"page_url\": null}");
        assertNull(body.string("page_url"));
        assertNull(body.strings("references"));
    }

    @Test
    void wrongTypesAreNamed() {
        assertEquals("page_url must be a string", refusal("{\"page_url\": 5}"));
        assertEquals("page_url must be a string", refusal("{\"page_url\": [\"x\"]}"));
        assertEquals("references must be an array of strings", refusal("{\"references\": \"r1\"}"));
        assertEquals("references must be an array of strings", refusal("{\"references\": [1]}"));
        assertEquals("tags must be an object of strings", refusal("{\"tags\": [\"a\"]}"));
        assertEquals("tags.keyword must be a string", refusal("{\"tags\": {\"keyword\": true}}"));
    }

    @Test
    void malformedBodiesAreRefused() {
        assertEquals("the body must be a JSON object", refusal(""));
        assertEquals("the body must be a JSON object", refusal("[]"));
        assertEquals("the body must be a JSON object", refusal("\"text\""));
        assertTrue(refusal("{\"page_url\": ").startsWith("the body is not valid JSON"));
        assertTrue(refusal("{page_url: 1}").startsWith("the body is not valid JSON"));
        assertTrue(refusal("{\"page_url\": \"a\"} {}").startsWith("the body "));
        assertTrue(refusal("{\"page_url\": \"a\", \"page_url\": \"b\"}").contains("Duplicate field"));
        assertTrue(refusal("{\"x\": [[[[[[[[[[1]]]]]]]]]]}").startsWith("the body cannot be read"));
        assertTrue(refusal("\u0000\u0001").startsWith("the body is not valid JSON"));
    }

    @Test
    void listsAndMapsAreBounded() {
        final StringBuilder many = new StringBuilder("{\"references\": [");
        for (int i = 0; i <= JsonBody.MAX_ITEMS; i++) {
            many.append(i == 0 ? "" : ",").append("\"r\"");
        }
        assertEquals("references has more than 64 items", refusal(many.append("]}").toString()));
    }

    @Test
    void anEmptyBodyMayStandForAnEmptyObject() throws TrackingException {
        assertNull(JsonBody.parse(new byte[0], FIELDS, true).string("page_url"));
        assertNull(JsonBody.parse(" \n".getBytes(StandardCharsets.UTF_8), FIELDS, true).string("page_url"));
    }
}
