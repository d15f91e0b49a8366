package org.callrouter.server.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.callrouter.routing.TestClock;
import org.callrouter.routing.config.RouterConfig;
import org.callrouter.routing.pool.PoolSessions;
import org.callrouter.routing.pool.PoolStatus;
import org.callrouter.server.TestConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tracking API without HTTP, over real {@link PoolSessions} (in memory) and a real
 * configuration: routes, bodies and their bounds, CORS and origins, rate limits with a stepped
 * clock, the drain cap, a full pool.
 */
class TrackingApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SITE = "https://solar.example";
    private static final String OTHER_SITE = "https://roof.example";

    @TempDir
    Path dir;

    private final TestClock wall = new TestClock("2026-03-09T14:00:00Z");
    private final SteppedTime time = new SteppedTime();
    private final TrackingStats stats = new TrackingStats();
    private PoolSessions pools;
    private TrackingApi api;

    private RouterConfig config(String rate) {
        return TestConfig.load(dir, """
                default_region: US
                server:
                  data_dir: %s
                  tracking:
                    listen: 127.0.0.1:0
                    max_sessions_per_address: 3
                    rate: %s
                sources: [ { id: web }, { id: google-ads } ]
                handlers: [ { id: office, uri: "sip:office@127.0.0.1:5080" } ]
                campaigns:
                  - id: solar
                    handlers: [office]
                    pools:
                      - id: solar-web
                        numbers: ["+18005550200", "+18005550201", "+18005550202", "+18005550203"]
                        source: web
                        allowed_origins: ["%s"]
                        tags_allowed: [keyword]
                      - id: tiny
                        numbers: ["+442079460000"]
                        source: web
                        overflow_number: "+18005550299"
                        allowed_origins: ["%s"]
                      - id: closed
                        numbers: ["+18005550300"]
                        source: web
                        allowed_origins: ["*"]
                """.formatted(dir.resolve("data"), rate, SITE, OTHER_SITE));
    }

    @BeforeEach
    void start() {
        open("{ per_address_per_second: 1000, per_address_burst: 1000, per_pool_per_second: 1000, per_pool_burst: 1000 }");
    }

    private void open(String rate) {
        final RouterConfig config = config(rate);
        pools = new PoolSessions(null, config.pools(), config.server().tracking().maxSessionsPerAddress(),
                wall.millis());
        api = new TrackingApi(config, pools, null, new TrackingScript("window.x = 1;".getBytes(StandardCharsets.UTF_8)),
                stats, wall, time);
    }

    @AfterEach
    void close() {
        pools.close();
    }

    private TrackingResponse post(String path, String body) {
        return send("POST", path, null, body, "192.0.2.1");
    }

    private TrackingResponse send(String method, String path, String origin, String body, String client) {
        return answer(new TrackingRequest(method, path, origin, false, null, body.getBytes(StandardCharsets.UTF_8),
                client));
    }

    /** Without a cluster every answer is ready at once, on the caller's thread. */
    private TrackingResponse answer(TrackingRequest request) {
        return api.handle(request, Runnable::run).toCompletableFuture().join();
    }

    private static JsonNode json(TrackingResponse response) {
        try {
            return JSON.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new AssertionError(new String(response.body(), StandardCharsets.UTF_8), e);
        }
    }

    private static String error(TrackingResponse response) {
        return json(response).path("error").asText();
    }

    private PoolStatus status(String pool) {
        return pools.status(wall.millis()).stream().filter(p -> p.pool().equals(pool)).findFirst().orElseThrow();
    }

    private static Map<String, String> headers(TrackingResponse response) {
        final Map<String, String> map = new HashMap<>();
        final String[] h = response.headers();
        for (int i = 0; i + 1 < h.length; i += 2) {
            map.put(h[i], h[i + 1]);
        }
        return map;
    }

    @Test
    void aVisitorGetsANumberAndKeepsItWithItsSession() {
        final TrackingResponse created = post("/v1/pools/solar-web/sessions",
                "{\"page_url\": \"https://solar.example/?utm_source=google\", \"utm_source\": \"google\", "
                        + "\"gclid\": \"abc\", \"tags\": {\"keyword\": \"solar panels\"}, \"references\": [\"r1\"]}");
        assertEquals(200, created.status());
        final JsonNode body = json(created);
        assertTrue(TrackingApi.isSessionId(body.path("session").asText()), body.toString());
        assertEquals("+18005550200", body.path("number").asText(), "the first free number");
        assertEquals("(800) 555-0200", body.path("display").asText());
        assertEquals("2026-03-09T14:30:00Z", body.path("expires_at").asText(), "lease_seconds 1800 by default");
        assertFalse(body.path("overflow").asBoolean());
        assertEquals(15, body.path("renew_seconds").asInt());

        final String session = body.path("session").asText();
        final JsonNode again = json(post("/v1/pools/solar-web/sessions", "{\"session\": \"" + session + "\"}"));
        assertEquals(session, again.path("session").asText());
        assertEquals("+18005550200", again.path("number").asText());
        assertEquals("+18005550201", json(post("/v1/pools/solar-web/sessions", "{}")).path("number").asText(),
                "another visitor, another number");
    }

    @Test
    void renewPageViewAndReleaseFollowTheSession() {
        final String session = json(post("/v1/pools/solar-web/sessions", "")).path("session").asText();
        wall.advanceMs(60_000);
        final TrackingResponse renewed = post("/v1/sessions/" + session + "/renew", "");
        assertEquals(200, renewed.status());
        assertEquals("2026-03-09T14:31:00Z", json(renewed).path("expires_at").asText());
        assertEquals(204, post("/v1/sessions/" + session + "/pageviews",
                "{\"page_url\": \"https://solar.example/pricing\"}").status());
        assertEquals("page_url is required", error(post("/v1/sessions/" + session + "/pageviews", "{}")));
        assertEquals(400, post("/v1/sessions/" + session + "/pageviews", "{\"page_url\": \"a\\u0007b\"}").status());
        assertEquals(204, post("/v1/sessions/" + session + "/release", "leaving").status(), "a beacon's text body");
        assertEquals(404, post("/v1/sessions/" + session + "/renew", "").status(), "released");
        assertEquals("unknown or expired session", error(post("/v1/sessions/" + "0".repeat(32) + "/renew", "")));
        assertEquals(404, post("/v1/sessions/" + "0".repeat(32) + "/pageviews", "{\"page_url\": \"https://x\"}")
                .status());
    }

    @Test
    void unknownPathsPoolsAndMalformedIdsAre404() {
        assertEquals("unknown pool", error(post("/v1/pools/nope/sessions", "{}")));
        assertEquals("no such endpoint", error(post("/v1/pools/Solar-Web/sessions", "{}")));
        assertEquals("no such endpoint", error(post("/v1/pools/solar-web/other", "{}")));
        assertEquals("no such endpoint", error(post("/v1/sessions/ABC/renew", "")));
        assertEquals("no such endpoint", error(post("/v1/sessions/" + "a".repeat(33) + "/renew", "")));
        assertEquals("no such endpoint", error(send("GET", "/metrics", null, "", "192.0.2.1")));
        assertEquals("no such endpoint", error(send("GET", "/v1/calls", null, "", "192.0.2.1")));
        assertEquals("no such endpoint", error(send("POST", "/v1/reload", null, "", "192.0.2.1")));
        assertEquals("no such endpoint", error(send("GET", "/health/ready", null, "", "192.0.2.1")));
        assertEquals(404, send("GET", "/v1/pools", null, "", "192.0.2.1").status());
    }

    @Test
    void wrongMethodsAre405WithAllow() {
        final TrackingResponse get = send("GET", "/v1/pools/solar-web/sessions", null, "", "192.0.2.1");
        assertEquals(405, get.status());
        assertEquals("POST, OPTIONS", headers(get).get("Allow"));
        assertEquals(405, send("POST", "/callrouter.js", null, "", "192.0.2.1").status());
    }

    @Test
    void badBodiesAre400WithTheReason() {
        assertEquals("utm_source must be a string", error(post("/v1/pools/solar-web/sessions", "{\"utm_source\": 1}")));
        assertTrue(error(post("/v1/pools/solar-web/sessions", "{\"utm_source\": ")).startsWith("the body is not"));
        assertEquals("utm_source longer than 256 characters", error(post("/v1/pools/solar-web/sessions",
                "{\"utm_source\": \"" + "x".repeat(257) + "\"}")));
        assertEquals("gclid contains a control character", error(post("/v1/pools/solar-web/sessions",
                "{\"gclid\": \"a\\u0000b\"}")));
        assertEquals("tag \"lp\" is not allowed by pool solar-web", error(post("/v1/pools/solar-web/sessions",
                "{\"tags\": {\"lp\": \"b\"}}")));
        assertEquals("at most 3 references, got 4", error(post("/v1/pools/solar-web/sessions",
                "{\"references\": [\"a\", \"b\", \"c\", \"d\"]}")));
        assertEquals("session must be 32 lowercase hex characters", error(post("/v1/pools/solar-web/sessions",
                "{\"session\": \"../../etc\"}")));
        assertEquals(4, status("solar-web").free(), "no bad request took a number");
    }

    @Test
    void anAllowedOriginGetsCorsHeadersAndAnotherIsRefusedWithout() {
        final TrackingResponse allowed = send("POST", "/v1/pools/solar-web/sessions", SITE, "{}", "192.0.2.1");
        assertEquals(200, allowed.status());
        assertEquals(SITE, headers(allowed).get("Access-Control-Allow-Origin"));
        assertEquals("Origin", headers(allowed).get("Vary"));
        assertNull(headers(allowed).get("Access-Control-Allow-Credentials"));

        final TrackingResponse refused = send("POST", "/v1/pools/solar-web/sessions", OTHER_SITE, "{}", "192.0.2.1");
        assertEquals(403, refused.status());
        assertEquals("origin not allowed", error(refused));
        assertTrue(headers(refused).keySet().stream().noneMatch(h -> h.startsWith("Access-Control")),
                Arrays.toString(refused.headers()));
        assertEquals(403, send("OPTIONS", "/v1/pools/solar-web/sessions", OTHER_SITE, "", "192.0.2.1").status());
        assertEquals(200, send("POST", "/v1/pools/closed/sessions", "https://any.example", "{}", "192.0.2.1")
                .status(), "\"*\" allows any origin");
    }

    @Test
    void preflightIsAnswered204() {
        final TrackingResponse preflight = send("OPTIONS", "/v1/pools/solar-web/sessions", SITE, "", "192.0.2.1");
        assertEquals(204, preflight.status());
        final Map<String, String> h = headers(preflight);
        assertEquals(SITE, h.get("Access-Control-Allow-Origin"));
        assertEquals("POST, GET, OPTIONS", h.get("Access-Control-Allow-Methods"));
        assertEquals("Content-Type", h.get("Access-Control-Allow-Headers"));
        assertEquals(0, preflight.body().length);
    }

    @Test
    void sessionRoutesAcceptTheOriginOfAnyPool() {
        final String session = json(post("/v1/pools/solar-web/sessions", "{}")).path("session").asText();
        final TrackingResponse renewed = send("POST", "/v1/sessions/" + session + "/renew", OTHER_SITE, "",
                "192.0.2.1");
        assertEquals(200, renewed.status(), "roof.example is some pool's origin");
        assertEquals(OTHER_SITE, headers(renewed).get("Access-Control-Allow-Origin"));
        // The "closed" pool allows "*", so any origin passes on session routes.
        assertEquals(200, send("POST", "/v1/sessions/" + session + "/renew", "https://evil.example", "", "192.0.2.1")
                .status());
    }

    @Test
    void anAddressOverItsRateGets429WithRetryAfterAndOthersGoOn() {
        open("{ per_address_per_second: 2, per_address_burst: 3, per_pool_per_second: 1000, per_pool_burst: 1000 }");
        for (int i = 0; i < 3; i++) {
            assertEquals(200, send("POST", "/v1/pools/solar-web/sessions", SITE, "{}", "198.51.100.1").status());
        }
        final TrackingResponse limited = send("POST", "/v1/pools/solar-web/sessions", SITE, "{}", "198.51.100.1");
        assertEquals(429, limited.status());
        assertEquals("1", headers(limited).get("Retry-After"));
        assertEquals(SITE, headers(limited).get("Access-Control-Allow-Origin"), "the script may read the refusal");
        assertEquals(1, stats.rateLimited(TrackingStats.Scope.ADDRESS));
        assertEquals(429, send("POST", "/v1/sessions/" + "0".repeat(32) + "/renew", SITE, "", "198.51.100.1")
                .status(), "every route to the pools takes from the address's bucket");
        assertEquals(404, send("POST", "/nothing", null, "", "198.51.100.1").status(), "an unknown route costs nothing");
        assertEquals(204, send("OPTIONS", "/v1/pools/solar-web/sessions", SITE, "", "198.51.100.1").status(),
                "nor does a preflight");
        assertEquals(200, send("POST", "/v1/pools/solar-web/sessions", SITE, "{}", "198.51.100.2").status());
        time.nanos += 500_000_000L;
        assertEquals(204, send("POST", "/v1/pools/tiny/failures", OTHER_SITE, "{}", "198.51.100.1").status(),
                "half a second later the bucket has a token again");
    }

    @Test
    void aPoolOverItsRateGets429() {
        open("{ per_address_per_second: 1000, per_address_burst: 1000, per_pool_per_second: 1, per_pool_burst: 2 }");
        assertEquals(200, send("POST", "/v1/pools/solar-web/sessions", null, "{}", "203.0.113.1").status());
        assertEquals(200, send("POST", "/v1/pools/solar-web/sessions", null, "{}", "203.0.113.2").status());
        final TrackingResponse limited = send("POST", "/v1/pools/solar-web/sessions", null, "{}", "203.0.113.3");
        assertEquals(429, limited.status());
        assertEquals("too many requests from this pool; retry later", error(limited));
        assertEquals(1, stats.rateLimited(TrackingStats.Scope.POOL));
        assertEquals(200, send("POST", "/v1/pools/tiny/sessions", null, "{}", "203.0.113.3").status(),
                "another pool has its own bucket");
    }

    @Test
    void oneAddressCannotDrainThePool() {
        for (int i = 0; i < 3; i++) {
            assertEquals(200, post("/v1/pools/solar-web/sessions", "{}").status());
        }
        final TrackingResponse capped = post("/v1/pools/solar-web/sessions", "{}");
        assertEquals(403, capped.status());
        assertEquals("too many sessions from this address", error(capped));
        assertEquals(1, status("solar-web").addressCapRefusals());
        assertEquals(200, send("POST", "/v1/pools/solar-web/sessions", null, "{}", "192.0.2.99").status());
    }

    @Test
    void aFullPoolShowsItsOverflowNumberOrAnswers503() {
        assertEquals("+44 20 7946 0000", json(send("POST", "/v1/pools/tiny/sessions", null, "{}", "192.0.2.1"))
                .path("display").asText());
        final JsonNode overflow = json(send("POST", "/v1/pools/tiny/sessions", null, "{}", "192.0.2.2"));
        assertTrue(overflow.path("overflow").asBoolean(), overflow.toString());
        assertEquals("+18005550299", overflow.path("number").asText());
        assertTrue(overflow.path("session").isNull());

        assertEquals(200, send("POST", "/v1/pools/closed/sessions", null, "{}", "192.0.2.1").status());
        final TrackingResponse none = send("POST", "/v1/pools/closed/sessions", null, "{}", "192.0.2.2");
        assertEquals(503, none.status());
        assertEquals("no number available", error(none));
    }

    @Test
    void failureReportsAreCountedPerPool() {
        assertEquals(204, post("/v1/pools/solar-web/failures", "{\"page_url\": \"https://solar.example/\", "
                + "\"reason\": \"endpoint unreachable\"}").status());
        assertEquals(1, stats.scriptFailures("solar-web"));
        assertEquals(400, post("/v1/pools/solar-web/failures", "{\"reason\": \"" + "r".repeat(300) + "\"}")
                .status());
        assertEquals(404, post("/v1/pools/nope/failures", "{}").status());
        assertEquals(0, stats.scriptFailures("nope"));
    }

    @Test
    void failureReportsAreCountedPerPageWithBoundedPages() {
        final List<TrackingStats.PoolPage> seen = new ArrayList<>();
        stats.onNewPage(seen::add);
        assertEquals(204, post("/v1/pools/solar-web/failures", "{\"page_url\": \"https://solar.example/quote?gclid=1\"}")
                .status());
        assertEquals(204, post("/v1/pools/solar-web/failures", "{\"page_url\": \"https://solar.example/quote?gclid=2\"}")
                .status());
        assertEquals(204, post("/v1/pools/solar-web/failures", "{}").status());
        assertEquals(2, stats.scriptFailures(new TrackingStats.PoolPage("solar-web", "solar.example/quote")),
                "the query is not part of the page");
        assertEquals(1, stats.scriptFailures(new TrackingStats.PoolPage("solar-web", TrackingStats.NO_PAGE)));
        for (int i = 0; i < TrackingStats.MAX_FAILURE_PAGES + 50; i++) {
            assertEquals(204, post("/v1/pools/solar-web/failures", "{\"page_url\": \"https://solar.example/p" + i
                    + "\"}").status());
        }
        assertEquals(TrackingStats.MAX_FAILURE_PAGES + 1, seen.size(), "bounded, plus other: " + seen.size());
        assertEquals(52, stats.scriptFailures(new TrackingStats.PoolPage("solar-web", TrackingStats.OTHER_PAGE)));
        assertEquals(3 + TrackingStats.MAX_FAILURE_PAGES + 50, stats.scriptFailures("solar-web"));
    }

    @Test
    void theScriptIsServedCacheableAndRevalidated() {
        final TrackingResponse script = send("GET", "/callrouter.js", null, "", "192.0.2.1");
        assertEquals(200, script.status());
        assertEquals("window.x = 1;", new String(script.body(), StandardCharsets.UTF_8));
        assertTrue(script.contentType().startsWith("application/javascript"));
        assertEquals("public, max-age=300", headers(script).get("Cache-Control"));
        final String etag = headers(script).get("ETag");
        final TrackingResponse gz = answer(new TrackingRequest("GET", "/callrouter.js", null, true, null,
                new byte[0], "192.0.2.1"));
        assertEquals("gzip", headers(gz).get("Content-Encoding"));
        assertNotEquals(script.body().length, gz.body().length);
        assertEquals(304, answer(new TrackingRequest("GET", "/callrouter.js", null, false, etag, new byte[0],
                "192.0.2.1")).status());
    }

    @Test
    void renewSecondsIsHalfTheLeaseLeftAtMost15() {
        assertEquals(15, TrackingApi.renewSeconds(1_800_000));
        assertEquals(5, TrackingApi.renewSeconds(10_000));
        assertEquals(1, TrackingApi.renewSeconds(0));
    }
}
