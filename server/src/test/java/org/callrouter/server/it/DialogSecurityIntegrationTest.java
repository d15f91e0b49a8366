package org.callrouter.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.callrouter.server.sipua.Behaviour;
import org.callrouter.server.sipua.CarrierCall;
import org.callrouter.server.sipua.Handler;
import org.callrouter.server.sipua.Peers;
import org.callrouter.server.sipua.Ports;
import org.callrouter.server.sipua.RawUdpPeer;
import org.callrouter.server.sipua.ReceivedRequest;
import org.callrouter.server.sipua.ReceivedResponse;
import org.callrouter.server.transaction.MessageCounters;
import org.callrouter.server.transaction.TransactionLayer;
import org.callrouter.server.transaction.TransactionStats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 items 1, 2 and 9, as an attacker sees the router: in-dialog requests must match a
 * dialog by Call-ID and both tags (RFC 3261 12.2.2) and come from its peer or a trusted source;
 * a handler's BYE before its answer is not a carrier CANCEL; call keys are unguessable. Forged
 * requests are raw datagrams (one from 127.0.0.2, a second host on loopback); the calls they
 * attack are real ones between jain-sip-ri peers.
 */
class DialogSecurityIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String NUMBER = "+18005550100";
    private static final String DIALED = "18005550100";
    private static final AtomicLong SEQUENCE = new AtomicLong();

    @TempDir
    Path dir;

    private Handler first;
    private Handler second;
    private Peers peers;
    private RouterFixture router;

    @BeforeEach
    void peers() {
        peers = Peers.open(45000, 45999);
        first = peers.first();
        second = peers.second();
    }

    @AfterEach
    void close() {
        if (router != null) {
            router.close();
        }
        peers.close();
    }

    private static String routing(String firstUri, String secondUri) {
        return """
                sources:
                  - id: web
                handlers:
                  - { id: first, uri: "%s", timeout_seconds: 5 }
                  - { id: second, uri: "%s", priority: 2, timeout_seconds: 5 }
                campaigns:
                  - id: sales
                    handlers: [first, second]
                numbers:
                  - { number: "%s", campaign: sales, source: web }
                """.formatted(firstUri, secondUri, NUMBER);
    }

    private InetSocketAddress routerAddress() {
        return new InetSocketAddress("127.0.0.1", router.port());
    }

    private void assertNoLiveCalls() {
        assertEquals(0, router.server().workers().b2buaStats().activeCalls, "active calls");
        assertEquals(0, router.server().workers().b2buaStats().pendingCalls, "pending calls");
        assertEquals(0, router.server().errors().total(), "internal errors");
    }

    /** An answered call with what an attacker who read its messages would know. */
    private record Answered(CarrierCall call, String carrierTag, String routerTag, String bCallId,
                            String bRouterTag, String handlerTag) {
    }

    private Answered answeredCall() {
        first.behaviour(Behaviour.answer());
        final CarrierCall call = peers.carrier().call(router.hostPort(), DIALED);
        final ReceivedResponse answer = call.awaitFinal(WAIT);
        assertEquals(200, answer.status());
        final ReceivedRequest bInvite = first.awaitInvites(1, WAIT).get(0);
        // An INFO through the call shows the handler's tag (its To tag) as well.
        assertEquals(200, call.sendInfo("application/dtmf-relay", "Signal=1\r\nDuration=160\r\n", WAIT).status());
        final String handlerTag = first.awaitRequest("INFO", WAIT).toTag();
        return new Answered(call, tag(header(call.inviteText(), "From")), answer.toTag(), bInvite.callId(),
                tag(bInvite.header("From")), handlerTag);
    }

    /** Both dialogs are still up: nobody got a BYE, and an INFO still goes through. */
    private void assertCallGoesOn(Answered a) {
        assertEquals(1, router.server().workers().b2buaStats().activeCalls, "the call is still live");
        assertTrue(a.call().requests().stream().noneMatch(r -> r.method().equals("BYE")), "carrier got no BYE");
        assertTrue(first.requests().stream().noneMatch(r -> r.method().equals("BYE")), "handler got no BYE");
        assertEquals(200, a.call().sendInfo("application/dtmf-relay", "Signal=2\r\nDuration=160\r\n", WAIT).status());
        first.awaitInfos(2, WAIT);
    }

    @Test
    void requestsWithTheRightCallIdButAWrongOrMissingTagGet481AndTheCallGoesOn() {
        router = RouterFixture.start(dir.resolve("data"), routing(first.uri(), second.uri()));
        final Answered a = answeredCall();
        final String carrierCallId = a.call().callId();
        try (RawUdpPeer peer = RawUdpPeer.open(Ports.free(45000, 45999))) {
            assertStatus(481, peer, "BYE", carrierCallId, a.carrierTag(), "x" + a.routerTag());
            assertStatus(481, peer, "BYE", carrierCallId, "x" + a.carrierTag(), a.routerTag());
            assertStatus(481, peer, "BYE", carrierCallId, null, a.routerTag());
            assertStatus(481, peer, "INVITE", carrierCallId, a.carrierTag(), "0123456789abcdef");
            assertStatus(481, peer, "INFO", carrierCallId, "x" + a.carrierTag(), a.routerTag());
            assertStatus(481, peer, "BYE", a.bCallId(), "x" + a.handlerTag(), a.bRouterTag());
            assertStatus(481, peer, "BYE", a.bCallId(), null, a.bRouterTag());
            assertStatus(481, peer, "INVITE", a.bCallId(), a.handlerTag(), "x" + a.bRouterTag());
            assertStatus(481, peer, "INFO", a.bCallId(), a.handlerTag(), "x" + a.bRouterTag());
        }
        assertCallGoesOn(a);
        // The handler's own BYE still ends the call on both sides.
        assertEquals(200, first.hangUp(a.bCallId(), WAIT).status());
        a.call().awaitBye(WAIT);
        assertNoLiveCalls();
    }

    @Test
    void requestsWithTheRightTagsFromAnotherHostAreRefusedAndTheCallGoesOn() throws Exception {
        router = RouterFixture.start(dir.resolve("data"), routing(first.uri(), second.uri()),
                "    trusted: [\"127.0.0.1/32\"]");
        final Answered a = answeredCall();
        final String carrierCallId = a.call().callId();
        try (RawUdpPeer stranger = RawUdpPeer.open(secondHost(), 0)) {
            assertStatus(403, stranger, "BYE", carrierCallId, a.carrierTag(), a.routerTag());
            assertStatus(403, stranger, "INVITE", carrierCallId, a.carrierTag(), a.routerTag());
            assertStatus(403, stranger, "INFO", carrierCallId, a.carrierTag(), a.routerTag());
            assertStatus(403, stranger, "BYE", a.bCallId(), a.handlerTag(), a.bRouterTag());
            assertStatus(403, stranger, "INFO", a.bCallId(), a.handlerTag(), a.bRouterTag());
        }
        assertCallGoesOn(a);
        // The carrier's own BYE still ends the call on both sides.
        assertEquals(200, a.call().bye(WAIT).status());
        first.awaitRequest("BYE", WAIT);
        assertNoLiveCalls();
    }

    @Test
    void anUntrustedHandlerMayStillEndItsOwnDialog() throws Exception {
        try (RawUdpPeer rawHandler = RawUdpPeer.open(InetAddress.getByAddress(new byte[] {127, 0, 0, 3}), 0)) {
            final String handlerHost = "127.0.0.3:" + rawHandler.port();
            router = RouterFixture.start(dir.resolve("data"), routing("sip:raw@" + handlerHost, second.uri()),
                    "    trusted: [\"127.0.0.1/32\"]");
            final CarrierCall call = peers.carrier().call(router.hostPort(), DIALED);
            final String invite = awaitRequest(rawHandler, "INVITE");
            rawHandler.send(routerAddress(), response(invite, 200, "OK", "h9", handlerHost));
            assertEquals(200, call.awaitFinal(WAIT).status());
            awaitRequest(rawHandler, "ACK");
            final String branch = newBranch();
            rawHandler.send(routerAddress(), "BYE sip:router@" + router.hostPort() + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP " + handlerHost + ";branch=" + branch + "\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: " + header(invite, "To") + ";tag=h9\r\n"
                    + "To: " + header(invite, "From") + "\r\n"
                    + "Call-ID: " + header(invite, "Call-ID") + "\r\n"
                    + "CSeq: 1 BYE\r\n"
                    + "Content-Length: 0\r\n\r\n");
            final String answer = awaitResponse(rawHandler, branch);
            assertTrue(answer.startsWith("SIP/2.0 200"), "the dialog's peer is admitted though untrusted: " + answer);
            call.awaitBye(WAIT);
            assertEquals(2, router.server().workers().transactionStats().serverTransactionsCreated,
                    "the carrier's INVITE and the handler's BYE had transactions");
            assertNoLiveCalls();
        }
    }

    @Test
    void aFloodOfInvitesFromAnUntrustedHostMakesNoTransactionAndGetsStateless403s() throws Exception {
        router = RouterFixture.start(dir.resolve("data"), routing(first.uri(), second.uri()),
                "    trusted: [\"127.0.0.1/32\"]");
        final int chunk = 50;
        final int flood = 6 * chunk;
        final List<String> answers = new ArrayList<>();
        try (RawUdpPeer stranger = RawUdpPeer.open(secondHost(), 0)) {
            for (int sent = 0; sent < flood; ) {
                // In chunks the socket buffers hold, so the kernel drops none of them.
                for (int i = 0; i < chunk; i++, sent++) {
                    stranger.send(routerAddress(), floodInvite(stranger, sent));
                }
                final long deadline = System.nanoTime() + WAIT.toNanos();
                while (transactionStats().refusedStateless + transactionStats().refusalsDropped < sent && System.nanoTime() < deadline) {
                    stranger.receive(Duration.ofMillis(20)).ifPresent(d -> answers.add(d.text()));
                }
                assertEquals(sent, transactionStats().refusedStateless + transactionStats().refusalsDropped,
                        "every INVITE refused (answered or dropped) before any state");
            }
            while (answers.size() < transactionStats().refusedStateless) {
                answers.add(stranger.receive(WAIT).orElseThrow(() -> new AssertionError(
                        answers.size() + " answers of " + transactionStats().refusedStateless)).text());
            }
        }
        assertEquals(transactionStats().refusedStateless, answers.size());
        for (String answer : answers) {
            assertTrue(answer.startsWith("SIP/2.0 403 "), answer);
            assertTrue(answer.contains("Reason: SIP;cause=403;text=\"source is not trusted\""), answer);
        }
        assertTrue(transactionStats().refusedStateless >= TransactionLayer.STATELESS_REFUSALS_PER_SECOND,
                "the first second's allowance is answered: " + transactionStats().refusedStateless);
        assertEquals(0, transactionStats().serverTransactionsCreated, "no server transaction for an untrusted INVITE");
        assertEquals(0, router.server().workers().transactions());
        assertEquals(0, first.inviteCount() + second.inviteCount());
        // A trusted carrier's call goes through as before.
        final Answered a = answeredCall();
        assertEquals(200, a.call().bye(WAIT).status());
        assertNoLiveCalls();
    }

    private String floodInvite(RawUdpPeer peer, int n) {
        final String host = peer.address().getHostAddress();
        return "INVITE sip:" + DIALED + "@" + router.hostPort() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + host + ":" + peer.port() + ";branch=z9hG4bKflood" + n + "x\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:+14155550100@" + host + ">;tag=f" + n + "\r\n"
                + "To: <sip:" + DIALED + "@127.0.0.1>\r\n"
                + "Call-ID: flood-" + n + "-" + System.nanoTime() + "@" + host + "\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:scanner@" + host + ":" + peer.port() + ">\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    @Test
    void aHandlersByeBeforeItsAnswerGets481AndTheCallFailsOverWithoutTouchingTheCarrier() {
        try (RawUdpPeer rawHandler = RawUdpPeer.open(Ports.free(45000, 45999))) {
            final RecordingEvents events = new RecordingEvents();
            router = RouterFixture.start(dir.resolve("data"),
                    routing("sip:raw@127.0.0.1:" + rawHandler.port(), second.uri()), "", "", Clock.systemUTC(),
                    events, MessageCounters.NONE);
            second.behaviour(Behaviour.answer());
            final CarrierCall call = peers.carrier().call(router.hostPort(), DIALED);
            hangUpBeforeAnswering(rawHandler, call);

            assertEquals(200, call.awaitFinal(WAIT).status(), "the second handler answered");
            assertEquals(1, second.inviteCount());
            assertTrue(call.inviteResponses().stream().noneMatch(r -> r.status() == 487),
                    "the carrier saw no 487: it did not cancel");
            assertTrue(events.lines().contains("attempt-ended first failed 0"), events.lines().toString());
            assertEquals(200, call.bye(WAIT).status());
            second.awaitRequest("BYE", WAIT);
            assertNoLiveCalls();
        }
    }

    @Test
    void aHandlersByeBeforeItsAnswerEndsTheCallAsFailedWhenNoHandlerIsLeft() {
        try (RawUdpPeer rawHandler = RawUdpPeer.open(Ports.free(45000, 45999))) {
            final RecordingEvents events = new RecordingEvents();
            router = RouterFixture.start(dir.resolve("data"), """
                    sources:
                      - id: web
                    handlers:
                      - { id: first, uri: "sip:raw@127.0.0.1:%d", timeout_seconds: 5 }
                    campaigns:
                      - id: sales
                        handlers: [first]
                    numbers:
                      - { number: "%s", campaign: sales, source: web }
                    """.formatted(rawHandler.port(), NUMBER), "", "", Clock.systemUTC(), events,
                    MessageCounters.NONE);
            final CarrierCall call = peers.carrier().call(router.hostPort(), DIALED);
            hangUpBeforeAnswering(rawHandler, call);

            assertEquals(480, call.awaitFinal(WAIT).status(), "no handler answered");
            assertTrue(events.lines().contains("ended failed 480"), events.lines().toString());
            assertNoLiveCalls();
        }
    }

    /** The raw handler rings (with a tag), sends BYE, gets 481, and is cancelled. */
    private void hangUpBeforeAnswering(RawUdpPeer rawHandler, CarrierCall call) {
        final String invite = awaitRequest(rawHandler, "INVITE");
        rawHandler.send(routerAddress(), response(invite, 180, "Ringing", "h1"));
        call.awaitStatus(180, WAIT);
        final String branch = newBranch();
        rawHandler.send(routerAddress(), "BYE sip:router@" + router.hostPort() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + rawHandler.port() + ";branch=" + branch + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: " + header(invite, "To") + ";tag=h1\r\n"
                + "To: " + header(invite, "From") + "\r\n"
                + "Call-ID: " + header(invite, "Call-ID") + "\r\n"
                + "CSeq: 1 BYE\r\n"
                + "Content-Length: 0\r\n\r\n");
        final String answer = awaitResponse(rawHandler, branch);
        assertTrue(answer.startsWith("SIP/2.0 481"), answer);
        final String cancel = awaitRequest(rawHandler, "CANCEL");
        rawHandler.send(routerAddress(), response(cancel, 200, "OK", "h1"));
        rawHandler.send(routerAddress(), response(invite, 487, "Request Terminated", "h1"));
    }

    @Test
    void theCarriersByeInTheEarlyDialogCancelsTheCall() {
        router = RouterFixture.start(dir.resolve("data"), routing(first.uri(), second.uri()));
        first.behaviour(Behaviour.ringForever());
        try (RawUdpPeer rawCarrier = RawUdpPeer.open(Ports.free(45000, 45999))) {
            final String callId = "early-" + System.nanoTime() + "@127.0.0.1";
            final String inviteBranch = newBranch();
            final String from = "<sip:+14155550199@127.0.0.1>;tag=c1";
            final String to = "<sip:" + DIALED + "@127.0.0.1>";
            rawCarrier.send(routerAddress(), rawRequest(rawCarrier, "INVITE", 1, inviteBranch, callId, from, to));
            final String ringing = awaitResponse(rawCarrier, inviteBranch, "SIP/2.0 180");
            final String routerTag = tag(header(ringing, "To"));
            final String byeBranch = newBranch();
            rawCarrier.send(routerAddress(), "BYE sip:router@" + router.hostPort() + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + rawCarrier.port() + ";branch=" + byeBranch + "\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: " + from + "\r\n"
                    + "To: " + to + ";tag=" + routerTag + "\r\n"
                    + "Call-ID: " + callId + "\r\n"
                    + "CSeq: 2 BYE\r\n"
                    + "Content-Length: 0\r\n\r\n");
            final String byeAnswer = awaitResponse(rawCarrier, byeBranch);
            assertTrue(byeAnswer.startsWith("SIP/2.0 200"), byeAnswer);
            awaitResponse(rawCarrier, inviteBranch, "SIP/2.0 487");
            rawCarrier.send(routerAddress(), rawRequest(rawCarrier, "ACK", 1, inviteBranch, callId, from,
                    to + ";tag=" + routerTag));
            first.awaitRequest("CANCEL", WAIT);
            assertNoLiveCalls();
        }
    }

    @Test
    void aHandlersByeBeforeTheCarrierAcknowledgedTheAnswerWaitsForTheAck() {
        router = RouterFixture.start(dir.resolve("data"), routing(first.uri(), second.uri()));
        first.behaviour(Behaviour.answerThenHangUp(Duration.ofMillis(10)));
        try (RawUdpPeer rawCarrier = RawUdpPeer.open(Ports.free(45000, 45999))) {
            final String callId = "unacked-" + System.nanoTime() + "@127.0.0.1";
            final String from = "<sip:+14155550198@127.0.0.1>;tag=c2";
            final String to = "<sip:" + DIALED + "@127.0.0.1>";
            final String inviteBranch = newBranch();
            rawCarrier.send(routerAddress(), rawRequest(rawCarrier, "INVITE", 1, inviteBranch, callId, from, to));
            final String answer = awaitResponse(rawCarrier, inviteBranch, "SIP/2.0 200");
            assertEquals(200, first.awaitResponse("BYE", WAIT).status(), "the handler's BYE is answered");
            // The router handled the handler's BYE before this OPTIONS: whatever that made it
            // send the carrier arrives before the OPTIONS' answer.
            final String optionsBranch = newBranch();
            rawCarrier.send(routerAddress(), rawRequest(rawCarrier, "OPTIONS", 1, optionsBranch,
                    "sync-" + System.nanoTime(), from, "<sip:router@127.0.0.1>"));
            final List<String> before = new ArrayList<>();
            String next;
            do {
                next = await(rawCarrier, text -> true, "the answer to OPTIONS");
                before.add(next.substring(0, next.indexOf("\r\n")));
            } while (!next.contains("branch=" + optionsBranch));
            assertTrue(before.stream().noneMatch(line -> line.startsWith("BYE ")),
                    "RFC 3261 15: no BYE before the carrier acknowledged the 2xx: " + before);

            rawCarrier.send(routerAddress(), rawRequest(rawCarrier, "ACK", 1, newBranch(), callId, from,
                    header(answer, "To")));
            final String bye = awaitRequest(rawCarrier, "BYE");
            rawCarrier.send(routerAddress(), response(bye, 200, "OK", null));
            assertEquals(1, first.requests().stream().filter(r -> r.method().equals("BYE")).count()
                    + first.responses().stream().filter(r -> r.method().equals("BYE")).count(),
                    "the handler sent its BYE and got none from the router");
            assertNoLiveCalls();
        }
    }

    /** A request from a raw carrier to the router. */
    private String rawRequest(RawUdpPeer peer, String method, long cseq, String branch, String callId, String from,
                              String to) {
        return method + " sip:" + DIALED + "@" + router.hostPort() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + peer.port() + ";branch=" + branch + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: " + from + "\r\n"
                + "To: " + to + "\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + cseq + " " + method + "\r\n"
                + (method.equals("INVITE") ? "Contact: <sip:carrier@127.0.0.1:" + peer.port() + ">\r\n" : "")
                + "Content-Length: 0\r\n\r\n";
    }

    @Test
    void callKeysAre128BitHexAndDifferFromCallToCall() {
        router = RouterFixture.start(dir.resolve("data"), routing(first.uri(), second.uri()));
        first.behaviour(Behaviour.answer());
        final List<String> keys = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            final CarrierCall call = peers.carrier().call(router.hostPort(), DIALED);
            assertEquals(200, call.awaitFinal(WAIT).status());
            keys.add(first.awaitInvites(i + 1, WAIT).get(i).header("X-Call-Key"));
            assertEquals(200, call.bye(WAIT).status());
        }
        for (String key : keys) {
            assertTrue(key.matches("[0-9a-f]{32}"), key);
        }
        assertNotEquals(keys.get(0), keys.get(1));
        assertNotEquals(keys.get(1), keys.get(2));
        assertNotEquals(keys.get(0), keys.get(2));
        assertNoLiveCalls();
    }

    // ---- raw SIP -------------------------------------------------------------------------

    /** 127.0.0.2: on Linux all of 127/8 is loopback, so it is a second host for the router. */
    static InetAddress secondHost() throws UnknownHostException {
        return InetAddress.getByAddress(new byte[] {127, 0, 0, 2});
    }

    static String newBranch() {
        return "z9hG4bKforged" + SEQUENCE.incrementAndGet() + "x" + System.nanoTime();
    }

    /** Sends an in-dialog request from {@code peer} and asserts the status of its answer. */
    private void assertStatus(int expected, RawUdpPeer peer, String method, String callId, String fromTag,
                              String toTag) {
        final String branch = newBranch();
        final String host = peer.address().getHostAddress();
        peer.send(routerAddress(), method + " sip:router@" + router.hostPort() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + host + ":" + peer.port() + ";branch=" + branch + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:peer@" + host + ">" + (fromTag == null ? "" : ";tag=" + fromTag) + "\r\n"
                + "To: <sip:router@127.0.0.1>" + (toTag == null ? "" : ";tag=" + toTag) + "\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + (100 + SEQUENCE.incrementAndGet()) + " " + method + "\r\n"
                + (method.equals("INVITE") ? "Contact: <sip:peer@" + host + ":" + peer.port() + ">\r\n" : "")
                + "Content-Length: 0\r\n\r\n");
        final String answer = awaitResponse(peer, branch);
        assertTrue(answer.startsWith("SIP/2.0 " + expected), method + " from " + host + " with tags " + fromTag
                + "/" + toTag + " got " + answer);
    }

    static String awaitResponse(RawUdpPeer peer, String branch) {
        return awaitResponse(peer, branch, "SIP/2.0 ");
    }

    /** The first datagram starting with {@code start} whose Via has {@code branch}; others are skipped. */
    static String awaitResponse(RawUdpPeer peer, String branch, String start) {
        return await(peer, text -> text.startsWith(start) && text.contains("branch=" + branch + "\r\n")
                || text.startsWith(start) && text.contains("branch=" + branch + ";"), start + " with " + branch);
    }

    static String awaitRequest(RawUdpPeer peer, String method) {
        return await(peer, text -> text.startsWith(method + " "), method);
    }

    private static String await(RawUdpPeer peer, java.util.function.Predicate<String> wanted, String what) {
        final long deadline = System.nanoTime() + WAIT.toNanos();
        final List<String> skipped = new ArrayList<>();
        while (true) {
            final long left = deadline - System.nanoTime();
            final Optional<RawUdpPeer.Datagram> datagram = left > 0
                    ? peer.receive(Duration.ofNanos(left)) : Optional.empty();
            if (datagram.isEmpty()) {
                throw new AssertionError("no " + what + " within " + WAIT + "; skipped " + skipped);
            }
            final String text = datagram.get().text();
            if (wanted.test(text)) {
                return text;
            }
            skipped.add(text.substring(0, Math.max(0, text.indexOf("\r\n"))));
        }
    }

    static String response(String request, int status, String reason, String toTag) {
        return response(request, status, reason, toTag, "127.0.0.1");
    }

    /**
     * A response to a raw request: its Via, From, To (with {@code toTag} unless it has one),
     * Call-ID, CSeq, and a Contact at {@code contact}.
     */
    static String response(String request, int status, String reason, String toTag, String contact) {
        final StringBuilder sb = new StringBuilder("SIP/2.0 ").append(status).append(' ').append(reason).append("\r\n");
        for (String line : request.split("\r\n")) {
            final String name = line.contains(":") ? line.substring(0, line.indexOf(':')).trim() : "";
            if (name.equalsIgnoreCase("Via") || name.equalsIgnoreCase("From") || name.equalsIgnoreCase("Call-ID")
                    || name.equalsIgnoreCase("CSeq")) {
                sb.append(line).append("\r\n");
            } else if (name.equalsIgnoreCase("To")) {
                sb.append(line).append(line.contains(";tag=") ? "" : ";tag=" + toTag).append("\r\n");
            }
        }
        return sb.append("Contact: <sip:raw@").append(contact).append(">\r\nContent-Length: 0\r\n\r\n").toString();
    }

    /** The value of the first header line called {@code name}. */
    static String header(String message, String name) {
        for (String line : message.split("\r\n")) {
            final int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        throw new AssertionError("no " + name + " in " + message);
    }

    /** The tag parameter of a From or To value, or null. */
    static String tag(String value) {
        final int at = value.indexOf(";tag=");
        if (at < 0) {
            return null;
        }
        final String rest = value.substring(at + 5);
        final int end = rest.indexOf(';');
        return end < 0 ? rest : rest.substring(0, end);
    }

    /** The transaction counters now, summed over the SIP workers. */
    private TransactionStats transactionStats() {
        return router.server().workers().transactionStats();
    }
}
