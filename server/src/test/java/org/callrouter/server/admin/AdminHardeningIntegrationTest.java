package org.callrouter.server.admin;

import static org.callrouter.server.admin.ServiceFixture.WAIT;
import static org.callrouter.server.admin.ServiceFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import org.callrouter.server.sipua.Behaviour;
import org.callrouter.server.sipua.Carrier;
import org.callrouter.server.sipua.CarrierCall;
import org.callrouter.server.sipua.Handler;
import org.callrouter.server.sipua.Peers;
import org.callrouter.server.sipua.ReceivedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The admin API under bad input and narrow credentials (issue 14 items 3, 8, 10, 17): a real
 * router on loopback, jain-sip-ri user agents, raw HTTP where a client library would refuse
 * to send the request.
 */
class AdminHardeningIntegrationTest {

    private static final String NUMBER = "+18005550100";
    private static final String READER = "grafana-read-token-0123";
    private static final String OPERATOR = "ops-admin-token-0123456";

    @TempDir
    Path dir;

    private Handler first;
    private Handler second;
    private Carrier carrier;
    private Peers peers;
    private ServiceFixture router;

    @BeforeEach
    void peers() {
        peers = Peers.open(48000, 48399);
        first = peers.first();
        second = peers.second();
        carrier = peers.carrier();
    }

    @AfterEach
    void close() {
        if (router != null) {
            router.close();
        }
        peers.close();
    }

    private String routing(String firstCaps) {
        return routing(firstCaps, "");
    }

    private String routing(String firstCaps, String campaignExtra) {
        return """
                sources:
                  - id: web
                handlers:
                  - { id: first, uri: "%s", timeout_seconds: 1%s }
                  - { id: second, uri: "%s", priority: 2, timeout_seconds: 1 }
                campaigns:
                  - id: sales
                    handlers: [first, second]
                %s
                numbers:
                  - { number: "%s", campaign: sales, source: web }
                """.formatted(first.uri(), firstCaps, second.uri(), campaignExtra.stripTrailing(), NUMBER);
    }

    private CarrierCall answeredCall() {
        final CarrierCall call = carrier.call(router.sipHostPort(), NUMBER);
        assertEquals(200, call.awaitFinal(WAIT).status());
        return call;
    }

    /** Sends {@code request} as it is and returns the status line's code and the rest. */
    private String raw(String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(
                    router.adminBase().substring(router.adminBase().lastIndexOf(':') + 1))), 5000);
            socket.setSoTimeout((int) WAIT.toMillis());
            final OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            final InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aBadPercentEscapeIsAnswered400AndTheListenerGoesOn() throws IOException {
        router = ServiceFixture.start(dir, routing(""), "");
        for (int i = 0; i < 5; i++) {
            final String answer = raw("GET /%ZZ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
            assertTrue(answer.contains("malformed URI"), answer);
        }
        final String query = raw("GET /v1/calls?since=%G1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + ServiceFixture.TOKEN + "\r\nConnection: close\r\n\r\n");
        assertTrue(query.startsWith("HTTP/1.1 400 "), query);
        assertEquals(200, router.request("GET", "/health/live", null, null).statusCode());
        assertEquals(200, router.get("/v1/calls").statusCode());
        assertEquals(0, router.service().errors().total(), "a client's bad escape is not an internal error");
    }

    @Test
    void reloadedHandlerGaugesFollowTheNewConfigurationWithoutReregistering() {
        final Logger micrometer = (Logger) LoggerFactory.getLogger("io.micrometer");
        final ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        micrometer.addAppender(log);
        try {
            router = ServiceFixture.start(dir, routing(", caps: { hourly: 1 }"), "");
            final String good = router.yaml(routing(", caps: { hourly: 1 }"), "");
            assertEquals(1.0, sample("handler_cap_remaining{handler=\"first\",window=\"hourly\"}"));

            router.writeRaw(good.replace("caps: { hourly: 1 }", "caps: { hourly: 5, daily: 7 }"));
            assertEquals(200, router.post("/v1/reload", null).statusCode());
            assertEquals(5.0, sample("handler_cap_remaining{handler=\"first\",window=\"hourly\"}"));
            assertEquals(7.0, sample("handler_cap_remaining{handler=\"first\",window=\"daily\"}"));

            first.behaviour(Behaviour.answer());
            final CarrierCall live = answeredCall();
            router.writeRaw(good.replace("caps: { hourly: 1 }", "caps: { daily: 9 }"));
            assertEquals(200, router.post("/v1/reload", null).statusCode());
            final String page = router.request("GET", "/metrics", null, null).body();
            assertEquals(1.0, sample("handler_active_calls{handler=\"first\"}"), "the live call after two reloads");
            assertEquals(8.0, sample("handler_cap_remaining{handler=\"first\",window=\"daily\"}"));
            assertFalse(page.contains("window=\"hourly\""), "the hourly cap is gone");
            assertEquals(200, live.bye(WAIT).status());
            final List<String> warnings = log.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.contains("already registered")).toList();
            assertEquals(List.of(), warnings);
        } finally {
            micrometer.detachAppender(log);
        }
    }

    private double sample(String name) {
        final String page = router.request("GET", "/metrics", null, null).body();
        for (String line : page.split("\n")) {
            // simpleclient writes a comma after the last label: {handler="first",}
            final String normal = line.replace(",}", "}");
            if (normal.startsWith(name + " ")) {
                return Double.parseDouble(normal.substring(name.length() + 1).trim());
            }
        }
        throw new AssertionError(name + " is not on the page:\n" + page);
    }

    @Test
    void aReadTokenReadsButCannotChangeAnything() throws IOException {
        final Path tokenFile = dir.resolve("grafana.token");
        Files.writeString(tokenFile, READER + "\n");
        router = ServiceFixture.start(dir, routing(", caps: { total: 3 }"), "", """
                , tokens: [ { name: grafana, scope: read, token_file: "%s" },
                            { name: ops, scope: admin, token: "%s" } ]""".formatted(tokenFile, OPERATOR));
        final String read = "Bearer " + READER;
        assertEquals(200, router.request("GET", "/v1/calls", null, read).statusCode());
        assertEquals(200, router.request("GET", "/v1/caps", null, read).statusCode());
        assertEquals(200, router.request("GET", "/v1/explain?number=18005550100", null, read).statusCode());
        final var reload = router.request("POST", "/v1/reload", null, read);
        assertEquals(403, reload.statusCode());
        assertEquals("the token \"grafana\" has scope read; this needs admin", json(reload).path("error").path("message").asText());
        assertEquals(403, router.request("POST", "/v1/caps/first/reset?window=total", null, read).statusCode());
        assertEquals(403, router.request("POST", "/v1/calls/c1/conversion", "{\"key\": \"k\"}", read).statusCode());
        assertEquals(200, router.request("POST", "/v1/reload", null, "Bearer " + OPERATOR).statusCode());
        assertEquals(200, router.post("/v1/reload", null).statusCode(), "the old token is an admin token");
        assertEquals(401, router.request("GET", "/v1/calls", null, "Bearer " + READER + "x").statusCode());
    }

    @Test
    void aPostbackNeedsOnlyTheCallKeyAndGuessingIsThrottled() {
        router = ServiceFixture.start(dir, routing("", """
                    conversion:
                      handler: { type: postback, revenue: 25.00 }
                """), "");
        first.behaviour(Behaviour.answer());
        final CarrierCall call = answeredCall();
        final ReceivedRequest invite = first.awaitInvites(1, WAIT).get(0);
        final String id = invite.header("X-Call-Id");
        final String key = invite.header("X-Call-Key");

        final var converted = router.request("POST", "/postback/" + id, "{\"key\": \"" + key + "\"}", null);
        assertEquals(200, converted.statusCode(), converted::body);
        assertTrue(json(converted).path("changed").asBoolean(), converted::body);
        assertEquals(403, router.request("POST", "/postback/" + id, "{\"key\": \"wrong\"}", null).statusCode());
        assertEquals(401, router.request("GET", "/v1/calls/" + id, null, null).statusCode(),
                "a call key opens no other door");

        final List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 3 * PostbackGuard.REFUSALS && !statuses.contains(429); i++) {
            statuses.add(router.request("POST", "/postback/" + id + "?key=guess" + i, null, null).statusCode());
        }
        assertTrue(statuses.contains(429), statuses::toString);
        assertTrue(statuses.indexOf(429) >= PostbackGuard.REFUSALS - 1, statuses::toString);
        final var throttled = router.request("POST", "/postback/" + id, "{\"key\": \"" + key + "\"}", null);
        assertEquals(429, throttled.statusCode(), "even the right key waits once the address guessed too often");
        assertTrue(throttled.headers().firstValue("Retry-After").isPresent());
        assertEquals(200, router.post("/v1/calls/" + id + "/conversion", "{\"key\": \"" + key + "\"}").statusCode(),
                "the admin route is not throttled");
        assertEquals(200, call.bye(WAIT).status());
    }

    @Test
    void aTotalCapIsShownAndResetThroughTheRunningRouter() {
        router = ServiceFixture.start(dir, routing(", caps: { total: 1 }"), "");
        first.behaviour(Behaviour.answer());
        second.behaviour(Behaviour.answer());
        assertEquals(200, answeredCall().bye(WAIT).status());
        assertEquals(1, first.inviteCount());
        final JsonNode used = total(json(router.get("/v1/caps/first")).path("handlers").get(0));
        assertEquals(1, used.path("used").asInt(), used::toString);
        assertEquals(0, used.path("remaining").asInt(), used::toString);
        assertEquals(200, answeredCall().bye(WAIT).status());
        assertEquals(1, second.inviteCount(), "the spent total cap sends the call on");

        assertEquals(400, router.post("/v1/caps/first/reset?window=concurrency", null).statusCode());
        assertEquals(404, router.post("/v1/caps/nobody/reset?window=total", null).statusCode());
        final JsonNode reset = json(router.post("/v1/caps/first/reset", "{\"window\": \"total\"}"));
        assertEquals("total", reset.path("reset").asText(), reset::toString);
        assertEquals(1, total(reset).path("remaining").asInt(), reset::toString);
        assertEquals(200, answeredCall().bye(WAIT).status());
        assertEquals(2, first.inviteCount(), "after the reset the handler takes calls again");
        final JsonNode all = json(router.get("/v1/caps"));
        assertEquals(2, all.path("handlers").size(), all::toString);
    }

    private static JsonNode total(JsonNode handler) {
        for (JsonNode cap : handler.path("caps")) {
            if (cap.path("cap").asText().equals("total")) {
                return cap;
            }
        }
        throw new AssertionError("no total cap in " + handler);
    }

    @Test
    void explainAsksTheRunningRouterSoItSeesLiveCalls() {
        router = ServiceFixture.start(dir, routing(", caps: { concurrency: 1 }"), "");
        first.behaviour(Behaviour.answer());
        final JsonNode idle = json(router.get("/v1/explain?number=18005550100"));
        assertEquals("first", idle.path("candidates").get(0).path("handler").asText(), idle::toString);
        final CarrierCall live = answeredCall();
        final JsonNode busy = json(router.get("/v1/explain?number=18005550100"));
        assertEquals("cap: concurrency", busy.path("skipped").get(0).path("reason").asText(), busy::toString);
        assertEquals(200, live.bye(WAIT).status());
    }
}
