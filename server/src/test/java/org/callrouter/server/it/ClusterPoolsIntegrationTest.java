package org.callrouter.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.callrouter.server.RouterServer;
import org.callrouter.server.cluster.ClusterStats;
import org.callrouter.server.sipua.Behaviour;
import org.callrouter.server.sipua.Carrier;
import org.callrouter.server.sipua.CarrierCall;
import org.callrouter.server.sipua.Handler;
import org.callrouter.server.sipua.Ports;
import org.callrouter.server.sipua.ReceivedResponse;
import org.callrouter.server.testsupport.RedisServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two routers, each with its tracking listener, sharing one pool's leases and sessions in one
 * real Redis (issue 16 part 3): visitors of both never share a number, a call through one router
 * to the number the other gave carries that visitor's tags, and with Redis gone the tracking
 * endpoint answers 503 and calls follow their campaign's {@code on_shared_state_error}.
 */
class ClusterPoolsIntegrationTest {

    private static final Duration WAIT = ClusterNodes.WAIT;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SALES = "+1800555030";
    private static final String SUPPORT = "+1800555040";
    private static final String SERVICE = "+1800555050";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();

    private ClusterNodes nodes;

    @BeforeEach
    void nodes() {
        nodes = new ClusterNodes(dir, Clock.systemUTC(), 61500, 61999);
    }

    private RouterServer node(String id, String redisUri, String routing, RecordingEvents events) {
        return nodes.startWithTracking(id, redisUri, 500, routing, events);
    }

    private static String pools(String handlerUri) {
        return """
                sources:
                  - id: web
                  - id: google_ads
                handlers:
                  - { id: office, uri: "%s", timeout_seconds: 5 }
                campaigns:
                  - id: sales
                    handlers: [office]
                    on_shared_state_error: reject
                    pools:
                      - id: sales-web
                        numbers: ["%s0", "%s1", "%s2", "%s3", "%s4", "%s5"]
                        source: web
                        allowed_origins: ["*"]
                        source_rule: { google: google_ads }
                  - id: support
                    handlers: [office]
                    on_shared_state_error: local
                    pools:
                      - id: support-web
                        numbers: ["%s0", "%s1"]
                        source: web
                        allowed_origins: ["*"]
                """.formatted(handlerUri, SALES, SALES, SALES, SALES, SALES, SALES, SUPPORT, SUPPORT);
    }

    /** A pool of a campaign whose repeat callers go to their last handler: {@code preferred} first otherwise. */
    private static String repeatCallerPool(Handler preferred, Handler backup) {
        return """
                sources:
                  - id: web
                  - id: google_ads
                handlers:
                  - { id: preferred, uri: "%s", timeout_seconds: 5 }
                  - { id: backup, uri: "%s", timeout_seconds: 5, priority: 2 }
                campaigns:
                  - id: service
                    handlers: [preferred, backup]
                    on_shared_state_error: reject
                    repeat_callers: { window: 1h, route: same_handler }
                    pools:
                      - id: service-web
                        numbers: ["%s0", "%s1"]
                        source: web
                        allowed_origins: ["*"]
                        source_rule: { google: google_ads }
                """.formatted(preferred.uri(), backup.uri(), SERVICE, SERVICE);
    }

    private HttpResponse<String> create(RouterServer router, String pool, String body) {
        final HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + router.tracking().address().getPort() + "/v1/pools/" + pool + "/sessions"))
                .timeout(WAIT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String dialed(JsonNode session) {
        return session.get("number").asText().substring(1);
    }

    @Test
    void visitorsOfTwoRoutersNeverShareANumberAndACallThroughEitherFindsItsVisitor() {
        try (RedisServer redis = RedisServer.start(62300, 62399);
             Handler handler = Handler.open(Ports.free(61500, 61999));
             Carrier carrier = Carrier.open(Ports.free(61500, 61999))) {
            handler.behaviour(Behaviour.answerThenHangUp(Duration.ofMillis(200)));
            final RecordingEvents eventsA = new RecordingEvents();
            final RecordingEvents eventsB = new RecordingEvents();
            try (RouterServer a = node("a", redis.uri(), pools(handler.uri()), eventsA);
                 RouterServer b = node("b", redis.uri(), pools(handler.uri()), eventsB)) {
                ClusterNodes.awaitConnected(List.of(a, b));
                final JsonNode visitor = json(create(a, "sales-web", """
                        {"page_url": "https://shop.example/solar", "utm_source": "Google", "gclid": "Cj0-abc"}"""));
                final Set<String> numbers = new HashSet<>();
                numbers.add(visitor.get("number").asText());
                for (int i = 0; i < 5; i++) {
                    final HttpResponse<String> other = create(i % 2 == 0 ? b : a, "sales-web", "{}");
                    assertEquals(200, other.statusCode(), other.body());
                    assertTrue(numbers.add(json(other).get("number").asText()), "a number given twice: " + numbers);
                }
                final HttpResponse<String> none = create(b, "sales-web", "{}");
                assertEquals(503, none.statusCode(), "six numbers, six live sessions across both routers");
                assertEquals("no number available", json(none).get("error").asText());

                final ReceivedResponse answered = carrier.call(ClusterNodes.hostPort(b), dialed(visitor)).awaitFinal(WAIT);
                assertEquals(200, answered.status(), answered.toString());
                final Map<String, String> tags = eventsB.received().get(0).tags();
                assertEquals("Google", tags.get("utm_source"), tags.toString());
                assertEquals("Cj0-abc", tags.get("gclid"));
                assertEquals("https://shop.example/solar", tags.get("landing_page"));
                assertEquals(visitor.get("session").asText(), tags.get("visitor_session"));
                assertEquals(0, b.sharedCaps().stats().errors(ClusterStats.Step.POOL_LOOKUP));
                assertTrue(eventsA.received().isEmpty(), "the call went through router b only");
            }
        }
    }

    @Test
    void aPoolCallOfARepeatCallerFindsItsVisitorAndItsLastHandlerThroughAnotherRouter() {
        try (RedisServer redis = RedisServer.start(62300, 62399);
             Handler preferred = Handler.open(Ports.free(61500, 61999));
             Handler backup = Handler.open(Ports.free(61500, 61999));
             Carrier carrier = Carrier.open(Ports.free(61500, 61999))) {
            preferred.behaviour(Behaviour.answerThenHangUp(Duration.ofMillis(200))).script(Behaviour.busy());
            backup.behaviour(Behaviour.answerThenHangUp(Duration.ofMillis(200)));
            final RecordingEvents eventsA = new RecordingEvents();
            final RecordingEvents eventsB = new RecordingEvents();
            try (RouterServer a = node("a", redis.uri(), repeatCallerPool(preferred, backup), eventsA);
                 RouterServer b = node("b", redis.uri(), repeatCallerPool(preferred, backup), eventsB)) {
                ClusterNodes.awaitConnected(List.of(a, b));
                final JsonNode visitor = json(create(a, "service-web", """
                        {"page_url": "https://help.example/boiler", "utm_source": "Google", "gclid": "Cj0-rep"}"""));
                final String caller = Carrier.nextCallerNumber();

                talk(carrier, a, dialed(visitor), caller); // preferred is busy: backup answers
                assertEquals(1, backup.inviteCount());

                talk(carrier, b, dialed(visitor), caller); // preferred answers now, but the caller is backup's
                assertEquals(2, backup.inviteCount(), "router b routed the repeat caller to router a's handler");
                assertEquals(1, preferred.inviteCount());
                final Map<String, String> tags = eventsB.received().get(0).tags();
                assertEquals("Google", tags.get("utm_source"), tags.toString());
                assertEquals("Cj0-rep", tags.get("gclid"));
                assertEquals(visitor.get("session").asText(), tags.get("visitor_session"));
                final ClusterStats stats = b.sharedCaps().stats();
                for (ClusterStats.Step step : List.of(ClusterStats.Step.POOL_LOOKUP, ClusterStats.Step.REPEAT)) {
                    assertEquals(0, stats.errors(step) + stats.timeouts(step), step.label());
                }
            }
        }
    }

    /** A call from {@code caller} that is answered and hung up by its handler. */
    private static void talk(Carrier carrier, RouterServer router, String dialed, String caller) {
        final CarrierCall call = carrier.call(ClusterNodes.hostPort(router), dialed, caller, Map.of());
        final ReceivedResponse answer = call.awaitFinal(WAIT);
        assertEquals(200, answer.status(), answer.toString());
        call.awaitBye(WAIT);
    }

    @Test
    void withRedisGoneTheEndpointAnswers503AndCallsFollowTheirCampaignsPolicy() {
        try (RedisServer redis = RedisServer.start(62300, 62399);
             Handler handler = Handler.open(Ports.free(61500, 61999));
             Carrier carrier = Carrier.open(Ports.free(61500, 61999))) {
            handler.behaviour(Behaviour.answerThenHangUp(Duration.ofMillis(200)));
            final RecordingEvents events = new RecordingEvents();
            try (RouterServer router = node("a", redis.uri(), pools(handler.uri()), events)) {
                ClusterNodes.awaitConnected(List.of(router));
                redis.kill();

                final HttpResponse<String> refused = create(router, "sales-web", "{\"utm_source\": \"bing\"}");
                assertEquals(503, refused.statusCode());
                assertTrue(json(refused).get("error").asText().contains("shared state unavailable"), refused.body());

                final ReceivedResponse rejected = carrier.call(ClusterNodes.hostPort(router), SALES.substring(1) + "0").awaitFinal(WAIT);
                assertEquals(503, rejected.status(), "sales: on_shared_state_error reject");
                assertTrue(rejected.header("Reason").contains("shared state unavailable"), rejected.header("Reason"));

                final ReceivedResponse local = carrier.call(ClusterNodes.hostPort(router), SUPPORT.substring(1) + "0").awaitFinal(WAIT);
                assertEquals(200, local.status(), "support: on_shared_state_error local");
                assertEquals(2, events.received().size(), "the refused call is recorded too, unrouted");
                final Map<String, String> tags = events.received().get(1).tags();
                assertEquals("true", tags.get("pool_attribution_unavailable"), tags.toString());
                assertEquals("support-web", tags.get("pool"));
                assertFalse(tags.containsKey("visitor_session"));
                assertEquals(1, router.router().poolAttributionFallbacks());
                assertEquals(1, router.router().sharedStateRejections());
                assertEquals(1, handler.inviteCount(), "only the local-policy call reached the handler");
            }
        }
    }
}
