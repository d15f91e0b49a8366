package org.callrouter.server.admin;

import static org.callrouter.server.admin.ServiceFixture.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.callrouter.server.Await;
import org.callrouter.server.sipua.Behaviour;
import org.callrouter.server.sipua.CarrierCall;
import org.callrouter.server.sipua.Peers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API's common rules on a real router (issue 17, part 3): every refusal is
 * {@code {"error": {"code", "message", "field"}}}; the lists page with {@code limit} and an opaque
 * {@code cursor}, each call, session, callback and quarantined number listed once across the
 * pages, {@code next_cursor} null on the last; cap reset, quarantine release and callback cancel
 * honour {@code If-Match} with the {@code ETag} of their GET (412 when stale, unconditional without
 * it). Calls from the lead store and, with the store off, from the journal. Ports 49600-49799.
 */
class ApiConsistencyIntegrationTest {

    private static final String NUMBER = "+18005550100";
    private static final List<String> SPARE = List.of("+18005550181", "+18005550182", "+18005550183");
    private static final int CALLS = 5;

    @TempDir
    Path dir;

    private Peers peers;
    private ServiceFixture router;

    @BeforeEach
    void peers() {
        peers = Peers.open(49600, 49799);
    }

    @AfterEach
    void close() {
        if (router != null) {
            router.close();
        }
        peers.close();
    }

    private String routing(boolean withSpares) {
        final StringBuilder spares = new StringBuilder();
        if (withSpares) {
            SPARE.forEach(n -> spares.append("  - { number: \"").append(n).append("\", campaign: sales, source: web }\n"));
        }
        return """
                sources: [ { id: web } ]
                handlers:
                  - { id: first, uri: "%s", timeout_seconds: 5, caps: { hourly: 50 } }
                campaigns:
                  - id: sales
                    handlers: [first]
                    callback: { enabled: true, intervals: [1h], trunk: out }
                numbers:
                  - { number: "%s", campaign: sales, source: web }
                %strunks: [ { id: out, uri: "sip:127.0.0.1:9", caller_id: "+18005550199" } ]
                """.formatted(peers.first().uri(), NUMBER, spares);
    }

    /** Answered calls, each hung up: {@link #CALLS} records. */
    private void answeredCalls() {
        peers.first().behaviour(Behaviour.answer());
        for (int i = 0; i < CALLS; i++) {
            final CarrierCall call = peers.carrier().call(router.sipHostPort(), NUMBER);
            assertEquals(200, call.awaitFinal(WAIT).status());
            assertEquals(200, call.bye(WAIT).status());
        }
        router.awaitCalls(CALLS);
    }

    /** Every item of a list, {@code limit} at a time, following next_cursor; checks the pages' sizes. */
    private List<JsonNode> pages(String path, String items, int limit, int expected) {
        final List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            final String uri = path + (path.contains("?") ? "&" : "?") + "limit=" + limit
                    + (cursor == null ? "" : "&cursor=" + cursor);
            final HttpResponse<String> answer = router.get(uri);
            assertEquals(200, answer.statusCode(), answer::body);
            final JsonNode page = ServiceFixture.json(answer);
            page.path(items).forEach(all::add);
            assertEquals(pages < (expected - 1) / limit ? limit : expected - pages * limit, page.path(items).size(),
                    () -> "page " + uri + ": " + page);
            cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
            assertTrue(page.has("next_cursor"), page::toString);
            pages++;
        } while (cursor != null);
        assertEquals((expected + limit - 1) / limit, pages, path);
        return all;
    }

    private static Set<String> distinct(List<JsonNode> items, String field) {
        final Set<String> seen = new HashSet<>();
        items.forEach(i -> assertTrue(seen.add(i.path(field).asText()), () -> "listed twice: " + i));
        return seen;
    }

    private static int hourlyUsed(HttpResponse<String> answer) {
        final JsonNode body = ServiceFixture.json(answer);
        final JsonNode caps = body.has("handlers") ? body.path("handlers").get(0).path("caps") : body.path("caps");
        for (JsonNode cap : caps) {
            if (cap.path("cap").asText().equals("hourly")) {
                return cap.path("used").asInt();
            }
        }
        throw new AssertionError("no hourly cap in " + body);
    }

    private static JsonNode error(HttpResponse<String> answer, int status, String code) {
        assertEquals(status, answer.statusCode(), answer::body);
        final JsonNode error = ServiceFixture.json(answer).path("error");
        assertEquals(code, error.path("code").asText(), answer::body);
        assertFalse(error.path("message").asText().isEmpty(), answer::body);
        return error;
    }

    @Test
    void errorsPagesAndConditionalChangesFromTheLeadStore() {
        router = ServiceFixture.start(dir, 49600, 49799, routing(true), "", "");
        answeredCalls();

        // Errors: one shape, a field when one input is at fault.
        final JsonNode badLimit = error(router.get("/v1/calls?limit=0"), 400, "invalid");
        assertEquals("limit", badLimit.path("field").asText());
        assertEquals("status", error(router.get("/v1/calls?status=lost"), 400, "invalid").path("field").asText());
        assertFalse(error(router.get("/v1/calls/c0000000000000000000000"), 404, "not_found").has("field"));
        error(router.request("GET", "/v1/live", null, null), 401, "unauthorized");
        error(router.request("DELETE", "/v1/live", null, "Bearer " + ServiceFixture.TOKEN), 405, "method_not_allowed");
        error(router.post("/v1/numbers/quarantine/%2B18005550100/release", "{\"force\": 1}"), 400, "invalid");
        error(router.get("/nowhere"), 404, "not_found");

        // Calls across pages: each once; a cursor of another list, or a made-up one, is refused.
        final Set<String> ids = distinct(pages("/v1/calls?since=0", "calls", 2, CALLS), "id");
        assertEquals(CALLS, ids.size());
        final String callsCursor = ServiceFixture.json(router.get("/v1/calls?since=0&limit=2")).path("next_cursor")
                .asText();
        assertEquals("cursor", error(router.get("/v1/callbacks?cursor=" + callsCursor), 400, "invalid").path("field")
                .asText());
        assertEquals("cursor", error(router.get("/v1/calls?cursor=bm9wZQ"), 400, "invalid").path("field").asText());
        assertEquals("cursor", error(router.get("/v1/calls?cursor=%25%25"), 400, "invalid").path("field").asText());

        // Sessions (one per call, once the store has them).
        Await.until(WAIT, () -> ServiceFixture.json(router.get("/v1/sessions?kind=call")).path("count").asInt() == CALLS,
                () -> "the calls' sessions in the store: " + router.get("/v1/sessions?kind=call").body());
        assertEquals(CALLS, distinct(pages("/v1/sessions?kind=call", "sessions", 2, CALLS), "id").size());

        // Callbacks: three busy calls, three callers, three pending callbacks.
        peers.first().behaviour(Behaviour.busy());
        for (int i = 0; i < 3; i++) {
            assertEquals(480, peers.carrier().call(router.sipHostPort(), NUMBER).awaitFinal(WAIT).status());
        }
        Await.until(WAIT, () -> ServiceFixture.json(router.get("/v1/callbacks?state=pending")).path("count").asInt() == 3,
                () -> "three callbacks: " + router.get("/v1/callbacks").body());
        final List<JsonNode> callbacks = pages("/v1/callbacks?state=pending", "callbacks", 2, 3);
        assertEquals(3, distinct(callbacks, "id").size());
        assertEquals(3, pages("/v1/callbacks", "callbacks", 1, 3).size());

        // Cancel with If-Match: stale is refused and cancels nothing; the GET's ETag cancels.
        final String callback = "/v1/callbacks/" + callbacks.get(0).path("id").asText();
        final HttpResponse<String> one = router.get(callback);
        assertEquals(200, one.statusCode(), one::body);
        final String tag = one.headers().firstValue("ETag").orElseThrow();
        assertEquals("If-Match", error(router.ifMatch("DELETE", callback, null, "\"0123456789abcdef\""), 412,
                "precondition_failed").path("field").asText());
        assertEquals("pending", ServiceFixture.json(router.get(callback)).path("state").asText());
        final HttpResponse<String> cancelled = router.ifMatch("DELETE", callback, null, tag);
        assertEquals(200, cancelled.statusCode(), cancelled::body);
        assertNotEquals(tag, router.get(callback).headers().firstValue("ETag").orElseThrow(), "a change, a new tag");
        error(router.ifMatch("DELETE", callback, null, tag), 412, "precondition_failed");
        final String other = "/v1/callbacks/" + callbacks.get(1).path("id").asText();
        assertEquals(200, router.delete(other).statusCode(), "no If-Match: unconditional");

        // Cap reset with If-Match: the GET's tag resets once; after the reset it is stale.
        final HttpResponse<String> caps = router.get("/v1/caps/first");
        final String capsTag = caps.headers().firstValue("ETag").orElseThrow();
        assertTrue(hourlyUsed(caps) > 0, caps::body);
        error(router.ifMatch("POST", "/v1/caps/first/reset?window=hourly", null, "W/" + capsTag), 412,
                "precondition_failed");
        final HttpResponse<String> reset = router.ifMatch("POST", "/v1/caps/first/reset?window=hourly", null, capsTag);
        assertEquals(200, reset.statusCode(), reset::body);
        assertEquals(router.get("/v1/caps/first").headers().firstValue("ETag").orElseThrow(),
                reset.headers().firstValue("ETag").orElseThrow(), "the reset answers the new tag");
        assertEquals(0, hourlyUsed(reset), reset::body);
        error(router.ifMatch("POST", "/v1/caps/first/reset?window=hourly", null, capsTag), 412, "precondition_failed");
        assertEquals(200, router.ifMatch("POST", "/v1/caps/first/reset?window=daily", null, "*").statusCode());
        assertEquals(200, router.post("/v1/caps/first/reset?window=total", "").statusCode());

        // Quarantine: three numbers removed by a reload, listed by number a page at a time; released with If-Match.
        router.writeRaw(router.yaml(routing(false), ""));
        assertEquals(200, router.post("/v1/reload", "").statusCode());
        final List<JsonNode> quarantined = pages("/v1/numbers/quarantine", "numbers", 2, 3);
        assertEquals(SPARE, quarantined.stream().map(n -> n.path("number").asText()).toList());
        final String entry = "/v1/numbers/quarantine/" + SPARE.get(0).replace("+", "%2B");
        final HttpResponse<String> shown = router.get(entry);
        assertEquals(200, shown.statusCode(), shown::body);
        assertEquals(quarantined.get(0), ServiceFixture.json(shown));
        error(router.ifMatch("POST", entry + "/release", "{\"force\": true}", "\"stale\""), 412, "precondition_failed");
        final HttpResponse<String> released = router.ifMatch("POST", entry + "/release", "{\"force\": true}",
                shown.headers().firstValue("ETag").orElseThrow());
        assertEquals(200, released.statusCode(), released::body);
        error(router.get(entry), 404, "not_found");
        error(router.get("/v1/numbers/quarantine/x"), 400, "invalid");
    }

    @Test
    void callsPageThroughTheJournalWhenTheStoreIsOff() {
        router = ServiceFixture.start(dir, 49600, 49799, routing(false), "  store: { enabled: false }\n", "");
        answeredCalls();
        assertEquals(CALLS, distinct(pages("/v1/calls?since=0", "calls", 2, CALLS), "id").size());
        assertEquals(CALLS, distinct(pages("/v1/calls?since=0&campaign=sales", "calls", 5, CALLS), "id").size());
        assertEquals(CALLS, distinct(pages("/v1/calls?since=0", "calls", 3, CALLS), "id").size());
        final String cursor = ServiceFixture.json(router.get("/v1/calls?since=0&limit=2")).path("next_cursor").asText();
        assertEquals(2, ServiceFixture.json(router.get("/v1/calls?since=0&limit=2&cursor=" + cursor)).path("count")
                .asInt(), "the same cursor twice, the same page");
        error(router.get("/v1/calls?cursor=" + cursor.substring(0, cursor.length() - 2)), 400, "invalid");
    }
}
