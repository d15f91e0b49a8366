package org.callrouter.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

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
 * Session timers (RFC 4028) through a real router on loopback, each leg negotiated on its own
 * (server README, "Carrier interop"): SIPp carriers asking for a timer and SIPp or jain-sip-ri
 * handlers granting one. Ports 46800-46999.
 */
class SessionTimerIntegrationTest {

    private static final int FROM = 46800;
    private static final int TO = 46999;
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** The 90 s sessions end about 61 s in; SIPp gets this long before it gives up. */
    private static final Duration EXPIRY_RUN = Duration.ofSeconds(150);
    private static final String SESSION_TIMER = """
                session_timer: { session_expires_seconds: 90, min_se_seconds: 90 }
            """;

    @TempDir
    Path dir;

    /**
     * A 90 s session on both legs. Call 1: the carrier refreshes once (UPDATE) and then never
     * again; the router refreshes the handler's leg at 45 s (the handler answers 200); the
     * carrier's leg expires at 90 - min(32, 90/3) = 60 s after its refresh: BYE on both legs.
     * Call 2 (at the same time): the carrier's leg is long (1800 s), the handler answers the
     * router's refresh 481: BYE on both legs at once. Both records say the session expired.
     * Call 3 (also at the same time): its handler does not allow UPDATE, so the router's refresh
     * at 45 s is a re-INVITE offering the carrier's SDP again; the handler answers it, then
     * hangs up.
     */
    @Test
    void anUnrefreshedOrRefusedSessionEndsBothLegs() {
        Sipp.requireInstalled();
        final RecordingEvents events = new RecordingEvents();
        try (Sipp quiet = Sipp.scenario("timer_handler.xml").ports(FROM, TO).timeout(EXPIRY_RUN).start();
             Sipp gone = Sipp.scenario("timer_handler_gone.xml").ports(FROM, TO).timeout(EXPIRY_RUN).start();
             Sipp noUpdate = Sipp.scenario("timer_handler_reinvite.xml").ports(FROM, TO).timeout(EXPIRY_RUN).start();
             RouterFixture router = RouterFixture.start(dir.resolve("data"), """
                     sources:
                       - id: trunk
                     handlers:
                       - { id: quiet, uri: "sip:%s", timeout_seconds: 5 }
                       - { id: gone, uri: "sip:%s", timeout_seconds: 5 }
                       - { id: no-update, uri: "sip:%s", timeout_seconds: 5 }
                     campaigns:
                       - { id: c1, handlers: [quiet] }
                       - { id: c2, handlers: [gone] }
                       - { id: c3, handlers: [no-update] }
                     numbers:
                       - { number: "+18005550181", campaign: c1, source: trunk }
                       - { number: "+18005550182", campaign: c2, source: trunk }
                       - { number: "+18005550185", campaign: c3, source: trunk }
                     """.formatted(quiet.hostPort(), gone.hostPort(), noUpdate.hostPort()), SESSION_TIMER, "", Clock.systemUTC(), events,
                     MessageCounters.NONE);
             Sipp stopsRefreshing = Sipp.scenario("timer_carrier.xml").ports(FROM, TO).remote(router.hostPort())
                     .service("18005550181").timeout(EXPIRY_RUN).args("-set", "se", "90").start();
             Sipp longSession = Sipp.scenario("timer_carrier.xml").ports(FROM, TO).remote(router.hostPort())
                     .service("18005550182").timeout(EXPIRY_RUN).args("-set", "se", "1800").start();
             Sipp refreshedByReinvite = Sipp.scenario("timer_carrier.xml").ports(FROM, TO).remote(router.hostPort())
                     .service("18005550185").timeout(EXPIRY_RUN).args("-set", "se", "1800").start()) {
            assertSucceeded(longSession.awaitExit());
            assertSucceeded(gone.awaitExit());
            assertSucceeded(stopsRefreshing.awaitExit());
            assertSucceeded(quiet.awaitExit());
            assertSucceeded(noUpdate.awaitExit());
            assertSucceeded(refreshedByReinvite.awaitExit());
            final List<String> reasons = events.endReasons();
            assertEquals(3, reasons.size(), reasons::toString);
            assertTrue(reasons.contains("handler hung up"), reasons::toString);
            assertTrue(reasons.contains("session expired: handler answered 481 to the session refresh"),
                    reasons::toString);
            assertTrue(reasons.contains("session expired: carrier did not refresh the session within 90 s"),
                    reasons::toString);
            assertEquals(3, events.lines().stream().filter("ended completed 200"::equals).count(),
                    events.lines()::toString);
            assertEquals(2, router.server().workers().b2buaStats().sessionsExpired);
            assertEquals(0, router.server().errors().total(), "internal errors");
        }
    }

    /**
     * With the default settings (1800 s, Min-SE 90), the carrier's re-INVITE is relayed to the
     * handler (offered 1800 s; a plain jain-sip-ri UA, it granted no timer, so its leg has none
     * and the re-INVITE carries none); the body-less UPDATE only
     * refreshes the carrier's leg and is answered by the router. Each 2xx carries the grant
     * (the SIPp scenario checks it).
     */
    @Test
    void refreshesFromTheCarrierAreRelayedOrAnswered() {
        Sipp.requireInstalled();
        final RecordingEvents events = new RecordingEvents();
        try (Handler handler = Handler.open(Ports.free(FROM, TO)).behaviour(Behaviour.answer());
             RouterFixture router = RouterFixture.start(dir.resolve("data"), """
                     sources:
                       - id: trunk
                     handlers:
                       - { id: buyer, uri: "sip:127.0.0.1:%d", timeout_seconds: 5 }
                     campaigns:
                       - { id: c, handlers: [buyer] }
                     numbers:
                       - { number: "+18005550183", campaign: c, source: trunk }
                     """.formatted(handler.port()), "", "", Clock.systemUTC(), events,
                     MessageCounters.NONE);
             Sipp carrier = Sipp.scenario("timer_carrier_reinvite.xml").ports(FROM, TO).remote(router.hostPort())
                     .service("18005550183").start()) {
            assertSucceeded(carrier.awaitExit());
            final ReceivedRequest invite = handler.awaitInvites(1, WAIT).get(0);
            assertEquals("1800", invite.header("Session-Expires"), invite.headers().toString());
            assertEquals("90", invite.header("Min-SE"));
            assertTrue(invite.headers().all("Supported").contains("timer"), invite.headers().toString());
            final List<ReceivedRequest> reinvites = handler.requests().stream()
                    .filter(r -> r.method().equals("INVITE") && r.inDialog()).toList();
            assertEquals(1, reinvites.size(), handler.requests()::toString);
            assertTrue(reinvites.get(0).body().contains("o=user1 53655765 2 "), reinvites.get(0).body());
            assertEquals(0, handler.requests().stream().filter(r -> r.method().equals("UPDATE")).count(),
                    "the UPDATE only refreshed the carrier's leg");
            handler.awaitRequest("BYE", WAIT);
            assertEquals(List.of("carrier hung up"), events.endReasons());
            assertEquals(0, router.server().errors().total(), "internal errors");
        }
    }

    /**
     * Session-Expires below our Min-SE is refused with 422 and our Min-SE (RFC 4028 9), before
     * any handler is rung; a malformed one is a 400 with the parser's reason. Both are recorded
     * as rejected.
     */
    @Test
    void tooShortOrMalformedIntervalsAreRefused() {
        final RecordingEvents events = new RecordingEvents();
        try (Handler handler = Handler.open(Ports.free(FROM, TO));
             Carrier carrier = Carrier.open(Ports.free(FROM, TO));
             RawUdpPeer raw = RawUdpPeer.open(Ports.free(FROM, TO));
             RouterFixture router = RouterFixture.start(dir.resolve("data"), """
                     sources:
                       - id: trunk
                     handlers:
                       - { id: buyer, uri: "sip:127.0.0.1:%d", timeout_seconds: 5 }
                     campaigns:
                       - { id: c, handlers: [buyer] }
                     numbers:
                       - { number: "+18005550184", campaign: c, source: trunk }
                     """.formatted(handler.port()), SESSION_TIMER, "", Clock.systemUTC(), events,
                     MessageCounters.NONE)) {
            final CarrierCall tooShort = carrier.call(router.hostPort(), "18005550184", Carrier.nextCallerNumber(),
                    Map.of("Session-Expires", "60;refresher=uac", "Supported", "timer", "Min-SE", "60"));
            final ReceivedResponse refused = tooShort.awaitFinal(WAIT);
            assertEquals(422, refused.status(), refused::toString);
            assertEquals("90", refused.header("Min-SE"));
            // jain-sip-ri will not send a malformed Session-Expires: a datagram of our own.
            final String bad = finalAnswer(raw, String.join("\r\n",
                    "INVITE sip:18005550184@127.0.0.1:" + router.port() + " SIP/2.0",
                    "Via: SIP/2.0/UDP 127.0.0.1:" + raw.port() + ";branch=z9hG4bKsession1",
                    "From: <sip:+14155550177@127.0.0.1>;tag=s1",
                    "To: <sip:18005550184@127.0.0.1>",
                    "Call-ID: malformed-session-expires",
                    "CSeq: 1 INVITE",
                    "Contact: <sip:caller@127.0.0.1:" + raw.port() + ">",
                    "Max-Forwards: 70",
                    "Session-Expires: soon",
                    "Content-Length: 0", "", ""), router.port());
            assertTrue(bad.startsWith("SIP/2.0 400 "), bad);
            assertEquals(0, handler.inviteCount(), "no handler was rung");
            assertEquals(List.of("Session-Expires 60 is below our Min-SE 90", "Malformed Session-Expires"),
                    events.endReasons());
            assertEquals(0, router.server().errors().total(), "internal errors");
        }
    }

    /**
     * A handler's 422 (RFC 4028 7.3): the router sends the INVITE once more, CSeq 2, with the
     * handler's Min-SE (120) as its Session-Expires and Min-SE (the SIPp scenario checks them);
     * the handler answers without a timer and the call goes on as usual.
     */
    @Test
    void aHandlers422IsRetriedWithItsMinSe() {
        Sipp.requireInstalled();
        final RecordingEvents events = new RecordingEvents();
        try (Sipp handler = Sipp.scenario("timer_handler_422.xml").ports(FROM, TO).start();
             Carrier carrier = Carrier.open(Ports.free(FROM, TO));
             RouterFixture router = RouterFixture.start(dir.resolve("data"), """
                     sources:
                       - id: trunk
                     handlers:
                       - { id: picky, uri: "sip:%s", timeout_seconds: 5 }
                     campaigns:
                       - { id: c, handlers: [picky] }
                     numbers:
                       - { number: "+18005550186", campaign: c, source: trunk }
                     """.formatted(handler.hostPort()), SESSION_TIMER, "", Clock.systemUTC(), events,
                     MessageCounters.NONE)) {
            final CarrierCall call = carrier.call(router.hostPort(), "18005550186");
            final ReceivedResponse answer = call.awaitFinal(WAIT);
            assertEquals(200, answer.status(), answer::toString);
            assertEquals(null, answer.header("Session-Expires"), "the carrier asked for no timer");
            assertEquals(200, call.bye(WAIT).status());
            assertSucceeded(handler.awaitExit());
            assertEquals(List.of("carrier hung up"), events.endReasons());
            assertEquals(0, router.server().errors().total(), "internal errors");
        }
    }

    /** Sends {@code request} to the router and returns its first final answer's text. */
    private static String finalAnswer(RawUdpPeer raw, String request, int routerPort) {
        raw.send(new InetSocketAddress(Ports.LOOPBACK, routerPort), request);
        while (true) {
            final String answer = raw.receive(WAIT).orElseThrow(() -> new AssertionError("no answer to " + request))
                    .text();
            if (!answer.startsWith("SIP/2.0 1")) {
                return answer;
            }
        }
    }

    private static void assertSucceeded(SippResult result) {
        assertEquals(0, result.exitCode(), result::toString);
        assertEquals(1, result.successfulCalls(), result::toString);
    }
}
