package org.callrouter.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.callrouter.server.Await;
import org.callrouter.server.sipua.Behaviour;
import org.callrouter.server.sipua.Carrier;
import org.callrouter.server.sipua.CarrierCall;
import org.callrouter.server.sipua.Handler;
import org.callrouter.server.sipua.Ports;
import org.callrouter.server.sipua.RawUdpPeer;
import org.callrouter.server.sipua.ReceivedResponse;
import org.callrouter.server.transaction.MessageCounters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 items 7 and 11: whatever throws on a call's path (a Chronicle store that refuses an
 * operation, an {@code Error} from the stores) ends both legs cleanly, gives the caps back, writes
 * a {@code failed} record with the reason, is logged once per kind, and the SIP loop goes on.
 *
 * <p>The store failures are real: the running router's caller index (a real Chronicle Map) is
 * closed under it ({@link org.callrouter.routing.Router#closeCallerIndex}, a test seam), so the
 * step that writes it throws Chronicle's {@code ChronicleHashClosedException}. A full index is no
 * failure to inject: it no longer throws (the caller is just not remembered). The other failures
 * are a malformed 180 relayed to the carrier, and call events that throw at the answer.
 */
class CallFailureIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private Handler handler;
    private Carrier carrier;
    private RouterFixture router;
    private final RecordingEvents recorded = new RecordingEvents();

    @BeforeEach
    void peers() {
        handler = Handler.open(Ports.free(45000, 45999));
        carrier = Carrier.open(Ports.free(45000, 45999));
    }

    @AfterEach
    void close() {
        if (router != null) {
            router.close();
        }
        if (handler != null) {
            handler.close();
        }
        if (carrier != null) {
            carrier.close();
        }
    }

    /**
     * One handler capped at one live call, shared by four campaigns: {@code 0100} remembers
     * repeat callers (the caller index is written at the answer), {@code 0101} touches no store,
     * {@code 0102} converts by talk time with a dedupe window (written at the end),
     * {@code 0103} converts on the attempt with a dedupe window (written when the handler is
     * reserved).
     */
    private String routing() {
        return routing(handler.uri());
    }

    private static String routing(String handlerUri) {
        return """
                sources:
                  - id: web
                handlers:
                  - { id: only, uri: "%s", caps: { concurrency: 1 } }
                campaigns:
                  - id: repeat
                    handlers: [only]
                    repeat_callers: { window: 7d, route: any }
                  - id: plain
                    handlers: [only]
                  - id: timed
                    handlers: [only]
                    conversion: { handler: { type: timer, seconds: 1, revenue: 1, dedupe: 1h } }
                  - id: attempt
                    handlers: [only]
                    conversion: { source: { type: attempt, payout: 1, dedupe: 1h } }
                numbers:
                  - { number: "+18005550100", campaign: repeat, source: web }
                  - { number: "+18005550101", campaign: plain, source: web }
                  - { number: "+18005550102", campaign: timed, source: web }
                  - { number: "+18005550103", campaign: attempt, source: web }
                """.formatted(handlerUri);
    }

    private void startRouter(Path dataDir, org.callrouter.server.records.CallEvents events) {
        router = RouterFixture.start(dataDir, routing(), "", "", Clock.systemUTC(), events, MessageCounters.NONE);
    }

    /**
     * Closes the running router's caller index, so the next step that writes it throws
     * {@code ChronicleHashClosedException}. The purge that runs at start is awaited first: a purge
     * of the closed index would be an internal error of its own.
     */
    private void closeCallerIndex() {
        Await.until(WAIT, () -> router.server().callerPurge().purges() >= 1, () -> "the purge at start");
        router.server().router().closeCallerIndex();
    }

    /** The record's reason is Chronicle's own: the type and message of the closed map's refusal. */
    private static void assertClosedIndexReason(String reason) {
        assertTrue(reason.startsWith("internal error: ChronicleHashClosedException: "), reason);
        assertTrue(reason.endsWith(" closed"), "the record says why: " + reason);
    }

    /** The carrier gets a 503 with a Reason, the handler that answered a BYE, the record says failed. */
    private void assertFailedAfterAnswer(CarrierCall call, int byesSoFar) {
        final ReceivedResponse answer = call.awaitFinal(WAIT);
        assertEquals(503, answer.status(), "the carrier gets a final answer");
        assertTrue(answer.header("Reason").contains("internal error"), answer.header("Reason"));
        assertTrue(answer.header("Retry-After") != null, "503 says when to retry");
        handler.awaitRequests("BYE", byesSoFar + 1, WAIT);
    }

    private void awaitRecord(int count) {
        Await.until(WAIT, () -> recorded.endReasons().size() >= count, () -> recorded.lines().toString());
    }

    private void assertNoLiveCalls() {
        Await.until(WAIT, () -> router.server().workers().b2buaStats().activeCalls == 0,
                () -> "active calls: " + router.server().workers().b2buaStats().activeCalls);
        assertEquals(0, router.server().workers().b2buaStats().pendingCalls, "pending calls");
    }

    /** A call that must go through: answered, hung up by the carrier, the handler gets the BYE. */
    private void completeCall(String dialed, int byesSoFar) {
        final CarrierCall call = carrier.call(router.hostPort(), dialed);
        assertEquals(200, call.awaitFinal(WAIT).status(), "the capped handler takes the next call: " + recorded.lines());
        assertEquals(200, call.bye(WAIT).status());
        handler.awaitRequests("BYE", byesSoFar + 1, WAIT);
    }

    @Test
    void aStoreThatThrowsAfterTheAnswerEndsBothLegs() {
        startRouter(dir.resolve("data"), recorded);
        handler.behaviour(Behaviour.answer());
        // Routing a campaign whose repeat callers may go to any handler reads no caller index.
        closeCallerIndex();

        // The handler answers; remembering the repeat caller writes the closed index.
        assertFailedAfterAnswer(carrier.call(router.hostPort(), "18005550100"), 0);
        awaitRecord(1);
        assertTrue(recorded.lines().contains("ended failed 503"), recorded.lines().toString());
        assertClosedIndexReason(recorded.endReasons().get(0));
        assertEquals(1, router.server().errors().total(), "internal errors");
        assertNoLiveCalls();

        completeCall("18005550101", 1);
        assertEquals(2, handler.inviteCount());
        assertNoLiveCalls();
    }

    @Test
    void aStoreThatThrowsAtTheEndStillWritesTheRecordAndGivesTheCapBack() throws InterruptedException {
        startRouter(dir.resolve("data"), recorded);
        handler.behaviour(Behaviour.answer());

        final CarrierCall call = carrier.call(router.hostPort(), "18005550102");
        assertEquals(200, call.awaitFinal(WAIT).status());
        // The index closes while the call talks: nothing of the call so far needed it.
        closeCallerIndex();
        // Talk past the one-second timer, so the end converts and writes the closed caller index.
        Thread.sleep(1100);
        assertEquals(200, call.bye(WAIT).status());
        handler.awaitRequests("BYE", 1, WAIT);
        awaitRecord(1);
        assertTrue(recorded.lines().contains("ended failed 200"), recorded.lines().toString());
        assertClosedIndexReason(recorded.endReasons().get(0));
        assertEquals(1, router.server().errors().total(), "internal errors");
        assertNoLiveCalls();

        completeCall("18005550101", 1);
        assertNoLiveCalls();
    }

    @Test
    void aStoreThatThrowsWhenTheHandlerIsReservedGivesTheSlotBack() {
        startRouter(dir.resolve("data"), recorded);
        handler.behaviour(Behaviour.answer());
        closeCallerIndex();

        // The attempt conversion's dedupe is written when the handler is reserved: it throws.
        final ReceivedResponse refused = carrier.call(router.hostPort(), "18005550103").awaitFinal(WAIT);
        assertEquals(503, refused.status());
        assertTrue(refused.header("Reason").contains("internal error"), refused.header("Reason"));
        awaitRecord(1);
        assertTrue(recorded.lines().contains("ended failed 503"), recorded.lines().toString());
        assertClosedIndexReason(recorded.endReasons().get(0));
        assertEquals(1, router.server().errors().total(), "internal errors");
        assertEquals(0, handler.inviteCount(), "no leg was started");
        assertNoLiveCalls();

        completeCall("18005550101", 0);
        assertNoLiveCalls();
    }

    @Test
    void aFailureWhileAHandlerRingsCancelsIt() {
        try (RawUdpPeer ringing = RawUdpPeer.open(Ports.free(45000, 45999))) {
            router = RouterFixture.start(dir.resolve("data"), routing("sip:127.0.0.1:" + ringing.port()), "", "",
                    Clock.systemUTC(), recorded, MessageCounters.NONE);
            final CarrierCall call = carrier.call(router.hostPort(), "18005550101");
            final String invite = awaitRequest(ringing, "INVITE");
            // A 180 with a body and no Content-Type: relaying it to the carrier throws.
            ringing.send(new InetSocketAddress("127.0.0.1", router.port()), "SIP/2.0 180 Ringing\r\n"
                    + "Via: " + header(invite, "Via") + "\r\n"
                    + "From: " + header(invite, "From") + "\r\n"
                    + "To: " + header(invite, "To") + ";tag=r1\r\n"
                    + "Call-ID: " + header(invite, "Call-ID") + "\r\n"
                    + "CSeq: " + header(invite, "CSeq") + "\r\n"
                    + "Content-Length: 4\r\n\r\noops");
            final String cancel = awaitRequest(ringing, "CANCEL");
            assertEquals(header(invite, "Call-ID"), header(cancel, "Call-ID"), "the ringing leg is cancelled");
            final ReceivedResponse answer = call.awaitFinal(WAIT);
            assertEquals(503, answer.status());
            assertTrue(answer.header("Reason").contains("internal error"), answer.header("Reason"));
            awaitRecord(1);
            assertTrue(recorded.lines().contains("ended failed 503"), recorded.lines().toString());
            assertEquals(1, router.server().errors().total(), "internal errors");

            carrier.call(router.hostPort(), "18005550101");
            assertTrue(!header(awaitRequest(ringing, "INVITE"), "Call-ID").equals(header(invite, "Call-ID")),
                    "the capped handler is offered the next call: its slot was given back");
        }
    }

    /** Waits for a request (skipping responses and other methods) at a raw peer. */
    private static String awaitRequest(RawUdpPeer peer, String method) {
        while (true) {
            final String text = peer.receive(WAIT).orElseThrow(() -> new AssertionError("no " + method)).text();
            if (text.startsWith(method + " ")) {
                return text;
            }
        }
    }

    private static String header(String message, String name) {
        for (String line : message.split("\r\n")) {
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return null;
    }

    @Test
    void anErrorFromTheStoresEndsTheCallIsLoggedOncePerKindAndTheLoopGoesOn() {
        final FailingEvents events = new FailingEvents(recorded);
        startRouter(dir.resolve("data"), events);
        handler.behaviour(Behaviour.answer());
        // What Chronicle Map's callers see when its memory-mapped file was truncated under it.
        events.throwOnAnswered(new InternalError("a fault occurred in an unsafe memory access operation"));

        assertFailedAfterAnswer(carrier.call(router.hostPort(), "18005550101"), 0);
        assertFailedAfterAnswer(carrier.call(router.hostPort(), "18005550101"), 1);
        awaitRecord(2);
        assertEquals(List.of("ended failed 503", "ended failed 503"),
                recorded.lines().stream().filter(l -> l.startsWith("ended")).toList());
        assertTrue(recorded.endReasons().get(0).startsWith("internal error: InternalError: a fault occurred"),
                recorded.endReasons().toString());
        assertEquals(2, router.server().errors().total(), "each failure is counted");
        assertEquals(1, router.server().errors().distinct(), "and logged once: they are of one kind");
        assertNoLiveCalls();

        events.throwOnAnswered(null);
        completeCall("18005550101", 2);
        assertEquals(3, handler.inviteCount());
        assertNoLiveCalls();
        assertTrue(carrier.errors().isEmpty(), carrier.errors().toString());
    }
}
