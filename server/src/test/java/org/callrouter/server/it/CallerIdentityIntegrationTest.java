package org.callrouter.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.callrouter.server.sipua.Behaviour;
import org.callrouter.server.sipua.Carrier;
import org.callrouter.server.sipua.CarrierCall;
import org.callrouter.server.sipua.Handler;
import org.callrouter.server.sipua.Ports;
import org.callrouter.server.sipua.ReceivedRequest;
import org.callrouter.server.transaction.MessageCounters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Caller identity from a carrier through a real router (issue 15 item 4): jain-sip-ri carrier and
 * handler on loopback, the carrier sending P-Asserted-Identity, Privacy, Diversion and
 * History-Info as trunks do. Ports 47000-47199.
 */
class CallerIdentityIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String PASS = "18005550100";
    private static final String HIDE = "18005550101";

    @TempDir
    Path dir;

    private static String routing(int handlerPort) {
        return """
                sources:
                  - id: trunk
                handlers:
                  - { id: buyer, uri: "sip:127.0.0.1:%d", timeout_seconds: 5 }
                campaigns:
                  - id: passes
                    handlers: [buyer]
                    pass_diversion: true
                  - id: hides
                    handlers: [buyer]
                numbers:
                  - { number: "+%s", campaign: passes, source: trunk }
                  - { number: "+%s", campaign: hides, source: trunk }
                """.formatted(handlerPort, PASS, HIDE);
    }

    private final RecordingEvents events = new RecordingEvents();
    private Handler handler;
    private Carrier carrier;
    private RouterFixture router;

    /** A handler that answers, a carrier, and a router believing assertions from {@code assertedFrom}. */
    private void start(String assertedFrom) {
        handler = Handler.open(Ports.free(47000, 47199));
        carrier = Carrier.open(Ports.free(47000, 47199));
        handler.behaviour(Behaviour.answer());
        router = RouterFixture.start(dir.resolve("data"), routing(handler.port()), """
                    identity:
                      caller_from: [p_asserted_identity, remote_party_id, from]
                      asserted_from: ["%s"]
                """.formatted(assertedFrom), "", Clock.systemUTC(), events, MessageCounters.NONE);
    }

    @AfterEach
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {router, carrier, handler}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private ReceivedRequest callAndHangUp(String dialed, String caller, Map<String, String> headers) {
        final int before = handler.inviteCount();
        final CarrierCall call = carrier.call(router.hostPort(), dialed, caller, headers);
        assertEquals(200, call.awaitFinal(WAIT).status());
        final ReceivedRequest invite = handler.awaitInvites(before + 1, WAIT).get(before);
        assertEquals(200, call.bye(WAIT).status());
        return invite;
    }

    @Test
    void anAssertedIdentityFromATrustedCarrierIsTheCaller() {
        start("127.0.0.1/32");
        final ReceivedRequest invite = callAndHangUp(PASS, "anonymous",
                Map.of("P-Asserted-Identity", "\"Pat\" <tel:+14155550124>"));
        assertEquals("+14155550124", invite.fromUser(), "the asserted number reaches the handler");
        assertEquals("+14155550124", events.received().get(0).caller(), "and the record");
        assertNull(invite.header("P-Asserted-Identity"), "the assertion itself stays in the trust domain");
        assertTrue(carrier.errors().isEmpty(), carrier.errors()::toString);
    }

    @Test
    void remotePartyIdWithPrivacyFullIsTheHiddenCaller() {
        start("127.0.0.1/32");
        final ReceivedRequest invite = callAndHangUp(PASS, "anonymous",
                Map.of("Remote-Party-ID", "<sip:+14155550177@127.0.0.1>;party=calling;privacy=full;screen=yes"));
        assertEquals("anonymous", invite.fromUser(), "privacy=full");
        assertNull(invite.header("Remote-Party-ID"));
        final RecordingEvents.Received record = events.received().get(0);
        assertEquals("+14155550177", record.caller());
        assertEquals("id", record.tags().get("caller_privacy"));
    }

    @Test
    void anAssertionFromASourceOutsideAssertedFromIsIgnored() {
        start("10.0.0.0/8");
        final ReceivedRequest invite = callAndHangUp(PASS, "+14155550100",
                Map.of("P-Asserted-Identity", "<tel:+19995550000>"));
        assertEquals("+14155550100", invite.fromUser(), "From, not the untrusted assertion");
        assertEquals("+14155550100", events.received().get(0).caller());
    }

    @Test
    void privacyIdKeepsTheNumberFromTheHandler() {
        start("127.0.0.1/32");
        final ReceivedRequest invite = callAndHangUp(PASS, "+14155550155",
                Map.of("Privacy", "id"));
        assertEquals("anonymous", invite.fromUser());
        assertTrue(invite.header("From").contains("anonymous.invalid"), invite.header("From"));
        assertFalse(invite.headers().toString().contains("4155550155"), "no header carries the number: "
                + invite.headers());
        final RecordingEvents.Received record = events.received().get(0);
        assertEquals("+14155550155", record.caller(), "the router still knows the caller (caps, repeat callers)");
        assertEquals("id", record.tags().get("caller_privacy"));
    }

    @Test
    void diversionIsTaggedAndPassedOnlyWhereTheCampaignAllows() {
        final Map<String, String> diverted = Map.of(
                "Diversion", "<sip:+18005550199@127.0.0.1>;reason=no-answer;counter=1",
                "History-Info", "<sip:+18005550199@127.0.0.1>;index=1, <sip:+18005550100@127.0.0.1;cause=408>;index=1.1");
        start("127.0.0.1/32");
        final ReceivedRequest passed = callAndHangUp(PASS, "+14155550166", diverted);
        assertTrue(passed.header("Diversion").contains("+18005550199"), "pass_diversion: " + passed.headers());
        assertTrue(passed.headers().has("History-Info"), passed.headers().toString());

        final ReceivedRequest hidden = callAndHangUp(HIDE, "+14155550166", diverted);
        assertNull(hidden.header("Diversion"), "hidden without pass_diversion");
        assertNull(hidden.header("History-Info"));

        for (RecordingEvents.Received record : events.received()) {
            assertEquals("+18005550199", record.tags().get("diverted_from"), record.tags().toString());
            assertEquals("no-answer", record.tags().get("diversion_reason"));
        }
        assertEquals(2, events.received().size());
    }
}
