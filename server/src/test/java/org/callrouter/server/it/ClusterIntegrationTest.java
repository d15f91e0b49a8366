package org.callrouter.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.callrouter.server.RouterServer;
import org.callrouter.server.cluster.ClusterStats;
import org.callrouter.server.records.CallEvents;
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
 * Routers sharing caps in one real Redis (issue 16, part 3): three routers give a handler
 * exactly its hourly cap and never more than its concurrency, counted at the handler; with
 * Redis stopped or killed, {@code reject} answers 503 and {@code local} routes on 1/N of each
 * cap; calls already up end normally either way.
 */
class ClusterIntegrationTest {

    private static final Duration WAIT = ClusterNodes.WAIT;
    private static final String DIALED = "18005550100";
    /** Mid-hour, ahead of now: the hourly window neither rolls over nor has ended under the test. */
    private static final Clock CLOCK = Clock.fixed(Instant.now().plus(1, ChronoUnit.DAYS)
            .truncatedTo(ChronoUnit.HOURS).plus(30, ChronoUnit.MINUTES), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private ClusterNodes nodes;

    @BeforeEach
    void nodes() {
        nodes = new ClusterNodes(dir, CLOCK, 61000, 61999);
    }

    private static String routing(String handlerUri, String policy) {
        return """
                sources:
                  - id: web
                handlers:
                  - { id: buyer, uri: "%s", timeout_seconds: 5, caps: { concurrency: 10, hourly: 50 } }
                campaigns:
                  - { id: sales, handlers: [buyer], on_shared_state_error: %s }
                numbers:
                  - { number: "+18005550100", campaign: sales, source: web }
                """.formatted(handlerUri, policy);
    }

    private RouterServer node(String id, String redisUri, int timeoutMs, String routing) {
        return nodes.start(id, redisUri, timeoutMs, routing, CallEvents.NONE);
    }

    private static String hostPort(RouterServer router) {
        return ClusterNodes.hostPort(router);
    }

    @Test
    void threeRoutersGiveTheHandlerExactlyItsHourlyCapAndNeverMoreThanItsConcurrency() {
        try (RedisServer redis = RedisServer.start();
             Handler handler = Handler.open(Ports.free(61000, 61999));
             Carrier carrier = Carrier.open(Ports.free(61000, 61999))) {
            handler.behaviour(Behaviour.answerThenHangUp(Duration.ofMillis(300)));
            final List<RouterServer> routers = new ArrayList<>();
            try {
                for (String id : List.of("r1", "r2", "r3")) {
                    routers.add(node(id, redis.uri(), 2000, routing(handler.uri(), "reject")));
                }
                awaitConnected(routers);
                int answered = 0;
                int offered = 0;
                // 200 calls in bursts of 24 offered to the three routers at once (8 each), each burst
                // answered in full before the next: at most 10 of a burst find a slot.
                while (offered < 200) {
                    final List<CarrierCall> burst = new ArrayList<>();
                    for (int i = 0; i < 24 && offered < 200; i++, offered++) {
                        burst.add(carrier.call(hostPort(routers.get(i % 3)), DIALED));
                    }
                    for (CarrierCall call : burst) {
                        final ReceivedResponse last = call.awaitFinal(WAIT);
                        if (last.status() == 200) {
                            answered++;
                            call.awaitBye(WAIT);
                        } else {
                            assertEquals(480, last.status(), last.toString());
                        }
                    }
                }
                assertEquals(50, handler.inviteCount(), "the hourly cap of 50, across three routers");
                assertEquals(50, answered);
                assertTrue(handler.peakLiveCalls() <= 10, "at most 10 at once at the handler, saw "
                        + handler.peakLiveCalls());
                for (RouterServer router : routers) {
                    assertEquals(0, router.sharedCaps().stats().errors(ClusterStats.Step.ACQUIRE)
                            + router.sharedCaps().stats().timeouts(ClusterStats.Step.ACQUIRE));
                }
            } finally {
                routers.forEach(RouterServer::close);
            }
        }
    }

    @Test
    void rejectAnswers503WhileRedisIsStoppedOrGoneAndCallsAlreadyUpEndNormally() {
        try (RedisServer redis = RedisServer.start();
             Handler handler = Handler.open(Ports.free(61000, 61999));
             Carrier carrier = Carrier.open(Ports.free(61000, 61999))) {
            try (RouterServer router = node("r1", redis.uri(), 300, routing(handler.uri(), "reject"))) {
                awaitConnected(List.of(router));
                final List<CarrierCall> up = List.of(carrier.call(hostPort(router), DIALED),
                        carrier.call(hostPort(router), DIALED));
                for (CarrierCall call : up) {
                    assertEquals(200, call.awaitFinal(WAIT).status());
                }

                redis.pause(); // no answer: each step times out
                final CarrierCall unanswered = carrier.call(hostPort(router), DIALED);
                final ReceivedResponse timedOut = unanswered.awaitFinal(WAIT);
                assertEquals(503, timedOut.status(), timedOut.toString());
                assertTrue(timedOut.header("Reason").contains("shared state unavailable: RedisCommandTimeoutException"),
                        timedOut.header("Reason"));
                redis.resume();

                redis.kill(); // gone: each step fails at once
                for (int i = 0; i < 5; i++) {
                    final ReceivedResponse refused = carrier.call(hostPort(router), DIALED).awaitFinal(WAIT);
                    assertEquals(503, refused.status(), refused.toString());
                    assertTrue(refused.header("Reason").contains("shared state unavailable"), refused.header("Reason"));
                }
                assertEquals(2, handler.inviteCount(), "no call reached the handler without a slot");

                for (CarrierCall call : up) {
                    assertEquals(200, call.bye(WAIT).status(), "a call already up ends normally");
                }
                handler.awaitRequests("BYE", 2, WAIT);
                final ClusterStats stats = router.sharedCaps().stats();
                assertTrue(stats.timeouts(ClusterStats.Step.ACQUIRE) >= 1, "the stopped Redis is counted as timeouts");
                assertTrue(stats.errors(ClusterStats.Step.ACQUIRE) >= 5, "the killed Redis is counted as errors");
                assertEquals(6, router.router().sharedStateRejections());
            }
        }
    }

    @Test
    void localRoutesOnAThirdOfEachCapWhileRedisIsGoneAndCallsAlreadyUpEndNormally() {
        try (RedisServer redis = RedisServer.start();
             Handler handler = Handler.open(Ports.free(61000, 61999));
             Carrier carrier = Carrier.open(Ports.free(61000, 61999))) {
            try (RouterServer router = node("r1", redis.uri(), 300, routing(handler.uri(), "local"))) {
                awaitConnected(List.of(router));
                final CarrierCall before = carrier.call(hostPort(router), DIALED);
                assertEquals(200, before.awaitFinal(WAIT).status());

                redis.kill();
                final List<CarrierCall> during = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    during.add(carrier.call(hostPort(router), DIALED));
                }
                final List<CarrierCall> up = new ArrayList<>();
                for (CarrierCall call : during) {
                    final ReceivedResponse last = call.awaitFinal(WAIT);
                    if (last.status() == 200) {
                        up.add(call);
                    } else {
                        assertEquals(480, last.status(), last.toString());
                    }
                }
                assertEquals(3, up.size(), "concurrency 10 over 3 nodes: 3 live calls on this node alone");
                assertEquals(5, router.router().sharedStateFallbacks());

                assertEquals(200, before.bye(WAIT).status(), "the call up before the outage ends normally");
                for (CarrierCall call : up) {
                    assertEquals(200, call.bye(WAIT).status());
                }
                handler.awaitRequests("BYE", 4, WAIT);
                final ReceivedResponse again = carrier.call(hostPort(router), DIALED).awaitFinal(WAIT);
                assertEquals(200, again.status(), "local slots given back at the end of their calls");
            }
        }
    }

    private static void awaitConnected(List<RouterServer> routers) {
        ClusterNodes.awaitConnected(routers);
    }
}
