package org.callrouter.server.admin;

import static org.callrouter.server.admin.ServiceFixture.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.callrouter.server.Await;
import org.callrouter.server.metrics.PrometheusText;
import org.callrouter.server.sipua.Behaviour;
import org.callrouter.server.sipua.CarrierCall;
import org.callrouter.server.sipua.Handler;
import org.callrouter.server.sipua.Peers;
import org.callrouter.server.sipua.Ports;
import org.callrouter.server.sipua.ReceivedRequest;
import org.callrouter.server.webhook.HookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Callbacks of lost calls end to end over real SIP on loopback (issue 13, part 1): a jain-sip-ri
 * carrier whose call nobody answers, a handler that answers the callback, and the customer
 * behind a trunk (a jain-sip-ri UAS); the callback joins them, its record and webhooks say so.
 * Intervals are seconds. Ports 47800-47899.
 */
class CallbackIntegrationTest {

    private static final String NUMBER = "+18005550100";
    private static final Duration CALLBACK_WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private Peers peers;
    private Handler customer;
    private HookReceiver hooks;
    private ServiceFixture router;

    @BeforeEach
    void peers() {
        peers = Peers.open(47800, 47899);
        customer = Handler.open(Ports.free(47800, 47899));
        hooks = HookReceiver.start(47800, 47899);
    }

    @AfterEach
    void close() {
        if (router != null) {
            router.close();
        }
        hooks.close();
        customer.close();
        peers.close();
    }

    private void start(String callback) {
        router = ServiceFixture.start(dir, 47800, 47899, """
                sources: [ { id: web } ]
                handlers:
                  - { id: first, uri: "%s", timeout_seconds: 1 }
                campaigns:
                  - id: sales
                    handlers: [first]
                    callback: %s
                    webhooks:
                      - on: [callback_scheduled, callback_attempt, callback_connected, callback_gave_up]
                        url: "%s/hook?event=[event]&callback=[callback_id]&attempt=[attempt]"
                numbers:
                  - { number: "%s", campaign: sales, source: web }
                trunks:
                  - { id: out, uri: "sip:127.0.0.1:%d", caller_id: "+18005550199", ring_timeout_seconds: 1 }
                """.formatted(peers.first().uri(), callback, hooks.base(), NUMBER, customer.port()), "", "");
    }

    /** A call nobody answers: the carrier gets its failure and the record is written. */
    private CarrierCall lostCall() {
        peers.first().script(Behaviour.ringForever());
        final CarrierCall call = peers.carrier().call(router.sipHostPort(), NUMBER);
        assertEquals(480, call.awaitFinal(WAIT).status());
        return call;
    }

    private JsonNode awaitCallback(String state) {
        final List<JsonNode> seen = new ArrayList<>();
        Await.until(CALLBACK_WAIT, () -> {
            seen.clear();
            ServiceFixture.json(router.get("/v1/callbacks")).path("callbacks").forEach(seen::add);
            return seen.size() == 1 && seen.get(0).path("state").asText().equals(state);
        }, () -> "one callback " + state + "; found " + seen);
        return seen.get(0);
    }

    /** A callback's webhook events in the order a callback goes through them. */
    private static final List<String> LIFECYCLE = List.of("callback_scheduled", "callback_attempt",
            "callback_connected", "callback_gave_up", "callback_cancelled");

    /**
     * The first {@code count} webhook requests as "event attempt", in the order the callback went
     * through them (by try, then by step): the requests are delivered concurrently, so two close
     * together (a try placed, then connected) may arrive the other way round.
     */
    private List<String> hookEvents(int count) {
        return hooks.await(count, r -> true, CALLBACK_WAIT).stream()
                .map(r -> r.uri().replaceAll(".*event=([a-z_]+).*attempt=([0-9]+).*", "$1 $2"))
                .sorted(Comparator.comparingInt((String e) -> Integer.parseInt(e.substring(e.indexOf(' ') + 1)))
                        .thenComparingInt(e -> LIFECYCLE.indexOf(e.substring(0, e.indexOf(' ')))))
                .toList();
    }

    @Test
    void aNoAnswerCallIsCalledBackHandlerFirstThenTheCustomerJoinedWithRecordAndWebhooks() {
        start("{ enabled: true, intervals: [1s], trunk: out }");
        peers.first().behaviour(Behaviour.answer());
        final CarrierCall lost = lostCall();
        final JsonNode connected = awaitCallback("connected");
        assertEquals(lost.callerNumber(), connected.path("customer").asText());
        assertEquals(NUMBER, connected.path("dialed").asText());
        assertEquals("no-answer", connected.path("trigger").asText());
        assertEquals(1, connected.path("tries").asInt());

        // Third-party call control: the handler is called first, without an offer; its offer goes to the customer.
        final List<ReceivedRequest> handlerInvites = peers.first().awaitInvites(2, WAIT);
        final ReceivedRequest toHandler = handlerInvites.get(1);
        assertEquals("", toHandler.body(), "flow I: the handler's INVITE has no SDP");
        final ReceivedRequest toCustomer = customer.awaitInvites(1, WAIT).get(0);
        assertEquals(lost.callerNumber().substring(1), toCustomer.requestUser().replace("+", ""));
        assertTrue(toCustomer.body().contains("m=audio"), toCustomer::body);
        final ReceivedRequest ack = peers.first().awaitRequest("ACK", WAIT);
        assertTrue(ack.body().contains("m=audio"), "the customer's answer goes to the handler in the ACK");

        // The customer hangs up: both legs end and the try's record links to the lost call.
        customer.hangUp(toCustomer.callId(), WAIT);
        peers.first().awaitRequest("BYE", WAIT);
        final List<JsonNode> calls = router.awaitCalls(2);
        final JsonNode lostRecord = ServiceFixture.byCaller(calls, lost.callerNumber());
        final JsonNode tryRecord = calls.stream().filter(c -> c.has("callback_of")).findFirst().orElseThrow();
        assertEquals(lostRecord.path("id").asText(), tryRecord.path("callback_of").asText());
        assertEquals(connected.path("id").asText(), tryRecord.path("callback_id").asText());
        assertEquals(1, tryRecord.path("callback_attempt").asInt());
        assertEquals("completed", tryRecord.path("status").asText());
        assertEquals(tryRecord.path("id").asText(), connected.path("last_call_id").asText());

        assertEquals(List.of("callback_scheduled 0", "callback_attempt 1", "callback_connected 1"), hookEvents(3));
        final String metrics = router.get("/metrics").body();
        assertTrue(metrics.contains("callbacks_scheduled_total{campaign=\"sales\",} 1.0"), metrics);
        assertTrue(metrics.contains("callbacks_connected_total{campaign=\"sales\",} 1.0"), metrics);
    }

    @Test
    void aCustomerWhoDoesNotAnswerTwiceIsCalledAgainAndAnswersTheThirdTime() {
        start("{ enabled: true, attempts: 3, intervals: [1s, 1s], trunk: out }");
        peers.first().behaviour(Behaviour.answer());
        customer.script(Behaviour.reject(480), Behaviour.ringForever()).behaviour(Behaviour.answer());
        lostCall();
        final JsonNode connected = awaitCallback("connected");
        assertEquals(3, connected.path("tries").asInt());
        assertEquals(3, customer.invites().size());
        assertEquals(List.of("callback_scheduled 0", "callback_attempt 1", "callback_attempt 2", "callback_attempt 3",
                "callback_connected 3"), hookEvents(5));
    }

    @Test
    void givesUpAfterTheThirdTry() {
        start("{ enabled: true, attempts: 3, intervals: [1s], trunk: out }");
        peers.first().behaviour(Behaviour.answer());
        customer.behaviour(Behaviour.busy());
        lostCall();
        final JsonNode gaveUp = awaitCallback("gave-up");
        assertEquals(3, gaveUp.path("tries").asInt());
        assertTrue(gaveUp.path("reason").asText().startsWith("gave up after 3 tries; last: customer-busy"),
                gaveUp::toString);
        assertEquals(3, customer.invites().size());
        assertEquals("callback_gave_up 3", hookEvents(5).get(4));
    }

    @Test
    void aPendingCallbackIsCancelledWhenTheCallerCallsAgainAndIsAnswered() {
        start("{ enabled: true, intervals: [1h], trunk: out }");
        final CarrierCall lost = lostCall();
        assertEquals("pending", awaitCallback("pending").path("state").asText());
        peers.first().behaviour(Behaviour.answer());
        final CarrierCall again = peers.carrier().call(router.sipHostPort(), NUMBER, lost.callerNumber(), Map.of());
        assertEquals(200, again.awaitFinal(WAIT).status());
        final JsonNode cancelled = awaitCallback("cancelled");
        assertTrue(cancelled.path("reason").asText().startsWith("the caller called again and was answered"),
                cancelled::toString);
        assertEquals(200, again.bye(WAIT).status());
        assertEquals(0, customer.invites().size());
    }

    @Test
    void anOperatorCancelsThroughTheApiAndAFinishedCallbackCannotBeCancelled() {
        start("{ enabled: true, intervals: [1h], trunk: out }");
        lostCall();
        final String id = awaitCallback("pending").path("id").asText();
        assertEquals(404, router.request("DELETE", "/v1/callbacks/cb-nope", null, "Bearer " + ServiceFixture.TOKEN)
                .statusCode());
        assertEquals(200, router.request("DELETE", "/v1/callbacks/" + id, null, "Bearer " + ServiceFixture.TOKEN)
                .statusCode());
        assertEquals("cancelled", awaitCallback("cancelled").path("state").asText());
        assertEquals(409, router.request("DELETE", "/v1/callbacks/" + id, null, "Bearer " + ServiceFixture.TOKEN)
                .statusCode());
    }

    @Test
    void aSpamMarkOfTheLostCallCancelsItsPendingCallback() {
        start("{ enabled: true, intervals: [1h], trunk: out }");
        lostCall();
        final JsonNode pending = awaitCallback("pending");
        final var marked = router.post("/v1/calls/" + pending.path("lost_call_id").asText() + "/spam",
                "{\"reason\": \"spam\"}");
        assertEquals(200, marked.statusCode(), marked::body);
        final JsonNode cancelled = awaitCallback("cancelled");
        assertEquals("spam", cancelled.path("reason").asText(), cancelled::toString);
        final Map<String, Double> m = PrometheusText.samples(router.get("/metrics").body());
        assertEquals(1.0, m.get("callbacks_cancelled_total{campaign=\"sales\"}"), m::toString);
        assertEquals(0, customer.invites().size());
    }
}
