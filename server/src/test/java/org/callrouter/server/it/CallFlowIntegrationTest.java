package org.callrouter.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.callrouter.server.sipua.Behaviour;
import org.callrouter.server.sipua.Carrier;
import org.callrouter.server.sipua.CarrierCall;
import org.callrouter.server.sipua.Handler;
import org.callrouter.server.sipua.Peers;
import org.callrouter.server.sipua.Ports;
import org.callrouter.server.sipua.RawUdpPeer;
import org.callrouter.server.sipua.ReceivedRequest;
import org.callrouter.server.sipua.ReceivedResponse;
import org.callrouter.server.sipua.Sdp;
import org.callrouter.server.sipua.SipUa;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The call path of issue 4 end to end: a real router on loopback, jain-sip-ri user agents as
 * the carrier and the handlers.
 */
class CallFlowIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String NUMBER = "+18005550100";

    @TempDir
    Path dir;

    private Handler first;
    private Handler second;
    private Carrier carrier;
    private Peers peers;
    private RouterFixture router;

    @BeforeEach
    void peers() {
        peers = Peers.open(45000, 45999);
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

    /** Two handlers in priority order; {@code firstExtra} is added to the first handler's entry. */
    private String twoHandlers(String firstExtra) {
        return """
                sources:
                  - id: web
                handlers:
                  - { id: first, uri: "%s", timeout_seconds: 1 %s }
                  - { id: second, uri: "%s", priority: 2, timeout_seconds: 1 }
                campaigns:
                  - id: sales
                    handlers: [first, second]
                numbers:
                  - { number: "%s", campaign: sales, source: web }
                """.formatted(first.uri(), firstExtra, second.uri(), NUMBER);
    }

    private void startRouter(String routing) {
        router = RouterFixture.start(dir.resolve("data"), routing);
    }

    private void assertNoLiveCalls() {
        assertEquals(0, router.server().workers().b2buaStats().activeCalls, "active calls");
        assertEquals(0, router.server().workers().b2buaStats().pendingCalls, "pending calls");
        assertEquals(0, router.server().errors().total(), "internal errors");
    }

    @Test
    void answeredCallRelaysSdpAndHangsUpBothWays() {
        startRouter(twoHandlers(""));
        first.behaviour(Behaviour.answer());
        final CarrierCall call = carrier.call(router.hostPort(), "18005550100");
        final ReceivedResponse answer = call.awaitFinal(WAIT);
        assertEquals(200, answer.status());
        assertTrue(answer.body().contains("m=audio"), "the handler's SDP reaches the carrier");

        final ReceivedRequest invite = first.awaitInvites(1, WAIT).get(0);
        assertEquals(first.uri(), invite.requestUri());
        assertEquals(call.callerNumber(), invite.fromUser(), "the caller's number is kept");
        assertNotNull(invite.header("X-Call-Id"));
        assertNotNull(invite.header("X-Call-Key"));
        assertTrue(invite.body().contains("m=audio"), "the carrier's SDP reaches the handler");
        assertFalse(invite.callId().equals(call.callId()), "the B leg is a dialog of its own");
        assertEquals(0, second.inviteCount());

        assertEquals(200, call.bye(WAIT).status());
        first.awaitRequest("BYE", WAIT);
        assertNoLiveCalls();
    }

    @Test
    void handlerHangsUp() {
        startRouter(twoHandlers(""));
        first.behaviour(Behaviour.answerThenHangUp(Duration.ofMillis(200)));
        final CarrierCall call = carrier.call(router.hostPort(), "18005550100");
        assertEquals(200, call.awaitFinal(WAIT).status());
        call.awaitBye(WAIT);
        assertEquals(200, first.awaitResponse("BYE", WAIT).status());
        assertNoLiveCalls();
    }

    @Test
    void noAnswerFailsOverAfterTheRingTimeout() {
        startRouter(twoHandlers(""));
        first.behaviour(Behaviour.ringForever());
        second.behaviour(Behaviour.answer());
        final CarrierCall call = carrier.call(router.hostPort(), "18005550100");
        call.awaitStatus(180, WAIT);
        assertEquals(200, call.awaitFinal(WAIT).status());

        final ReceivedRequest firstInvite = first.awaitInvites(1, WAIT).get(0);
        final ReceivedRequest secondInvite = second.awaitInvites(1, WAIT).get(0);
        assertTrue(secondInvite.arrivalNs() - firstInvite.arrivalNs() >= Duration.ofMillis(950).toNanos(),
                "the second handler is tried only after the first one's 1 s ring timeout");
        first.awaitRequest("CANCEL", WAIT);
        call.bye(WAIT);
        second.awaitRequest("BYE", WAIT);
        assertNoLiveCalls();
    }

    @Test
    void busyFailsOverAtOnce() {
        startRouter(twoHandlers(""));
        first.behaviour(Behaviour.busy());
        second.behaviour(Behaviour.answer());
        final CarrierCall call = carrier.call(router.hostPort(), "18005550100");
        assertEquals(200, call.awaitFinal(WAIT).status());
        assertTrue(call.inviteResponses().stream().noneMatch(r -> r.status() == 486),
                "the busy answer is not relayed while another handler remains");
        call.bye(WAIT);
        assertNoLiveCalls();
    }

    @Test
    void allHandlersFailedGives480WithAReason() {
        startRouter(twoHandlers(""));
        first.behaviour(Behaviour.busy());
        second.behaviour(Behaviour.reject(503));
        final CarrierCall call = carrier.call(router.hostPort(), "18005550100");
        final ReceivedResponse answer = call.awaitFinal(WAIT);
        assertEquals(480, answer.status());
        assertTrue(answer.header("Reason").contains("cause=480"), answer.header("Reason"));
        assertNoLiveCalls();
    }

    @Test
    void globalFailureStopsTheSearch() {
        startRouter(twoHandlers(""));
        first.behaviour(Behaviour.reject(603));
        second.behaviour(Behaviour.answer());
        final CarrierCall call = carrier.call(router.hostPort(), "18005550100");
        assertEquals(603, call.awaitFinal(WAIT).status());
        assertEquals(0, second.inviteCount());
        assertNoLiveCalls();
    }

    @Test
    void carrierCancelsWhileRinging() {
        startRouter(twoHandlers(""));
        first.behaviour(Behaviour.ringForever());
        final CarrierCall call = carrier.call(router.hostPort(), "18005550100");
        call.awaitStatus(180, WAIT);
        call.cancel();
        assertEquals(487, call.awaitFinal(WAIT).status());
        first.awaitRequest("CANCEL", WAIT);
        assertEquals(0, second.inviteCount());
        assertNoLiveCalls();
    }

    @Test
    void earlyMediaIsRelayed() {
        startRouter(twoHandlers(""));
        first.behaviour(Behaviour.ringThenAnswer(Duration.ofMillis(200)).withEarlyMedia());
        final CarrierCall call = carrier.call(router.hostPort(), "18005550100");
        final ReceivedResponse early = call.awaitStatus(183, WAIT);
        assertTrue(early.body().contains("m=audio"));
        assertEquals(200, call.awaitFinal(WAIT).status());
        call.bye(WAIT);
        assertNoLiveCalls();
    }

    @Test
    void retransmittedInviteGetsOneHandlerLeg() {
        startRouter(twoHandlers(""));
        first.behaviour(Behaviour.ringThenAnswer(Duration.ofMillis(300)));
        final CarrierCall call = carrier.call(router.hostPort(), "18005550100");
        call.awaitStatus(180, WAIT);
        call.retransmitInvite();
        call.retransmitInvite();
        assertEquals(200, call.awaitFinal(WAIT).status());
        call.bye(WAIT);
        first.awaitRequest("BYE", WAIT);
        assertEquals(1, first.inviteCount());
        assertEquals(0, second.inviteCount());
        assertNoLiveCalls();
    }

    @Test
    void sendDigitsArriveAsInfoInOrderWithPauses() {
        startRouter(twoHandlers(", send_digits: \"1w23\""));
        first.behaviour(Behaviour.answer());
        final CarrierCall call = carrier.call(router.hostPort(), "18005550100");
        assertEquals(200, call.awaitFinal(WAIT).status());
        final List<ReceivedRequest> infos = first.awaitInfos(3, WAIT);
        assertEquals(List.of("1", "2", "3"), infos.stream().map(CallFlowIntegrationTest::signal).toList());
        for (ReceivedRequest info : infos) {
            assertEquals("application/dtmf-relay", info.header("Content-Type"));
            assertTrue(info.body().contains("Duration="), info.body());
        }
        assertTrue(infos.get(1).arrivalNs() - infos.get(0).arrivalNs() >= Duration.ofMillis(500).toNanos(),
                "w pauses half a second");
        call.bye(WAIT);
        assertNoLiveCalls();
    }

    @Test
    void reinviteAndInfoAreRelayedInTheDialog() {
        startRouter(twoHandlers(""));
        first.behaviour(Behaviour.answer());
        final CarrierCall call = carrier.call(router.hostPort(), "18005550100");
        assertEquals(200, call.awaitFinal(WAIT).status());
        assertEquals(200, call.reinvite(Sdp.audio("carrier", 2), WAIT).status());
        assertEquals(200, call.sendInfo("application/dtmf-relay", "Signal=5\r\nDuration=160\r\n", WAIT).status());
        final List<ReceivedRequest> seen = first.requests();
        assertTrue(seen.stream().anyMatch(r -> r.method().equals("INVITE") && r.inDialog()), "re-INVITE relayed");
        final ReceivedRequest info = first.awaitRequest("INFO", WAIT);
        assertTrue(info.body().contains("Signal=5"));
        call.bye(WAIT);
        assertNoLiveCalls();
    }

    @Test
    void concurrencyCapSendsTheSecondCallToTheNextHandler() {
        startRouter(twoHandlers(", caps: { concurrency: 1 }"));
        first.behaviour(Behaviour.answer());
        second.behaviour(Behaviour.answer());
        final CarrierCall one = carrier.call(router.hostPort(), "18005550100");
        assertEquals(200, one.awaitFinal(WAIT).status());
        final CarrierCall two = carrier.call(router.hostPort(), "18005550100");
        assertEquals(200, two.awaitFinal(WAIT).status());
        assertEquals(1, first.inviteCount());
        assertEquals(1, second.inviteCount());
        one.bye(WAIT);
        two.bye(WAIT);
        // The slot is free again once the first call ended.
        final CarrierCall three = carrier.call(router.hostPort(), "18005550100");
        assertEquals(200, three.awaitFinal(WAIT).status());
        assertEquals(2, first.inviteCount());
        three.bye(WAIT);
        assertNoLiveCalls();
    }

    @Test
    void unknownNumberGets404() {
        startRouter(twoHandlers(""));
        final CarrierCall call = carrier.call(router.hostPort(), "18005559999");
        assertEquals(404, call.awaitFinal(WAIT).status());
        assertEquals(0, first.inviteCount());
        assertNoLiveCalls();
    }

    @Test
    void maxForwardsZeroGets483AndUnsupportedRequireGets420() {
        startRouter(twoHandlers(""));
        assertEquals(483, carrier.call(router.hostPort(), "18005550100", Carrier.nextCallerNumber(),
                Map.of("Max-Forwards", "0")).awaitFinal(WAIT).status());
        final ReceivedResponse unsupported = carrier.call(router.hostPort(), "18005550100", Carrier.nextCallerNumber(),
                Map.of("Require", "frobnication")).awaitFinal(WAIT);
        assertEquals(420, unsupported.status());
        assertEquals("frobnication", unsupported.header("Unsupported"));
        assertEquals(0, first.inviteCount());
        assertNoLiveCalls();
    }

    @Test
    void untrustedSourceGets403() {
        router = RouterFixture.start(dir.resolve("data"), twoHandlers(""), "    trusted: [\"10.0.0.0/8\"]");
        assertEquals(403, carrier.call(router.hostPort(), "18005550100").awaitFinal(WAIT).status());
        assertEquals(0, first.inviteCount());
    }

    @Test
    void maximumCallDurationEndsBothLegs() {
        router = RouterFixture.start(dir.resolve("data"), twoHandlers(""), "    max_call_duration_seconds: 2");
        first.behaviour(Behaviour.answer());
        final CarrierCall call = carrier.call(router.hostPort(), "18005550100");
        assertEquals(200, call.awaitFinal(WAIT).status());
        call.awaitBye(WAIT);
        first.awaitRequest("BYE", WAIT);
        assertNoLiveCalls();
    }

    @Test
    void overloadRefusesNewInvitesWith503AndRetryAfter() {
        router = RouterFixture.start(dir.resolve("data"), twoHandlers(""),
                "    overload: { max_pending_invites: 1, retry_after_seconds: 7 }");
        first.behaviour(Behaviour.ringThenAnswer(Duration.ofMillis(500)));
        final CarrierCall ringing = carrier.call(router.hostPort(), "18005550100");
        ringing.awaitStatus(180, WAIT);
        final ReceivedResponse refused = carrier.call(router.hostPort(), "18005550100").awaitFinal(WAIT);
        assertEquals(503, refused.status());
        assertEquals("7", refused.header("Retry-After"));
        assertEquals(200, ringing.awaitFinal(WAIT).status());
        // In-dialog requests are still served while new calls are refused.
        assertEquals(200, ringing.bye(WAIT).status());
        assertNoLiveCalls();
    }

    @Test
    void optionsIsAnsweredAndOtherRequestsOutsideACallAreNot() throws Exception {
        startRouter(twoHandlers(""));
        try (RawUdpPeer peer = RawUdpPeer.open(Ports.free(45000, 45999))) {
            final InetSocketAddress to = new InetSocketAddress("127.0.0.1", router.port());
            peer.send(to, request(peer, "OPTIONS", null));
            final String options = peer.receive(WAIT).orElseThrow().text();
            assertTrue(options.startsWith("SIP/2.0 200"), options);
            assertTrue(options.contains("Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE"), options);

            peer.send(to, request(peer, "MESSAGE", null));
            final String message = peer.receive(WAIT).orElseThrow().text();
            assertTrue(message.startsWith("SIP/2.0 405"), message);
            assertTrue(message.contains("Allow: "), message);

            peer.send(to, request(peer, "BYE", "nosuchdialog"));
            final String bye = peer.receive(WAIT).orElseThrow().text();
            assertTrue(bye.startsWith("SIP/2.0 481"), bye);
        }
        assertNoLiveCalls();
    }

    private static String request(RawUdpPeer peer, String method, String toTag) {
        return method + " sip:router@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + peer.port() + ";branch=z9hG4bK" + method + System.nanoTime() + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:probe@127.0.0.1>;tag=p1\r\n"
                + "To: <sip:router@127.0.0.1>" + (toTag == null ? "" : ";tag=" + toTag) + "\r\n"
                + "Call-ID: " + method + System.nanoTime() + "@127.0.0.1\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    @Test
    void callOverTcp() {
        final Carrier tcpCarrier = Carrier.open("tcp-carrier", Ports.free(45000, 45999),
                SipUa.Transport.TCP);
        try {
            startRouter(twoHandlers(""));
            first.behaviour(Behaviour.answer());
            final CarrierCall call = tcpCarrier.call(SipUa.Transport.TCP, router.hostPort(),
                    "18005550100", Carrier.nextCallerNumber(), Map.of());
            assertEquals(200, call.awaitFinal(WAIT).status());
            assertEquals(200, call.bye(WAIT).status());
            first.awaitRequest("BYE", WAIT);
            assertNoLiveCalls();
        } finally {
            tcpCarrier.close();
        }
    }

    private static String signal(ReceivedRequest info) {
        for (String line : info.body().split("\r\n")) {
            if (line.startsWith("Signal=")) {
                return line.substring("Signal=".length()).trim();
            }
        }
        return null;
    }
}
