package org.callrouter.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.callrouter.routing.ConversionOutcome;
import org.callrouter.routing.ConversionOutcome.Status;
import org.callrouter.server.Await;
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
 * Repeat-caller memory and conversion dedupe shared by routers in one real Redis (issue 16,
 * part 3): a caller answered through one router is routed to the same handler by another, and
 * converts there no more within the dedupe window; with Redis gone, {@code reject} answers 503
 * when the repeat caller cannot be looked up, and {@code local} routes on this node's caller
 * index and still records the conversion.
 */
class ClusterCallersIntegrationTest {

    private static final Duration WAIT = ClusterNodes.WAIT;
    private static final String DIALED = "18005550100";
    /** Long enough for the 1 s timer conversion. */
    private static final Duration TALK = Duration.ofMillis(1300);

    @TempDir
    Path dir;

    private ClusterNodes nodes;

    @BeforeEach
    void nodes() {
        nodes = new ClusterNodes(dir, Clock.systemUTC(), 61000, 61499);
    }

    /**
     * {@code preferred} goes first unless the caller is a repeat caller of {@code backup}; the
     * source converts at selection, the handler side after 1 s of talk, each once a day per caller.
     */
    private static String routing(Handler preferred, Handler backup, String policy) {
        return """
                sources:
                  - id: web
                handlers:
                  - { id: preferred, uri: "%s", timeout_seconds: 5 }
                  - { id: backup, uri: "%s", timeout_seconds: 5, priority: 2 }
                campaigns:
                  - id: sales
                    handlers: [preferred, backup]
                    on_shared_state_error: %s
                    repeat_callers: { window: 1h, route: same_handler }
                    conversion:
                      source: { type: attempt, payout: 2, dedupe: 1d }
                      handler: { type: timer, seconds: 1, revenue: 5, dedupe: 1d }
                numbers:
                  - { number: "+18005550100", campaign: sales, source: web }
                """.formatted(preferred.uri(), backup.uri(), policy);
    }

    /** A call that is answered, talks {@link #TALK} and is hung up by its handler. */
    private static void talk(Carrier carrier, RouterServer router, String caller) {
        final CarrierCall call = carrier.call(ClusterNodes.hostPort(router), DIALED, caller, Map.of());
        final ReceivedResponse answer = call.awaitFinal(WAIT);
        assertEquals(200, answer.status(), answer.toString());
        call.awaitBye(WAIT);
    }

    /** The conversion of the router's {@code n}th call once its record has it. */
    private static ConversionOutcome conversion(RecordingEvents events, int n) {
        Await.until(WAIT, () -> events.conversions().size() >= n, () -> "no record of call " + n);
        return events.conversions().get(n - 1);
    }

    @Test
    void aCallerAnsweredThroughOneRouterGoesToTheSameHandlerThroughAnotherAndConvertsOnce() {
        try (RedisServer redis = RedisServer.start(62100, 62199);
             Handler preferred = Handler.open(Ports.free(61000, 61499));
             Handler backup = Handler.open(Ports.free(61000, 61499));
             Carrier carrier = Carrier.open(Ports.free(61000, 61499))) {
            preferred.behaviour(Behaviour.answerThenHangUp(TALK)).script(Behaviour.busy());
            backup.behaviour(Behaviour.answerThenHangUp(TALK));
            final RecordingEvents onA = new RecordingEvents();
            final RecordingEvents onB = new RecordingEvents();
            try (RouterServer a = nodes.start("a", redis.uri(), 2000, routing(preferred, backup, "reject"), onA);
                 RouterServer b = nodes.start("b", redis.uri(), 2000, routing(preferred, backup, "reject"), onB)) {
                ClusterNodes.awaitConnected(List.of(a, b));
                final String caller = Carrier.nextCallerNumber();

                talk(carrier, a, caller); // preferred is busy: backup answers
                assertEquals(1, backup.inviteCount());
                final ConversionOutcome first = conversion(onA, 1);
                assertEquals(Status.CONVERTED, first.source().status(), first.toString());
                assertEquals(Status.CONVERTED, first.handler().status(), first.toString());

                talk(carrier, b, caller); // preferred answers now, but the caller is backup's
                assertEquals(2, backup.inviteCount(), "router b routed the repeat caller to router a's handler");
                assertEquals(1, preferred.inviteCount());
                final ConversionOutcome again = conversion(onB, 1);
                assertEquals(Status.NOT_CONVERTED, again.source().status(), again.toString());
                assertTrue(again.source().reason().startsWith("dedupe: caller converted"), again.source().reason());
                assertEquals(Status.NOT_CONVERTED, again.handler().status(), again.toString());
                assertTrue(again.handler().reason().startsWith("dedupe: caller converted"), again.handler().reason());

                talk(carrier, b, Carrier.nextCallerNumber()); // another caller: no repeat, converts
                assertEquals(2, preferred.inviteCount());
                final ConversionOutcome other = conversion(onB, 2);
                assertEquals(Status.CONVERTED, other.source().status(), other.toString());
                assertEquals(Status.CONVERTED, other.handler().status(), other.toString());

                for (RouterServer router : List.of(a, b)) {
                    final ClusterStats stats = router.sharedCaps().stats();
                    for (ClusterStats.Step step : List.of(ClusterStats.Step.REPEAT, ClusterStats.Step.ANSWERED,
                            ClusterStats.Step.DEDUPE)) {
                        assertEquals(0, stats.errors(step) + stats.timeouts(step), step.label());
                    }
                    assertEquals(0, router.router().sharedDedupeFallbacks());
                }
            }
        }
    }

    @Test
    void rejectAnswers503WhenTheRepeatCallerCannotBeLookedUp() {
        try (RedisServer redis = RedisServer.start(62100, 62199);
             Handler preferred = Handler.open(Ports.free(61000, 61499));
             Handler backup = Handler.open(Ports.free(61000, 61499));
             Carrier carrier = Carrier.open(Ports.free(61000, 61499))) {
            preferred.behaviour(Behaviour.answerThenHangUp(TALK));
            backup.behaviour(Behaviour.answerThenHangUp(TALK));
            try (RouterServer router = nodes.start("a", redis.uri(), 300, routing(preferred, backup, "reject"),
                    new RecordingEvents())) {
                ClusterNodes.awaitConnected(List.of(router));
                redis.kill();
                final ReceivedResponse refused = carrier.call(ClusterNodes.hostPort(router), DIALED,
                        Carrier.nextCallerNumber(), Map.of()).awaitFinal(WAIT);
                assertEquals(503, refused.status(), refused.toString());
                assertTrue(refused.header("Reason").contains("shared state unavailable"), refused.header("Reason"));
                assertEquals(0, preferred.inviteCount() + backup.inviteCount());
                assertEquals(1, router.router().sharedStateRejections());
                assertEquals(1, router.sharedCaps().stats().errors(ClusterStats.Step.REPEAT));
            }
        }
    }

    @Test
    void localRoutesOnThisNodesIndexAndNeverLosesTheConversion() {
        try (RedisServer redis = RedisServer.start(62100, 62199);
             Handler preferred = Handler.open(Ports.free(61000, 61499));
             Handler backup = Handler.open(Ports.free(61000, 61499));
             Carrier carrier = Carrier.open(Ports.free(61000, 61499))) {
            preferred.behaviour(Behaviour.answerThenHangUp(TALK)).script(Behaviour.busy());
            backup.behaviour(Behaviour.answerThenHangUp(TALK));
            final RecordingEvents events = new RecordingEvents();
            try (RouterServer router = nodes.start("a", redis.uri(), 300, routing(preferred, backup, "local"),
                    events)) {
                ClusterNodes.awaitConnected(List.of(router));
                final String caller = Carrier.nextCallerNumber();
                talk(carrier, router, caller); // backup answers, remembered in Redis and on this node
                assertEquals(Status.CONVERTED, conversion(events, 1).source().status());

                redis.kill();
                talk(carrier, router, caller);
                assertEquals(2, backup.inviteCount(), "this node's index knew the caller's handler");
                assertEquals(1, router.router().sharedStateFallbacks());
                final ConversionOutcome during = conversion(events, 2);
                // Redis held the first conversion: this node's index alone lets the second through.
                assertEquals(Status.CONVERTED, during.source().status(), during.toString());
                assertEquals(Status.CONVERTED, during.handler().status(), during.toString());
                assertEquals(2, router.router().sharedDedupeFallbacks());
            }
        }
    }
}
