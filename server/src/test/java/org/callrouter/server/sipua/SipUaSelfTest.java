package org.callrouter.server.sipua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The test peers against each other, no router in between: a {@link Carrier} calls a
 * {@link Handler} directly on loopback (ports 46000-46499).
 */
class SipUaSelfTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String DIALED = "18005550100";

    private Carrier carrier;
    private Handler handler;

    private void open(SipUa.Transport... transports) {
        SipUa.Transport first = transports.length == 0 ? SipUa.Transport.UDP : transports[0];
        SipUa.Transport[] more = transports.length <= 1 ? new SipUa.Transport[0]
                : Arrays.copyOfRange(transports, 1, transports.length);
        handler = Handler.open("handler", Ports.free(46000, 46499), first, more);
        carrier = Carrier.open("carrier", Ports.free(46000, 46499), first, more);
    }

    @AfterEach
    void close() {
        List<String> errors = carrier == null ? List.of() : carrier.errors();
        List<String> handlerErrors = handler == null ? List.of() : handler.errors();
        if (carrier != null) {
            carrier.close();
        }
        if (handler != null) {
            handler.close();
        }
        assertEquals(List.of(), errors, "carrier errors");
        assertEquals(List.of(), handlerErrors, "handler errors");
    }

    @Test
    void answeredCallIsAckedAndTheCarrierHangsUp() {
        open();
        CarrierCall call = carrier.call(handler.hostPort(), DIALED, "+14155550001", Map.of("X-Call-Key", "k-1"));

        ReceivedResponse ok = call.awaitFinal(WAIT);
        assertEquals(200, ok.status());
        assertTrue(ok.body().contains("m=audio"), ok.body());
        assertEquals("application/sdp", ok.header("Content-Type"));

        ReceivedRequest invite = handler.awaitInvites(1, WAIT).get(0);
        assertEquals(DIALED, invite.requestUser());
        assertEquals("+14155550001", invite.fromUser());
        assertEquals(DIALED, invite.toUser());
        assertEquals("k-1", invite.header("x-call-key"));
        assertEquals(call.callId(), invite.callId());
        assertTrue(invite.body().contains("m=audio"), invite.body());
        assertEquals("UDP", invite.transport());
        ReceivedRequest ack = handler.awaitRequest("ACK", WAIT);
        assertTrue(ack.arrivalNs() >= invite.arrivalNs());

        assertEquals(200, call.bye(WAIT).status());
        assertEquals(call.callId(), handler.awaitRequest("BYE", WAIT).callId());
        assertEquals(List.of("INVITE", "ACK", "BYE"), methods(handler.requests()));
        assertEquals(1, handler.inviteCount());
    }

    @Test
    void handlerHangsUpAfterTheAck() {
        open();
        handler.behaviour(Behaviour.answerThenHangUp(Duration.ofMillis(50)));
        CarrierCall call = carrier.call(handler.hostPort(), DIALED);

        assertEquals(200, call.awaitFinal(WAIT).status());
        ReceivedRequest bye = call.awaitBye(WAIT);
        assertEquals(call.callId(), bye.callId());
        assertEquals(200, handler.awaitResponse("BYE", WAIT).status());
        assertEquals(List.of("BYE"), methods(call.requests()));
    }

    @Test
    void busyHandlerAnswers486() {
        open();
        handler.behaviour(Behaviour.busy());
        CarrierCall call = carrier.call(handler.hostPort(), DIALED);

        assertEquals(486, call.awaitFinal(WAIT).status());
        handler.awaitInvites(1, WAIT);
        assertFalse(call.inviteResponses().stream().anyMatch(r -> r.status() == 200));
    }

    @Test
    void ringsThenAnswersWith180First() {
        open();
        handler.behaviour(Behaviour.ringThenAnswer(Duration.ofMillis(200)));
        CarrierCall call = carrier.call(handler.hostPort(), DIALED);

        ReceivedResponse ringing = call.awaitStatus(180, WAIT);
        ReceivedResponse ok = call.awaitFinal(WAIT);
        assertEquals(200, ok.status());
        assertTrue(ringing.arrivalNs() < ok.arrivalNs());
        assertEquals(ringing.toTag(), ok.toTag(), "one dialog: the 180 and the 200 carry the same To tag");
        handler.awaitRequest("ACK", WAIT);
        assertEquals(200, call.bye(WAIT).status());
    }

    @Test
    void earlyMediaComesIn183WithSdp() {
        open();
        handler.behaviour(Behaviour.ringThenAnswer(Duration.ofMillis(100)).withEarlyMedia());
        CarrierCall call = carrier.call(handler.hostPort(), DIALED);

        ReceivedResponse progress = call.awaitStatus(183, WAIT);
        assertTrue(progress.body().contains("m=audio"), progress.body());
        assertEquals(200, call.awaitFinal(WAIT).status());
        assertEquals(List.of(180, 183, 200), statuses(call.inviteResponses(), 100));
    }

    @Test
    void cancelWhileRingingGets200And487() {
        open();
        handler.behaviour(Behaviour.ringForever());
        CarrierCall call = carrier.call(handler.hostPort(), DIALED);

        call.awaitStatus(180, WAIT);
        call.cancel();

        assertEquals(487, call.awaitFinal(WAIT).status());
        ReceivedRequest cancel = handler.awaitRequest("CANCEL", WAIT);
        assertEquals(handler.invites().get(0).branch(), cancel.branch(), "a CANCEL shares its INVITE's branch");
        assertTrue(call.responses().stream().anyMatch(r -> r.method().equals("CANCEL") && r.status() == 200),
                call.responses().toString());
    }

    @Test
    void silentHandlerIsCancelledAfterTheStacks100Trying() {
        open();
        handler.behaviour(Behaviour.silent());
        CarrierCall call = carrier.call(handler.hostPort(), DIALED);

        call.awaitStatus(100, WAIT);
        call.cancel();

        assertEquals(487, call.awaitFinal(WAIT).status());
        assertEquals(List.of(100, 487), call.inviteResponses().stream().map(ReceivedResponse::status).toList());
    }

    @Test
    void otherFinalStatusesAfterRinging() {
        open();
        handler.script(Behaviour.ringThenReject(Duration.ofMillis(50), 603), Behaviour.reject(480));
        CarrierCall first = carrier.call(handler.hostPort(), DIALED);
        CarrierCall second = carrier.call(handler.hostPort(), DIALED);

        assertEquals(603, first.awaitFinal(WAIT).status());
        assertEquals(480, second.awaitFinal(WAIT).status());
        assertEquals(2, handler.awaitInvites(2, WAIT).size());
    }

    @Test
    void infoBodiesArriveInOrder() {
        open();
        CarrierCall call = carrier.call(handler.hostPort(), DIALED);
        assertEquals(200, call.awaitFinal(WAIT).status());

        for (char digit : "12#".toCharArray()) {
            assertEquals(200, call.sendInfo("application/dtmf-relay", "Signal=" + digit + "\r\nDuration=160\r\n", WAIT)
                    .status());
        }

        List<ReceivedRequest> infos = handler.awaitInfos(3, WAIT);
        assertEquals(List.of("Signal=1\r\nDuration=160\r\n", "Signal=2\r\nDuration=160\r\n",
                "Signal=#\r\nDuration=160\r\n"), infos.stream().map(ReceivedRequest::body).toList());
        assertEquals("application/dtmf-relay", infos.get(0).header("Content-Type"));
        assertTrue(infos.get(0).arrivalNs() < infos.get(1).arrivalNs()
                && infos.get(1).arrivalNs() < infos.get(2).arrivalNs());
        assertTrue(infos.stream().allMatch(ReceivedRequest::inDialog));
        assertEquals(200, call.bye(WAIT).status());
    }

    @Test
    void reinviteIsAnsweredWithSdpAndAcked() {
        open();
        CarrierCall call = carrier.call(handler.hostPort(), DIALED);
        assertEquals(200, call.awaitFinal(WAIT).status());
        handler.awaitRequest("ACK", WAIT);

        ReceivedResponse ok = call.reinvite(Sdp.audio("carrier", 2), WAIT);

        assertEquals(200, ok.status());
        assertTrue(ok.body().contains("m=audio"), ok.body());
        List<ReceivedRequest> acks = handler.awaitRequests("ACK", 2, WAIT);
        assertEquals(2, acks.get(1).cseq());
        assertEquals(1, handler.inviteCount(), "a re-INVITE is not a new call");
        assertEquals(200, call.bye(WAIT).status());
    }

    @Test
    void updateAndHandlerSideRequestsInTheDialog() {
        open();
        CarrierCall call = carrier.call(handler.hostPort(), DIALED);
        assertEquals(200, call.awaitFinal(WAIT).status());
        handler.awaitRequest("ACK", WAIT);

        assertEquals(200, call.request("UPDATE", "application/sdp", Sdp.audio("carrier", 2), WAIT).status());
        assertEquals("UPDATE", handler.awaitRequest("UPDATE", WAIT).method());
        ReceivedResponse info = handler.request(call.callId(), "INFO", "application/dtmf-relay", "Signal=9\r\n", WAIT);

        assertEquals(200, info.status());
        assertEquals("Signal=9\r\n", call.requests().get(0).body());
        assertEquals(200, handler.hangUp(call.callId(), WAIT).status());
        assertEquals(List.of("INFO", "BYE"), methods(call.requests()));
    }

    @Test
    void callOverTcp() {
        open(SipUa.Transport.UDP, SipUa.Transport.TCP);
        CarrierCall call = carrier.call(SipUa.Transport.TCP, handler.hostPort(), DIALED, "+14155550002", Map.of());

        assertEquals(200, call.awaitFinal(WAIT).status());
        ReceivedRequest invite = handler.awaitInvites(1, WAIT).get(0);
        assertEquals("TCP", invite.transport());
        assertTrue(invite.requestUri().contains("transport=tcp"), invite.requestUri());
        assertEquals("TCP", handler.awaitRequest("ACK", WAIT).transport());
        assertEquals(200, call.bye(WAIT).status());
        assertEquals("TCP", handler.awaitRequest("BYE", WAIT).transport());
    }

    @Test
    void retransmittedInviteIsOneTransaction() {
        open();
        handler.behaviour(Behaviour.ringForever());
        CarrierCall call = carrier.call(handler.hostPort(), DIALED);
        call.awaitStatus(180, WAIT);

        call.retransmitInvite();

        // The handler's server transaction absorbs it and repeats its last provisional answer.
        carrier.ua().responseRecorder().await(r -> r.callId().equals(call.callId()) && r.status() == 180, 2, WAIT,
                "180 repeated for the retransmitted INVITE");
        assertEquals(1, handler.inviteCount());
        call.cancel();
        assertEquals(487, call.awaitFinal(WAIT).status());
    }

    @Test
    void retransmitted200IsAckedAgain() {
        try (RawUdpPeer uas = RawUdpPeer.open(Ports.free(46000, 46499))) {
            carrier = Carrier.open(Ports.free(46000, 46499));
            CarrierCall call = carrier.call("127.0.0.1:" + uas.port(), DIALED);
            String invite = uas.receive(WAIT).orElseThrow(() -> new AssertionError("no INVITE")).text();
            String ok = okFor(invite, uas.port());
            InetSocketAddress carrierAddress = new InetSocketAddress(Ports.LOOPBACK, carrier.port());

            uas.send(carrierAddress, ok);
            String firstAck = uas.receive(WAIT).orElseThrow(() -> new AssertionError("no ACK")).text();
            uas.send(carrierAddress, ok);
            String secondAck = uas.receive(WAIT).orElseThrow(() -> new AssertionError("no second ACK")).text();

            assertTrue(firstAck.startsWith("ACK sip:raw@127.0.0.1:" + uas.port()), firstAck);
            assertEquals(firstAck, secondAck);
            assertEquals(List.of(200), call.inviteResponses().stream().map(ReceivedResponse::status).toList());
        }
    }

    /** A 200 to {@code invite} built by hand, as a peer without a SIP stack would. */
    private static String okFor(String invite, int port) {
        StringBuilder ok = new StringBuilder("SIP/2.0 200 OK\r\n");
        for (String line : invite.split("\r\n")) {
            if (line.startsWith("Via:") || line.startsWith("From:") || line.startsWith("Call-ID:")
                    || line.startsWith("CSeq:")) {
                ok.append(line).append("\r\n");
            } else if (line.startsWith("To:")) {
                ok.append(line).append(";tag=raw\r\n");
            }
        }
        return ok.append("Contact: <sip:raw@127.0.0.1:").append(port).append(">\r\nContent-Length: 0\r\n\r\n")
                .toString();
    }

    @Test
    void optionsFromARawSocketGet200WithAllow() {
        open();
        try (RawUdpPeer raw = RawUdpPeer.open(Ports.free(46000, 46499))) {
            String options = "OPTIONS sip:" + handler.hostPort() + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + raw.port() + ";branch=z9hG4bK-raw-1\r\n"
                    + "From: <sip:probe@127.0.0.1>;tag=raw1\r\n"
                    + "To: <sip:" + handler.hostPort() + ">\r\n"
                    + "Call-ID: raw-options-1\r\n"
                    + "CSeq: 1 OPTIONS\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "Content-Length: 0\r\n\r\n";

            raw.send(new InetSocketAddress(Ports.LOOPBACK, handler.port()), options);

            String answer = raw.receive(WAIT).orElseThrow(() -> new AssertionError("no answer to OPTIONS")).text();
            assertTrue(answer.startsWith("SIP/2.0 200 "), answer);
            assertTrue(answer.contains("INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE"), answer);
            assertEquals("raw-options-1", handler.awaitRequest("OPTIONS", WAIT).callId());
        }
    }

    @Test
    void closeEndsEveryStackThread() throws InterruptedException {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        open();
        CarrierCall call = carrier.call(handler.hostPort(), DIALED);
        assertEquals(200, call.awaitFinal(WAIT).status());
        assertEquals(200, call.bye(WAIT).status());

        carrier.close();
        handler.close();

        Set<Thread> started = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !before.contains(thread)).collect(Collectors.toSet());
        for (Thread thread : started) {
            thread.join(WAIT.toMillis());
        }
        List<String> alive = started.stream().filter(Thread::isAlive).map(Thread::getName).toList();
        assertEquals(List.of(), alive, "threads left running after close");
    }

    private static List<String> methods(List<ReceivedRequest> requests) {
        return requests.stream().map(ReceivedRequest::method).toList();
    }

    private static List<Integer> statuses(List<ReceivedResponse> responses, int except) {
        return responses.stream().map(ReceivedResponse::status).filter(status -> status != except).toList();
    }
}
