package org.callrouter.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.callrouter.server.Await;
import org.callrouter.server.sipua.Behaviour;
import org.callrouter.server.sipua.Carrier;
import org.callrouter.server.sipua.CarrierCall;
import org.callrouter.server.sipua.Handler;
import org.callrouter.server.sipua.Ports;
import org.callrouter.server.sipua.ReceivedResponse;
import org.callrouter.server.sipua.SipUa;
import org.callrouter.server.sipua.Sipp;
import org.callrouter.server.sipua.SippResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The carrier interop matrix's early-media rows (issue 15 item 3) with real SIP on loopback:
 * 183 with SDP relayed, failover after a first handler's early media, and a handler behind a
 * forking proxy (SIPp, {@code sipp/handler_forking.xml}) whose early dialogs collapse into the
 * carrier's one dialog. Ports 48400-48499.
 */
class EarlyMediaIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String NUMBER = "18005550100";

    @TempDir
    Path dir;

    private static String routing(String... handlerUris) {
        final StringBuilder handlers = new StringBuilder();
        final StringBuilder ids = new StringBuilder();
        for (int i = 0; i < handlerUris.length; i++) {
            handlers.append("  - { id: h").append(i + 1).append(", uri: \"").append(handlerUris[i])
                    .append("\", priority: ").append(i + 1).append(", timeout_seconds: 5 }\n");
            ids.append(i == 0 ? "" : ", ").append('h').append(i + 1);
        }
        return """
                sources:
                  - id: trunk
                handlers:
                %scampaigns:
                  - { id: sales, handlers: [%s] }
                numbers:
                  - { number: "+%s", campaign: sales, source: trunk }
                """.formatted(handlers, ids, NUMBER);
    }

    /**
     * The first handler plays early media, then refuses; the second answers. The carrier sees one
     * dialog (every answer to its INVITE has the same To tag) whose 183 carries the first
     * handler's SDP and whose 200 carries the second's: with unreliable provisionals the 2xx's
     * SDP is the answer (RFC 3261 13.2.1), so the carrier's media follows the second handler.
     */
    @Test
    void failoverAfterEarlyMediaAnswersWithTheSecondHandlersSdp() {
        try (Handler first = Handler.open("first", Ports.free(48400, 48499), SipUa.Transport.UDP);
             Handler second = Handler.open("second", Ports.free(48400, 48499), SipUa.Transport.UDP);
             Carrier carrier = Carrier.open(Ports.free(48400, 48499));
             RouterFixture router = RouterFixture.start(dir.resolve("data"), routing(first.uri(), second.uri()))) {
            first.behaviour(Behaviour.ringThenReject(Duration.ofMillis(300), 486).withEarlyMedia());
            second.behaviour(Behaviour.answer());
            final CarrierCall call = carrier.call(router.hostPort(), NUMBER);
            final ReceivedResponse early = call.awaitStatus(183, WAIT);
            assertTrue(early.body().contains("o=first "), early.body());
            final ReceivedResponse answer = call.awaitFinal(WAIT);
            assertEquals(200, answer.status());
            assertTrue(answer.body().contains("o=second "), answer.body());
            assertOneDialog(call.inviteResponses());
            call.bye(WAIT);
            second.awaitRequest("BYE", WAIT);
            assertEquals(1, first.inviteCount());
            assertNoLiveCalls(router);
        }
    }

    /**
     * A handler's proxy forks: two early dialogs with their own SDP, then both answer. The carrier
     * sees one early dialog and one answer (the first fork's to answer); the router acknowledges the
     * other fork's 2xx and ends its dialog with BYE (RFC 3261 13.2.2.4), which the scenario checks
     * by To tag; then the handler hangs up the kept fork and the carrier gets that BYE.
     */
    @Test
    void forkedEarlyDialogsCollapseIntoTheCarriersDialogAndALateForkIsEnded() {
        Sipp.requireInstalled();
        try (Sipp handler = Sipp.scenario("handler_forking.xml").ports(48400, 48499).calls(1).start();
             Carrier carrier = Carrier.open(Ports.free(48400, 48499));
             RouterFixture router = RouterFixture.start(dir.resolve("data"), routing("sip:" + handler.hostPort()))) {
            final CarrierCall call = carrier.call(router.hostPort(), NUMBER);
            final ReceivedResponse answer = call.awaitFinal(WAIT);
            assertEquals(200, answer.status());
            assertTrue(answer.body().contains("o=fork-b "), answer.body());
            // Both 183s come in the carrier's one early dialog (jain-sip flags the second as a copy).
            final List<ReceivedResponse> early = call.inviteResponses().stream()
                    .filter(r -> r.status() == 183).toList();
            assertEquals(2, early.size(), () -> "one 183 per fork: " + call.inviteResponses());
            assertTrue(early.get(0).body().contains("o=fork-a "), early.get(0).body());
            assertTrue(early.get(1).body().contains("o=fork-b "), early.get(1).body());
            assertOneDialog(call.inviteResponses());
            // The scenario hangs up the kept fork once the late one was acknowledged and ended.
            call.awaitBye(WAIT);
            final SippResult result = handler.awaitExit();
            assertEquals(1, result.successfulCalls(), result::toString);
            assertNoLiveCalls(router);
        }
    }

    private static void assertOneDialog(List<ReceivedResponse> responses) {
        final String tag = responses.stream().filter(r -> r.status() > 100).findFirst()
                .map(ReceivedResponse::toTag).orElse(null);
        assertNotNull(tag, () -> "no To tag in " + responses);
        for (ReceivedResponse r : responses) {
            if (r.status() > 100) {
                assertEquals(tag, r.toTag(), () -> "one dialog towards the carrier: " + responses);
            }
        }
    }

    private static void assertNoLiveCalls(RouterFixture router) {
        Await.until(WAIT, () -> router.server().workers().b2buaStats().activeCalls == 0, () -> "live calls");
        assertEquals(0, router.server().workers().b2buaStats().pendingCalls, "pending calls");
        assertEquals(0, router.server().errors().total(), "internal errors");
    }
}
