package org.callrouter.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import org.callrouter.server.Await;
import org.callrouter.server.RouterServer;
import org.callrouter.server.callback.CallbackOutcome;
import org.callrouter.server.callback.CallbackRequest;
import org.callrouter.server.sipua.Behaviour;
import org.callrouter.server.sipua.Handler;
import org.callrouter.server.sipua.Ports;
import org.callrouter.server.sipua.ReceivedRequest;
import org.callrouter.server.sipua.SipUa;
import org.callrouter.server.sipua.TrunkPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SIP side of lost-call callbacks (issue 13) over real SIP on loopback: a router places a
 * callback through {@code CallbackDialer}; jain-sip-ri handlers (UAS) and a trunk peer that
 * demands Digest authentication ({@link TrunkPeer}, checking the hash itself) stand for the
 * handlers, the trunk and the customer. Ports 47600-47699.
 */
class CallbackDialIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String NUMBER = "+18005550100";
    private static final String CUSTOMER = "+12125550123";
    private static final String PASSWORD = "trunk-secret-0123";

    @TempDir
    Path dir;

    private Handler first;
    private Handler second;
    private TrunkPeer trunk;
    private ServiceFixture router;

    @BeforeEach
    void peers() {
        first = Handler.open("first", Ports.free(47600, 47699), SipUa.Transport.UDP);
        second = Handler.open("agent", Ports.free(47600, 47699), SipUa.Transport.UDP);
        trunk = TrunkPeer.open(Ports.free(47600, 47699), "acct-17", PASSWORD);
    }

    @AfterEach
    void close() {
        if (router != null) {
            router.close();
        }
        first.close();
        second.close();
        trunk.close();
    }

    private void start(int maxConcurrent) throws IOException {
        final Path password = dir.resolve("trunk.password");
        Files.writeString(password, PASSWORD + "\n");
        router = ServiceFixture.start(dir, 47600, 47699, """
                sources:
                  - id: web
                handlers:
                  - { id: first, uri: "%s", timeout_seconds: 1 }
                  - { id: agent, uri: "%s", priority: 2, timeout_seconds: 5, send_digits: "12" }
                campaigns:
                  - id: sales
                    handlers: [first, agent]
                numbers:
                  - { number: "%s", campaign: sales, source: web }
                trunks:
                  - { id: carrier, uri: "%s", username: acct-17, password_file: "%s", caller_id: "%s",
                      max_concurrent: %d, ring_timeout_seconds: 2 }
                """.formatted(first.uri(), second.uri(), NUMBER, trunk.uri(), password, NUMBER, maxConcurrent), "", "");
    }

    private RouterServer server() {
        return router.service().server();
    }

    private CompletableFuture<CallbackOutcome> dial(String callbackId, int attempt) {
        final CompletableFuture<CallbackOutcome> outcome = new CompletableFuture<>();
        server().callbackDialer().dial(new CallbackRequest(callbackId, "c-lost-1", attempt, "sales", NUMBER, CUSTOMER,
                "carrier", Map.of("utm_source", "facebook")), outcome::complete);
        return outcome;
    }

    private static CallbackOutcome await(CompletableFuture<CallbackOutcome> outcome) {
        try {
            return outcome.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError("no callback outcome", e);
        }
    }

    private JsonNode record(String callId) {
        final JsonNode[] found = new JsonNode[1];
        Await.until(WAIT, () -> {
            for (JsonNode call : ServiceFixture.json(router.get("/v1/calls?since=0&limit=100")).path("calls")) {
                if (callId.equals(call.path("id").asText())) {
                    found[0] = call;
                }
            }
            return found[0] != null;
        }, () -> "the record of " + callId);
        return found[0];
    }

    private void assertNothingLeft() {
        Await.until(WAIT, () -> server().workers().b2buaStats().activeCalls == 0, () -> "active calls "
                + server().workers().b2buaStats().activeCalls);
        assertEquals(0, server().workers().b2buaStats().pendingCalls, "pending calls");
        assertEquals(0, server().trunks().get("carrier").active(), "trunk places held");
        assertEquals(0, server().errors().total(), "internal errors");
    }

    private String metrics() {
        return router.get("/metrics").body();
    }

    @Test
    void handlerThenCustomerAfterASha256ChallengeAreJoinedAndTheCustomersByeEndsBoth() throws IOException {
        start(2);
        first.behaviour(Behaviour.ringForever());
        second.behaviour(Behaviour.ringThenAnswer(Duration.ofMillis(200)));
        trunk.customer().behaviour(Behaviour.ringThenAnswer(Duration.ofMillis(300)));

        final CallbackOutcome outcome = await(dial("cb-1", 2));
        assertEquals(CallbackOutcome.Result.CONNECTED, outcome.result(), outcome::toString);
        assertNotNull(outcome.callId());

        // Failover as for an inbound call: the first handler rang out its timeout and was cancelled.
        first.awaitRequest("CANCEL", WAIT);
        final ReceivedRequest agentInvite = second.awaitInvites(1, WAIT).get(0);
        assertEquals("", agentInvite.body(), "RFC 3725 flow I: the handler is invited without an offer");
        assertEquals(CUSTOMER.substring(1), agentInvite.fromUser().replace("+", ""), "the handler sees the customer");

        final List<ReceivedRequest> trunkInvites = trunk.customer().awaitInvites(2, WAIT);
        assertNull(trunkInvites.get(0).header("Authorization"), "the first INVITE goes without credentials");
        final ReceivedRequest authorized = trunkInvites.get(1);
        assertEquals(List.of("SHA-256"), trunk.accepted(), "SHA-256 is preferred over MD5 (RFC 8760)");
        assertTrue(trunk.refused().isEmpty(), () -> trunk.refused().toString());
        assertEquals(CUSTOMER, authorized.requestUser(), "the customer's number through the trunk");
        assertEquals(NUMBER, authorized.fromUser(), "the trunk's caller_id");
        assertEquals(trunkInvites.get(0).callId(), authorized.callId(), "the same call, authenticated");
        assertEquals(trunkInvites.get(0).cseq() + 1, authorized.cseq(), "RFC 3261 22.2: a new CSeq");
        assertTrue(authorized.body().contains("o=agent "), "the customer is offered the handler's SDP: "
                + authorized.body());

        final ReceivedRequest agentAck = second.awaitRequest("ACK", WAIT);
        assertTrue(agentAck.body().contains("o=customer "), "the handler's ACK carries the customer's answer: "
                + agentAck.body());
        assertEquals(2, second.awaitInfos(2, WAIT).size(), "send digits go to the handler after the join");

        assertEquals(200, trunk.customer().hangUp(authorized.callId(), WAIT).status());
        second.awaitRequest("BYE", WAIT);

        final JsonNode record = record(outcome.callId());
        assertEquals("completed", record.path("status").asText(), record::toString);
        assertEquals("c-lost-1", record.path("callback_of").asText());
        assertEquals("cb-1", record.path("callback_id").asText());
        assertEquals(2, record.path("callback_attempt").asInt());
        assertEquals(CUSTOMER, record.path("caller").asText());
        assertEquals(NUMBER, record.path("dialed").asText());
        assertEquals("sales", record.path("campaign").asText());
        assertEquals("agent", record.path("handler").asText());
        assertEquals("facebook", record.path("tags").path("utm_source").asText(), "the lost call's tags");
        assertEquals("no-answer", record.path("attempts").get(0).path("result").asText());
        assertEquals("answered", record.path("attempts").get(1).path("result").asText());
        assertEquals("customer hung up", record.path("reason").asText(), record::toString);
        assertNothingLeft();
        assertTrue(metrics().contains("trunk_calls_total{trunk=\"carrier\",} 1.0"), this::metrics);
    }

    @Test
    void md5OnlyProxyChallengeAndABusyCustomerReleaseTheWaitingHandler() throws IOException {
        start(2);
        trunk.offer("MD5").proxy();
        first.behaviour(Behaviour.answer());
        trunk.customer().behaviour(Behaviour.busy());

        final CallbackOutcome outcome = await(dial("cb-2", 1));
        assertEquals(CallbackOutcome.Result.CUSTOMER_BUSY, outcome.result(), outcome::toString);
        assertEquals(List.of("MD5"), trunk.accepted());
        assertNotNull(trunk.customer().awaitInvites(2, WAIT).get(1).header("Proxy-Authorization"));
        final ReceivedRequest ack = first.awaitRequest("ACK", WAIT);
        assertTrue(ack.body().contains("m=audio 0 "), "the handler's offer is refused in its ACK: " + ack.body());
        first.awaitRequest("BYE", WAIT);
        final JsonNode record = record(outcome.callId());
        assertEquals("busy", record.path("status").asText(), record::toString);
        assertEquals(486, record.path("sip_status").asInt(), record::toString);
        assertNothingLeft();
    }

    @Test
    void aTrunkAnswering403IsMarkedFailedAndNeverTriedAgain() throws IOException {
        start(2);
        trunk.forbidAll();
        assertFailsOnceThenAtOnce("403", 1, "forbidden");

        assertEquals(200, router.post("/v1/reload", null).statusCode());
        assertEquals(CallbackOutcome.Result.TRUNK_FAILED, await(dial("cb-3", 3)).result());
        assertEquals(2, trunk.customer().inviteCount(), "a reload clears the mark: the trunk is tried again");
        assertNothingLeft();
    }

    @Test
    void aTrunkThatChallengesOurCredentialsAgainIsMarkedFailed() throws IOException {
        start(2);
        trunk.neverSatisfied();
        assertFailsOnceThenAtOnce("challenged our credentials again", 2, "challenged_again");
        assertEquals(List.of("SHA-256"), trunk.accepted(), "the credentials were right; the trunk refused them");
    }

    /**
     * A try through a trunk that refuses us: {@code TRUNK_FAILED} after {@code invites} INVITEs
     * (no loop), the answered handler hung up; the next try fails at once, ringing nobody.
     */
    private void assertFailsOnceThenAtOnce(String why, int invites, String metricReason) {
        first.behaviour(Behaviour.answer());
        final CallbackOutcome outcome = await(dial("cb-3", 1));
        assertEquals(CallbackOutcome.Result.TRUNK_FAILED, outcome.result(), outcome::toString);
        assertTrue(outcome.reason().contains(why), outcome.reason());
        first.awaitRequest("BYE", WAIT);
        assertEquals(invites, trunk.customer().inviteCount(), "no retry");

        final CallbackOutcome again = await(dial("cb-3", 2));
        assertEquals(CallbackOutcome.Result.TRUNK_FAILED, again.result(), again::toString);
        assertNull(again.callId(), "refused before any call");
        assertTrue(again.reason().contains("marked failed"), again.reason());
        assertEquals(1, first.inviteCount(), "no handler is rung for a failed trunk");
        assertEquals(invites, trunk.customer().inviteCount());
        assertTrue(metrics().contains("trunk_failures_total{reason=\"" + metricReason + "\",trunk=\"carrier\",} 1.0"),
                this::metrics);
        assertNothingLeft();
    }

    @Test
    void maxConcurrentRefusesTheTryOverItAndACustomerWhoDoesNotAnswerIsCancelled() throws IOException {
        start(1);
        first.behaviour(Behaviour.answer());
        trunk.customer().behaviour(Behaviour.ringForever());

        final CompletableFuture<CallbackOutcome> ringing = dial("cb-5", 1);
        trunk.customer().awaitInvites(2, WAIT);
        final CallbackOutcome busy = await(dial("cb-6", 1));
        assertEquals(CallbackOutcome.Result.TRUNK_BUSY, busy.result(), busy::toString);
        assertTrue(busy.reason().startsWith("trunk busy"), busy.reason());
        assertEquals(1, first.inviteCount(), "the refused try rang nobody");

        final CallbackOutcome noAnswer = await(ringing);
        assertEquals(CallbackOutcome.Result.CUSTOMER_NO_ANSWER, noAnswer.result(), noAnswer::toString);
        trunk.customer().awaitRequest("CANCEL", WAIT);
        first.awaitRequest("BYE", WAIT);
        assertEquals("no-answer", record(noAnswer.callId()).path("status").asText());
        assertNothingLeft();

        trunk.customer().behaviour(Behaviour.answer());
        final CallbackOutcome next = await(dial("cb-6", 2));
        assertEquals(CallbackOutcome.Result.CONNECTED, next.result(), "the place was given back: " + next);
    }

    @Test
    void noHandlerAnsweringMeansTheTrunkIsNeverCalled() throws IOException {
        start(2);
        first.behaviour(Behaviour.busy());
        second.behaviour(Behaviour.busy());

        final CallbackOutcome outcome = await(dial("cb-7", 1));
        assertEquals(CallbackOutcome.Result.NO_HANDLER, outcome.result(), outcome::toString);
        assertEquals(0, trunk.customer().inviteCount());
        assertEquals("busy", record(outcome.callId()).path("status").asText());

        final CompletableFuture<CallbackOutcome> bad = new CompletableFuture<>();
        server().callbackDialer().dial(new CallbackRequest("cb-8", "c-lost-1", 1, "sales", NUMBER,
                "+1 212 555 0123\r\nX: y", "carrier", Map.of()), bad::complete);
        final CallbackOutcome refused = await(bad);
        assertEquals(CallbackOutcome.Result.FAILED, refused.result());
        assertTrue(refused.reason().contains("not E.164"), refused.reason());
        assertNothingLeft();
    }
}
