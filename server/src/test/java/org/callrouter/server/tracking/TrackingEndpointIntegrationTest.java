package org.callrouter.server.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.callrouter.server.TestConfig;
import org.callrouter.server.admin.RouterService;
import org.callrouter.server.metrics.PrometheusText;
import org.callrouter.server.sipua.Ports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The public tracking listener of a real router ({@link RouterService} on 127.0.0.1, the tracking
 * listener on a free port) under hostile input: each abuse gets its status and JSON reason, is
 * counted in {@code /metrics}, and the pool goes on serving other visitors. Client addresses are
 * told apart with {@code X-Forwarded-For}: the test is the trusted proxy (127.0.0.0/8).
 */
class TrackingEndpointIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "tracking-test-token-0123";
    private static final String SITE = "https://solar.example";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final int sipPort = Ports.free(48000, 48399);
    private final int adminPort = Ports.free(48000, 48399);
    private RouterService router;
    private String tracking;
    private String admin;

    private String yaml(int perAddressBurst) {
        return """
                default_region: US
                server:
                  data_dir: %s
                  sip: { listen: ["udp:127.0.0.1:%d"], t1_ms: 100 }
                  health: { enabled: false }
                  admin: { listen: "127.0.0.1:%d", token: "%s" }
                  tracking:
                    listen: 127.0.0.1:0
                    max_body_bytes: 1024
                    max_sessions_per_address: 3
                    trusted_proxies: ["127.0.0.0/8"]
                    rate: { per_address_per_second: 1, per_address_burst: %d, per_pool_per_second: 1000, per_pool_burst: 1000 }
                sources: [ { id: web } ]
                handlers: [ { id: office, uri: "sip:office@127.0.0.1:5080" } ]
                campaigns:
                  - id: solar
                    handlers: [office]
                    pools:
                      - id: solar-web
                        numbers: ["+18005550200", "+18005550201", "+18005550202", "+18005550203", "+18005550204",
                                  "+18005550205", "+18005550206", "+18005550207", "+18005550208", "+18005550209"]
                        source: web
                        allowed_origins: ["%s"]
                """.formatted(dir.resolve("data"), sipPort, adminPort, TOKEN,
                perAddressBurst, SITE);
    }

    @BeforeEach
    void start() {
        router = RouterService.start(TestConfig.load(dir, yaml(8)), Clock.systemUTC());
        tracking = "http://127.0.0.1:" + router.trackingAddress().getPort();
        admin = "http://127.0.0.1:" + router.adminAddress().getPort();
    }

    @AfterEach
    void stop() {
        router.close();
    }

    private HttpResponse<String> send(String method, String path, String body, String client, String origin) {
        final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(tracking + path)).timeout(TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .header("X-Forwarded-For", client);
        if (origin != null) {
            b.header("Origin", origin);
        }
        return exchange(b.build());
    }

    private HttpResponse<String> create(String client, String body) {
        return send("POST", "/v1/pools/solar-web/sessions", body, client, SITE);
    }

    private HttpResponse<String> exchange(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Sends bytes as they are to the tracking port and reads one response (its head and a
     * {@code Content-Length} body), without waiting for the server to close.
     */
    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", router.trackingAddress().getPort())) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            final OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            final InputStream in = socket.getInputStream();
            final StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                final int b = in.read();
                if (b < 0) {
                    throw new AssertionError("closed before a whole response head: " + head);
                }
                head.append((char) b);
            }
            final Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
            final byte[] body = length.find() ? in.readNBytes(Integer.parseInt(length.group(1))) : new byte[0];
            return head + new String(body, StandardCharsets.UTF_8);
        }
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private static String error(HttpResponse<String> response) {
        return json(response.body()).path("error").asText();
    }

    /** The admin API's {@code /metrics} page, read with the Prometheus reference parser. */
    private Map<String, Double> metrics() {
        return PrometheusText.samples(exchange(HttpRequest.newBuilder(URI.create(admin + "/metrics")).timeout(TIMEOUT)
                .build()).body());
    }

    /** The sample {@code key} ({@code name{label="value",...}}, labels sorted), which must be there. */
    private static double metric(Map<String, Double> page, String key) {
        final Double value = page.get(key);
        if (value == null) {
            throw new AssertionError("no sample " + key + " in " + page.keySet());
        }
        return value;
    }

    @Test
    void hostileInputGetsItsAnswerAndThePoolGoesOnServing() throws IOException {
        // Oversized body: 413 in JSON, the connection closed.
        final String big = "{\"page_url\": \"" + "x".repeat(2000) + "\"}";
        final String oversized = raw("POST /v1/pools/solar-web/sessions HTTP/1.1\r\nHost: t\r\nX-Forwarded-For: "
                + "198.51.100.1\r\nContent-Type: application/json\r\nContent-Length: " + big.length() + "\r\n\r\n" + big);
        assertTrue(oversized.startsWith("HTTP/1.1 413 "), oversized);
        assertTrue(oversized.endsWith("{\"error\":\"body larger than 1024 bytes\"}"), oversized);

        // Bad JSON, wrong types, control characters: 400 with the reason, no number taken.
        final HttpResponse<String> badJson = create("198.51.100.2", "{\"page_url\": ");
        assertEquals(400, badJson.statusCode());
        assertTrue(error(badJson).startsWith("the body is not valid JSON"), badJson.body());
        final HttpResponse<String> wrongType = create("198.51.100.2", "{\"utm_source\": {\"a\": 1}}");
        assertEquals(400, wrongType.statusCode());
        assertEquals("utm_source must be a string", error(wrongType));
        final HttpResponse<String> control = create("198.51.100.2", "{\"utm_source\": \"goo\\u001bgle\"}");
        assertEquals(400, control.statusCode());
        assertEquals("utm_source contains a control character", error(control));
        final String controlInLine = raw("POST /v1/pools/solar\u0001web/sessions HTTP/1.1\r\nHost: t\r\n"
                + "Content-Length: 0\r\nConnection: close\r\n\r\n");
        assertTrue(controlInLine.startsWith("HTTP/1.1 400 ") || controlInLine.startsWith("HTTP/1.1 404 "),
                controlInLine);
        assertTrue(controlInLine.contains("{\"error\":"), controlInLine);

        // Unknown pool.
        final HttpResponse<String> unknown = send("POST", "/v1/pools/nope/sessions", "{}", "198.51.100.3", SITE);
        assertEquals(404, unknown.statusCode());
        assertEquals("unknown pool", error(unknown));

        // Wrong origin: 403, no CORS headers.
        final HttpResponse<String> wrongOrigin = send("POST", "/v1/pools/solar-web/sessions", "{}", "198.51.100.4",
                "https://evil.example");
        assertEquals(403, wrongOrigin.statusCode());
        assertEquals("origin not allowed", error(wrongOrigin));
        assertTrue(wrongOrigin.headers().map().keySet().stream().noneMatch(h -> h.startsWith("access-control")),
                wrongOrigin.headers().toString());

        // Preflight.
        final HttpResponse<String> preflight = exchange(HttpRequest.newBuilder(
                        URI.create(tracking + "/v1/pools/solar-web/sessions")).timeout(TIMEOUT)
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", SITE)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type").build());
        assertEquals(204, preflight.statusCode());
        assertEquals(SITE, preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        assertEquals("POST, GET, OPTIONS", preflight.headers().firstValue("Access-Control-Allow-Methods").orElse(""));
        assertEquals("Content-Type", preflight.headers().firstValue("Access-Control-Allow-Headers").orElse(""));

        // Rate limit: a burst of 8 from one address, then 429 with Retry-After.
        HttpResponse<String> limited = null;
        for (int i = 0; i < 12 && limited == null; i++) {
            final HttpResponse<String> r = send("POST", "/v1/pools/solar-web/failures", "{}", "198.51.100.5", SITE);
            if (r.statusCode() == 429) {
                limited = r;
            } else {
                assertEquals(204, r.statusCode(), r.body());
            }
        }
        assertTrue(limited != null, "no 429 within 12 requests over a burst of 8");
        assertTrue(Integer.parseInt(limited.headers().firstValue("Retry-After").orElse("0")) >= 1);
        assertEquals("too many requests from this address; retry later", error(limited));

        // Drain attempt: one address gets 3 numbers, then 403; another address still gets one.
        final String drainer = "203.0.113.66";
        for (int i = 0; i < 3; i++) {
            assertEquals(200, create(drainer, "{}").statusCode());
        }
        final HttpResponse<String> drained = create(drainer, "{}");
        assertEquals(403, drained.statusCode());
        assertEquals("too many sessions from this address", error(drained));
        final HttpResponse<String> other = create("203.0.113.7", "{\"utm_source\": \"google\"}");
        assertEquals(200, other.statusCode(), other.body());
        assertEquals(SITE, other.headers().firstValue("Access-Control-Allow-Origin").orElse(""));

        // Nothing of the admin API answers here.
        for (String path : new String[] {"/metrics", "/health/live", "/health/ready", "/v1/pools", "/v1/calls",
            "/v1/caps", "/v1/explain?number=18005550200"}) {
            final HttpResponse<String> r = send("GET", path, null, "198.51.100.9", null);
            assertEquals(404, r.statusCode(), path + ": " + r.body());
            assertEquals("no such endpoint", error(r));
        }
        assertEquals(404, send("POST", "/v1/reload", "", "198.51.100.9", null).statusCode());
        assertEquals(404, send("POST", "/postback/abc?key=x", "", "198.51.100.9", null).statusCode());
        final HttpResponse<String> withToken = exchange(HttpRequest.newBuilder(URI.create(tracking + "/v1/calls"))
                .timeout(TIMEOUT).header("Authorization", "Bearer " + TOKEN).build());
        assertEquals(404, withToken.statusCode(), "a valid admin token opens nothing here");

        // The pool still serves a new visitor, and the session lives on.
        final HttpResponse<String> after = create("192.0.2.200", "{\"page_url\": \"https://solar.example/\"}");
        assertEquals(200, after.statusCode(), after.body());
        final JsonNode session = json(after.body());
        assertTrue(session.path("number").asText().startsWith("+1800555020"), session.toString());
        final String id = session.path("session").asText();
        assertEquals(200, send("POST", "/v1/sessions/" + id + "/renew", "", "192.0.2.200", SITE).statusCode());
        assertEquals(204, send("POST", "/v1/sessions/" + id + "/pageviews",
                "{\"page_url\": \"https://solar.example/quote\"}", "192.0.2.200", SITE).statusCode());

        // Each of those is counted.
        final Map<String, Double> page = metrics();
        assertEquals(1, metric(page, "callrouter_tracking_requests_total{status=\"413\"}"));
        // Bad JSON, wrong type, control character in a value, perhaps the one in the request line.
        assertTrue(metric(page, "callrouter_tracking_requests_total{status=\"400\"}") >= 3, page::toString);
        assertTrue(metric(page, "callrouter_tracking_rate_limited_total{scope=\"address\"}") >= 1);
        assertEquals(1, metric(page, "callrouter_pool_address_cap_refusals_total{pool=\"solar-web\"}"));
        assertEquals(5, metric(page, "callrouter_pool_sessions_created_total{pool=\"solar-web\"}"));
        assertEquals(10, metric(page, "callrouter_pool_numbers{pool=\"solar-web\"}"));
        assertEquals(5, metric(page, "callrouter_pool_held{pool=\"solar-web\"}"));
        assertTrue(metric(page, "callrouter_pool_script_failures_total{pool=\"solar-web\"}") >= 8);
        assertEquals(1, metric(page, "callrouter_pool_renewals_total{pool=\"solar-web\"}"));
        assertEquals(0, metric(page, "callrouter_pool_exhausted_total{pool=\"solar-web\"}"));
        assertEquals(0, metric(page, "callrouter_pool_attribution_total{pool=\"solar-web\",result=\"hit\"}"));
        assertEquals(0, metric(page, "callrouter_pool_attribution_total{pool=\"solar-web\",result=\"miss\"}"));
        assertEquals(0, router.server().errors().total(), "no internal error");
    }

    @Test
    void adminListsThePoolsAndAReloadKeepsCountersAndAppliesNewRates() throws IOException {
        assertEquals(200, create("198.51.100.20", "{}").statusCode());
        final HttpResponse<String> pools = exchange(HttpRequest.newBuilder(URI.create(admin + "/v1/pools"))
                .timeout(TIMEOUT).header("Authorization", "Bearer " + TOKEN).build());
        assertEquals(200, pools.statusCode(), pools.body());
        final JsonNode pool = json(pools.body()).path("pools").get(0);
        assertEquals("solar-web", pool.path("pool").asText());
        assertEquals("solar", pool.path("campaign").asText());
        assertEquals(10, pool.path("size").asInt());
        assertEquals(1, pool.path("held").asInt());
        assertEquals(9, pool.path("free").asInt());

        Files.writeString(dir.resolve("router.yaml"), yaml(100));
        final HttpResponse<String> reloaded = exchange(HttpRequest.newBuilder(URI.create(admin + "/v1/reload"))
                .timeout(TIMEOUT).header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, reloaded.statusCode(), reloaded.body());
        for (int i = 0; i < 20; i++) {
            assertNotEquals(429, send("POST", "/v1/pools/solar-web/failures", "{}", "198.51.100.21", SITE)
                    .statusCode(), "a burst of 100 after the reload");
        }
        final Map<String, Double> page = metrics();
        assertEquals(1, metric(page, "callrouter_pool_sessions_created_total{pool=\"solar-web\"}"));
        assertEquals(1, metric(page, "callrouter_tracking_requests_total{status=\"200\"}"));

        Files.writeString(dir.resolve("router.yaml"), yaml(100).replace("listen: 127.0.0.1:0", "listen: 127.0.0.1:1"));
        final HttpResponse<String> moved = exchange(HttpRequest.newBuilder(URI.create(admin + "/v1/reload"))
                .timeout(TIMEOUT).header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(422, moved.statusCode(), moved.body());
        assertTrue(moved.body().contains("server.tracking.listen") && moved.body().contains("restart"), moved.body());
        assertEquals(20, metric(page, "callrouter_tracking_requests_total{status=\"204\"}"));
    }

    @Test
    void theScriptIsServedWhenTheBuildHasIt() throws IOException {
        final boolean present = getClass().getClassLoader().getResource(TrackingScript.RESOURCE) != null;
        final HttpResponse<String> script = send("GET", "/callrouter.js", null, "198.51.100.30", null);
        assertEquals(present ? 200 : 404, script.statusCode(), script.body());
        if (present) {
            assertTrue(script.headers().firstValue("Content-Type").orElse("").startsWith("application/javascript"));
            assertEquals("public, max-age=300", script.headers().firstValue("Cache-Control").orElse(""));
            assertFalse(script.body().isEmpty());
        }
    }
}
