package org.callrouter.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.callrouter.server.b2bua.B2buaStats;
import org.callrouter.server.sipua.Behaviour;
import org.callrouter.server.sipua.Carrier;
import org.callrouter.server.sipua.CarrierCall;
import org.callrouter.server.sipua.Handler;
import org.callrouter.server.sipua.Ports;
import org.callrouter.server.sipua.RawUdpPeer;
import org.callrouter.server.sipua.ReceivedRequest;
import org.callrouter.server.sipua.ReceivedResponse;
import org.callrouter.server.sipua.Sipp;
import org.callrouter.server.sipua.SippResult;
import org.callrouter.server.transaction.MessageCounters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reliable provisional responses (RFC 3262, PRACK) through a real router on loopback, each leg
 * with its own RSeq and RAck (server README, "Carrier interop"): SIPp carriers requiring
 * {@code 100rel} ({@code sipp/carrier_100rel*.xml}) and a SIPp handler sending a reliable 183
 * ({@code sipp/handler_reliable_183.xml}); jain-sip-ri peers for the plain sides. The router's
 * T1 is 100 ms here (RouterFixture), so 64*T1 is 6.4 s. Ports 46500-46599.
 */
class ReliableProvisionalsIntegrationTest {

    private static final int FROM = 46500;
    private static final int TO = 46599;
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private static String routing(String number, String handlerHostPort) {
        return """
                sources:
                  - id: trunk
                handlers:
                  - { id: buyer, uri: "sip:%s", timeout_seconds: 8 }
                campaigns:
                  - { id: c, handlers: [buyer] }
                numbers:
                  - { number: "+%s", campaign: c, source: trunk }
                """.formatted(handlerHostPort, number);
    }

    /**
     * Call 1: the handler's reliable 183 (sent twice, then retransmitted) is relayed once, as a
     * reliable 183 of the router's own RSeq; the router PRACKs the handler (RAck 1 1 INVITE, in
     * the 183's early dialog) only once the carrier PRACKed the router's 183, 1.5 s later; the
     * handler's 200 follows. Call 2 (at the same time): an unreliable 183 with SDP and a 200
     * 300 ms later from a jain-sip-ri handler: the carrier gets the 183 reliably and the 200 only
     * after its PRACK (the scenario fails on a 200 before it). Both scenarios check every
     * RSeq, Require and RAck with ereg check_it.
     */
    @Test
    void aReliable183IsPrackedOnEachLegAndTheAnswerWaitsForTheCarriersPrack() {
        Sipp.requireInstalled();
        final RecordingEvents events = new RecordingEvents();
        try (Sipp reliable = Sipp.scenario("handler_reliable_183.xml").ports(FROM, TO).start();
             Handler plain = Handler.open(Ports.free(FROM, TO))
                     .behaviour(new Behaviour(false, true, Duration.ofMillis(300), 200, null));
             RouterFixture router = RouterFixture.start(dir.resolve("data"), """
                     sources:
                       - id: trunk
                     handlers:
                       - { id: reliable, uri: "sip:%s", timeout_seconds: 8 }
                       - { id: plain, uri: "sip:127.0.0.1:%d", timeout_seconds: 8 }
                     campaigns:
                       - { id: c1, handlers: [reliable] }
                       - { id: c2, handlers: [plain] }
                     numbers:
                       - { number: "+18005550191", campaign: c1, source: trunk }
                       - { number: "+18005550192", campaign: c2, source: trunk }
                     """.formatted(reliable.hostPort(), plain.port()), "", "", Clock.systemUTC(), events,
                     MessageCounters.NONE);
             Sipp carrierOfReliable = Sipp.scenario("carrier_100rel.xml").ports(FROM, TO).remote(router.hostPort())
                     .service("18005550191").start();
             Sipp carrierOfPlain = Sipp.scenario("carrier_100rel.xml").ports(FROM, TO).remote(router.hostPort())
                     .service("18005550192").start()) {
            assertSucceeded(carrierOfReliable.awaitExit());
            assertSucceeded(carrierOfPlain.awaitExit());
            assertSucceeded(reliable.awaitExit());
            final ReceivedRequest invite = plain.awaitInvites(1, WAIT).get(0);
            assertTrue(invite.headers().all("Supported").contains("100rel"), invite.headers().toString());
            assertEquals(List.of("carrier hung up", "carrier hung up"), events.endReasons());
            final B2buaStats stats = router.server().workers().b2buaStats();
            assertEquals(1, stats.provisionalsPracked);
            assertTrue(stats.provisionalsDiscarded >= 1, "the 183 sent twice was taken once");
            assertEquals(0, router.server().errors().total(), "internal errors");
        }
    }

    /**
     * Offer and answer inside PRACK and early UPDATE (RFC 3262 5, RFC 3311 5.1): the carrier's
     * PRACK carries a new offer, relayed in the router's PRACK to the handler (whose 183 was
     * reliable) and answered from the handler's 200; the carrier's early UPDATE and then the
     * handler's go to the other leg's early dialog, each answer passed back. The SIPp scenarios
     * check each SDP version where it must arrive.
     */
    @Test
    void offersInPrackAndEarlyUpdateAreRelayed() {
        Sipp.requireInstalled();
        final RecordingEvents events = new RecordingEvents();
        try (Sipp handler = Sipp.scenario("handler_reliable_183_update.xml").ports(FROM, TO).start();
             RouterFixture router = RouterFixture.start(dir.resolve("data"), routing("18005550196",
                     handler.hostPort()), "", "", Clock.systemUTC(), events, MessageCounters.NONE);
             Sipp carrier = Sipp.scenario("carrier_100rel_update.xml").ports(FROM, TO).remote(router.hostPort())
                     .service("18005550196").start()) {
            assertSucceeded(carrier.awaitExit());
            assertSucceeded(handler.awaitExit());
            assertEquals(List.of("carrier hung up"), events.endReasons());
            assertEquals(0, router.server().errors().total(), "internal errors");
        }
    }

    /**
     * A carrier that requires 100rel and never PRACKs: the router retransmits its reliable 180
     * and after 64*T1 (6.4 s) answers the INVITE 500 with a Reason (RFC 3262 3); the handler's
     * INVITE is cancelled, and the record says failed with why.
     */
    @Test
    void aCarrierThatNeverPracksGets500AndTheCallEnds() {
        Sipp.requireInstalled();
        final RecordingEvents events = new RecordingEvents();
        try (Handler handler = Handler.open(Ports.free(FROM, TO)).behaviour(Behaviour.ringForever());
             RouterFixture router = RouterFixture.start(dir.resolve("data"),
                     routing("18005550193", "127.0.0.1:" + handler.port()), "", "", Clock.systemUTC(), events,
                     MessageCounters.NONE);
             Sipp carrier = Sipp.scenario("carrier_100rel_no_prack.xml").ports(FROM, TO).remote(router.hostPort())
                     .service("18005550193").start()) {
            assertSucceeded(carrier.awaitExit());
            handler.awaitRequest("CANCEL", WAIT);
            assertEquals(List.of("carrier sent no PRACK for a reliable provisional response within 6 s"),
                    events.endReasons());
            assertTrue(events.lines().contains("ended failed 500"), events.lines()::toString);
            assertEquals(1, router.server().workers().b2buaStats().prackTimeouts);
            assertEquals(0, router.server().errors().total(), "internal errors");
        }
    }

    /**
     * A carrier without 100rel gets the handler's reliable 183 as a plain one (no Require, no
     * RSeq), once although the handler sent it twice; the router PRACKs the handler at once
     * (the scenario checks the RAck) and the call goes on.
     */
    @Test
    void aCarrierWithout100relGetsTheReliable183Unreliably() {
        Sipp.requireInstalled();
        final RecordingEvents events = new RecordingEvents();
        try (Sipp handler = Sipp.scenario("handler_reliable_183.xml").ports(FROM, TO).start();
             Carrier carrier = Carrier.open(Ports.free(FROM, TO));
             RouterFixture router = RouterFixture.start(dir.resolve("data"), routing("18005550194",
                     handler.hostPort()), "", "", Clock.systemUTC(), events, MessageCounters.NONE)) {
            final CarrierCall call = carrier.call(router.hostPort(), "18005550194");
            final ReceivedResponse answer = call.awaitFinal(WAIT);
            assertEquals(200, answer.status(), answer::toString);
            // Not counting copies (jain-sip-ri flags them): the router answers a copy of the INVITE
            // with its last 18x again. That the second 183 was not relayed, the counters say.
            final List<ReceivedResponse> early = call.inviteResponses().stream()
                    .filter(r -> r.status() == 183 && !r.retransmission()).toList();
            assertEquals(1, early.size(), call.inviteResponses()::toString);
            assertNull(early.get(0).header("RSeq"), early.get(0)::toString);
            assertNull(early.get(0).header("Require"), early.get(0)::toString);
            assertTrue(early.get(0).body().contains("o=reliable"), early.get(0)::toString);
            assertEquals(200, call.bye(WAIT).status());
            assertSucceeded(handler.awaitExit());
            assertEquals(1, router.server().workers().b2buaStats().provisionalsPracked);
            assertTrue(router.server().workers().b2buaStats().provisionalsDiscarded >= 1, "the 183 sent twice was taken once");
            assertEquals(List.of("carrier hung up"), events.endReasons());
            assertEquals(0, router.server().errors().total(), "internal errors");
        }
    }

    /**
     * Each early dialog has its own RSeq space (RFC 3262 4): a SIPp handler behind a forking
     * proxy sends a reliable 183 with RSeq 1 from each of two forks; the router PRACKs both
     * ({@code RAck: 1 1 INVITE}, CSeq 2, each in its fork's dialog) and drops fork A's later
     * RSeq 3 (out of order). Fork B answers, then (once acknowledged) fork A: A's late 2xx is
     * acknowledged and its dialog ended with BYE, B's dialog ended when the carrier hangs up;
     * each BYE goes on from its dialog's PRACK (CSeq 3). The plain carrier gets the two 183s.
     */
    @Test
    void eachForkHasItsOwnRseqSpace() {
        Sipp.requireInstalled();
        final RecordingEvents events = new RecordingEvents();
        try (Sipp handler = Sipp.scenario("handler_forking_reliable.xml").ports(FROM, TO).start();
             Carrier carrier = Carrier.open(Ports.free(FROM, TO));
             RouterFixture router = RouterFixture.start(dir.resolve("data"), routing("18005550199",
                     handler.hostPort()), "", "", Clock.systemUTC(), events, MessageCounters.NONE)) {
            final CarrierCall call = carrier.call(router.hostPort(), "18005550199");
            assertEquals(200, call.awaitFinal(WAIT).status());
            // The router answers a copy of the INVITE with its last 18x again: the same one.
            final List<String> early = call.inviteResponses().stream().filter(r -> r.status() == 183)
                    .map(ReceivedResponse::body).distinct().toList();
            assertEquals(2, early.size(), early::toString);
            assertTrue(early.get(0).contains("o=fork-a ") && early.get(1).contains("o=fork-b "), early::toString);
            assertEquals(200, call.bye(WAIT).status());
            assertSucceeded(handler.awaitExit());
            assertEquals(2, router.server().workers().b2buaStats().provisionalsPracked);
            assertEquals(1, router.server().workers().b2buaStats().provisionalsDiscarded);
            assertEquals(List.of("carrier hung up"), events.endReasons());
            assertEquals(0, router.server().errors().total(), "internal errors");
        }
    }

    /**
     * With {@code reliable_provisionals: off}, {@code Require: 100rel} gets 420 with
     * {@code Unsupported: 100rel} (no handler rung, a rejected record), and a carrier that only
     * supports it gets a plain 183, while handlers are not offered it.
     */
    @Test
    void offRefusesRequireAndIgnoresSupported() {
        final RecordingEvents events = new RecordingEvents();
        try (Handler handler = Handler.open(Ports.free(FROM, TO))
                     .behaviour(new Behaviour(false, true, Duration.ofMillis(200), 200, null));
             Carrier carrier = Carrier.open(Ports.free(FROM, TO));
             RawUdpPeer raw = RawUdpPeer.open(Ports.free(FROM, TO));
             RouterFixture router = RouterFixture.start(dir.resolve("data"),
                     routing("18005550195", "127.0.0.1:" + handler.port()), "    reliable_provisionals: off\n", "",
                     Clock.systemUTC(), events, MessageCounters.NONE)) {
            raw.send(new InetSocketAddress(Ports.LOOPBACK, router.port()), String.join("\r\n",
                    "INVITE sip:18005550195@127.0.0.1:" + router.port() + " SIP/2.0",
                    "Via: SIP/2.0/UDP 127.0.0.1:" + raw.port() + ";branch=z9hG4bKrequire100rel",
                    "From: <sip:+14155550177@127.0.0.1>;tag=r1",
                    "To: <sip:18005550195@127.0.0.1>",
                    "Call-ID: require-100rel-off",
                    "CSeq: 1 INVITE",
                    "Contact: <sip:caller@127.0.0.1:" + raw.port() + ">",
                    "Max-Forwards: 70",
                    "Require: 100rel",
                    "Content-Length: 0", "", ""));
            final String refused = raw.receive(WAIT).orElseThrow(() -> new AssertionError("no answer")).text();
            assertTrue(refused.startsWith("SIP/2.0 420 "), refused);
            assertTrue(refused.contains("\r\nUnsupported: 100rel\r\n"), refused);
            assertEquals(0, handler.inviteCount(), "no handler was rung");

            final CarrierCall call = carrier.call(router.hostPort(), "18005550195", Carrier.nextCallerNumber(),
                    Map.of("Supported", "100rel"));
            assertEquals(200, call.awaitFinal(WAIT).status());
            final ReceivedResponse early = call.awaitStatus(183, WAIT);
            assertNull(early.header("RSeq"), early::toString);
            final ReceivedRequest invite = handler.awaitInvites(1, WAIT).get(0);
            assertFalse(invite.headers().all("Supported").contains("100rel"), invite.headers().toString());
            assertEquals(200, call.bye(WAIT).status());
            assertEquals(List.of("Bad Extension", "carrier hung up"), events.endReasons());
            assertEquals(0, router.server().errors().total(), "internal errors");
        }
    }

    /**
     * The carrier's PRACKs, each answered by the router: one whose RAck matches nothing gets 481;
     * one that matches but carries SDP while the handler's 183 was not reliable (no PRACK to
     * the handler could carry it) gets 488 with a Reason, and still stops the retransmissions,
     * so the handler's 200, held meanwhile, goes out next. A raw UDP carrier, to send exactly
     * these PRACKs.
     */
    @Test
    void prackMatchingNothingIs481AndAnOfferItCannotRelayIs488() {
        final RecordingEvents events = new RecordingEvents();
        try (Handler handler = Handler.open(Ports.free(FROM, TO))
                     .behaviour(new Behaviour(false, true, Duration.ofSeconds(1), 200, null));
             RawUdpPeer raw = RawUdpPeer.open(Ports.free(FROM, TO));
             RouterFixture router = RouterFixture.start(dir.resolve("data"),
                     routing("18005550197", "127.0.0.1:" + handler.port()), "", "", Clock.systemUTC(), events,
                     MessageCounters.NONE)) {
            final InetSocketAddress to = new InetSocketAddress(Ports.LOOPBACK, router.port());
            final String sdp = "v=0\r\no=raw 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                    + "m=audio 4000 RTP/AVP 0\r\n";
            raw.send(to, rawRequest("INVITE sip:18005550197@127.0.0.1:" + router.port(), raw.port(), "raw1", "",
                    "1 INVITE", List.of("Contact: <sip:caller@127.0.0.1:" + raw.port() + ">", "Supported: 100rel"),
                    sdp));
            final String early = awaitResponse(raw, "183", "INVITE");
            final String rseq = headerOf(early, "RSeq");
            final String tag = headerOf(early, "To").replaceAll(".*;tag=", "");
            final String uri = "PRACK sip:18005550197@127.0.0.1:" + router.port();
            raw.send(to, rawRequest(uri, raw.port(), "raw2", tag, "2 PRACK",
                    List.of("RAck: " + (Long.parseLong(rseq) + 7) + " 1 INVITE"), ""));
            assertTrue(awaitResponse(raw, "481", "PRACK").contains("matches no unacknowledged"));
            raw.send(to, rawRequest(uri, raw.port(), "raw3", tag, "3 PRACK", List.of("RAck: " + rseq + " 1 INVITE"),
                    sdp));
            final String refused = awaitResponse(raw, "488", "PRACK");
            assertTrue(refused.contains("Reason: SIP;cause=488;text=\"an offer or answer in PRACK"), refused);
            final String answer;
            try {
                answer = awaitResponse(raw, "200", "INVITE");
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; handler saw " + handler.requests() + ", events "
                        + events.lines(), e);
            }
            assertTrue(answer.contains("\r\n\r\nv=0"), answer);
            raw.send(to, rawRequest("ACK sip:18005550197@127.0.0.1:" + router.port(), raw.port(), "raw4", tag,
                    "1 ACK", List.of(), ""));
            raw.send(to, rawRequest("BYE sip:18005550197@127.0.0.1:" + router.port(), raw.port(), "raw5", tag,
                    "4 BYE", List.of(), ""));
            awaitResponse(raw, "200", "BYE");
            assertEquals(List.of("carrier hung up"), events.endReasons());
            assertEquals(0, router.server().errors().total(), "internal errors");
        }
    }

    /**
     * One reliable 18x unacknowledged at a time (RFC 3262 3): a SIPp handler's burst of plain
     * 180, 182, 183 with SDP reaches a raw carrier requiring 100rel as the 180 (its copies
     * meanwhile all with the same RSeq), then, after its PRACK, the 183 with the next RSeq and
     * the SDP: the waiting 182 was dropped for the newer 183. After the 183's PRACK, the
     * handler's 200.
     */
    @Test
    void laterProvisionalsWaitForThePrackAndABodylessOneIsReplaced() {
        Sipp.requireInstalled();
        final RecordingEvents events = new RecordingEvents();
        try (Sipp handler = Sipp.scenario("handler_progress_burst.xml").ports(FROM, TO).start();
             RawUdpPeer raw = RawUdpPeer.open(Ports.free(FROM, TO));
             RouterFixture router = RouterFixture.start(dir.resolve("data"), routing("18005550198",
                     handler.hostPort()), "", "", Clock.systemUTC(), events, MessageCounters.NONE)) {
            final InetSocketAddress to = new InetSocketAddress(Ports.LOOPBACK, router.port());
            raw.send(to, rawRequest("INVITE sip:18005550198@127.0.0.1:" + router.port(), raw.port(), "seq1", "",
                    "1 INVITE", List.of("Contact: <sip:caller@127.0.0.1:" + raw.port() + ">", "Require: 100rel"),
                    "v=0\r\no=raw 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                            + "m=audio 4000 RTP/AVP 0\r\n"));
            final String ringing = awaitResponse(raw, "180", "INVITE");
            assertEquals("100rel", headerOf(ringing, "Require"));
            final long rseq = Long.parseLong(headerOf(ringing, "RSeq"));
            final String tag = headerOf(ringing, "To").replaceAll(".*;tag=", "");
            // Half a second of the router's retransmissions: each the same 180 (T1 is 100 ms).
            final long until = System.nanoTime() + Duration.ofMillis(500).toNanos();
            while (System.nanoTime() < until) {
                final var copy = raw.receive(Duration.ofMillis(200));
                if (copy.isPresent() && !copy.get().text().startsWith("SIP/2.0 100 ")) {
                    assertEquals(ringing, copy.get().text(), "nothing but copies of the first 180 before its PRACK");
                }
            }
            final String uri = "PRACK sip:18005550198@127.0.0.1:" + router.port();
            raw.send(to, rawRequest(uri, raw.port(), "seq2", tag, "2 PRACK", List.of("RAck: " + rseq + " 1 INVITE"),
                    ""));
            awaitResponse(raw, "200", "PRACK");
            final String progress = awaitNextProvisional(raw, ringing);
            assertTrue(progress.startsWith("SIP/2.0 183 "), progress);
            assertEquals(Long.toString(rseq + 1), headerOf(progress, "RSeq"));
            assertTrue(progress.contains("o=progress 53655765 1 "), progress);
            raw.send(to, rawRequest(uri, raw.port(), "seq3", tag, "3 PRACK",
                    List.of("RAck: " + (rseq + 1) + " 1 INVITE"), ""));
            awaitResponse(raw, "200", "PRACK");
            final String answer = awaitResponse(raw, "200", "INVITE");
            assertTrue(answer.contains("o=progress 53655765 2 "), answer);
            raw.send(to, rawRequest("ACK sip:18005550198@127.0.0.1:" + router.port(), raw.port(), "seq4", tag,
                    "1 ACK", List.of(), ""));
            raw.send(to, rawRequest("BYE sip:18005550198@127.0.0.1:" + router.port(), raw.port(), "seq5", tag,
                    "4 BYE", List.of(), ""));
            awaitResponse(raw, "200", "BYE");
            assertSucceeded(handler.awaitExit());
            assertEquals(List.of("carrier hung up"), events.endReasons());
            assertEquals(0, router.server().errors().total(), "internal errors");
        }
    }

    /** The next 18x to the INVITE that is not a copy of {@code previous}. */
    private static String awaitNextProvisional(RawUdpPeer raw, String previous) {
        while (true) {
            final String text = raw.receive(WAIT).orElseThrow(() -> new AssertionError("no further 18x")).text();
            if (text.startsWith("SIP/2.0 18") && !text.equals(previous)) {
                return text;
            }
        }
    }

    private static String rawRequest(String requestLine, int port, String branch, String toTag, String cseq,
                                     List<String> extra, String body) {
        final StringBuilder sb = new StringBuilder(requestLine).append(" SIP/2.0\r\n")
                .append("Via: SIP/2.0/UDP 127.0.0.1:").append(port).append(";branch=z9hG4bK").append(branch)
                .append("\r\n")
                .append("From: <sip:+14155550197@127.0.0.1>;tag=raw\r\n")
                .append("To: <sip:18005550197@127.0.0.1>").append(toTag.isEmpty() ? "" : ";tag=" + toTag)
                .append("\r\n")
                .append("Call-ID: raw-prack-call\r\nCSeq: ").append(cseq).append("\r\nMax-Forwards: 70\r\n");
        extra.forEach(line -> sb.append(line).append("\r\n"));
        if (!body.isEmpty()) {
            sb.append("Content-Type: application/sdp\r\n");
        }
        return sb.append("Content-Length: ").append(body.length()).append("\r\n\r\n").append(body).toString();
    }

    /** The first response with {@code status} to {@code method}, skipping the others (retransmitted 183s...). */
    private static String awaitResponse(RawUdpPeer raw, String status, String method) {
        final List<String> skipped = new java.util.ArrayList<>();
        while (true) {
            final String text = raw.receive(WAIT).orElseThrow(() -> new AssertionError("no " + status + " to " + method
                    + "; received meanwhile: " + skipped)).text();
            if (text.startsWith("SIP/2.0 " + status + " ") && headerOf(text, "CSeq").endsWith(" " + method)) {
                return text;
            }
            skipped.add(text.substring(0, text.indexOf('\r')) + " (" + headerOf(text, "CSeq") + ")");
        }
    }

    private static String headerOf(String message, String name) {
        for (String line : message.split("\r\n")) {
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                return line.substring(name.length() + 1).trim();
            }
        }
        throw new AssertionError("no " + name + " in " + message);
    }

    private static void assertSucceeded(SippResult result) {
        assertEquals(0, result.exitCode(), result::toString);
        assertEquals(1, result.successfulCalls(), result::toString);
    }
}
