package org.callrouter.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import org.callrouter.server.sipua.Behaviour;
import org.callrouter.server.sipua.Handler;
import org.callrouter.server.sipua.Ports;
import org.callrouter.server.sipua.RawUdpPeer;
import org.callrouter.server.sipua.ReceivedRequest;
import org.callrouter.server.transaction.MessageCounters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 15: escaped control characters in the URI user parts of an INVITE. The dialed
 * number is refused with {@code 400} and a Reason (not a {@code 503} from a header that could
 * not be written), trailing junk never matches a tracked number, and a caller's user part
 * reaches the handler as written, never decoded into a header.
 */
class DialedNumberIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private Handler handler;
    private RawUdpPeer carrier;
    private RouterFixture router;
    private final RecordingEvents recorded = new RecordingEvents();

    @BeforeEach
    void start() {
        handler = Handler.open(Ports.free(45000, 45999));
        carrier = RawUdpPeer.open(Ports.free(45000, 45999));
        router = RouterFixture.start(dir.resolve("data"), Routing.oneHandler(handler.uri()), "", "", Clock.systemUTC(),
                recorded, MessageCounters.NONE);
    }

    @AfterEach
    void close() {
        if (router != null) {
            router.close();
        }
        if (carrier != null) {
            carrier.close();
        }
        if (handler != null) {
            handler.close();
        }
    }

    private String invite(String requestUser, String fromUser, long n) {
        return "INVITE sip:" + requestUser + "@127.0.0.1:" + router.port() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + carrier.port() + ";branch=z9hG4bKdial" + n + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: \"Caller\" <sip:" + fromUser + "@127.0.0.1>;tag=c" + n + "\r\n"
                + "To: <sip:" + requestUser + "@127.0.0.1>\r\n"
                + "Call-ID: dial" + n + "@127.0.0.1\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:carrier@127.0.0.1:" + carrier.port() + ">\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    /** Sends an INVITE and returns its final response (not ACKed: the router stops resending on its own). */
    private String finalResponse(String requestUser, String fromUser) {
        final long n = System.nanoTime();
        carrier.send(new InetSocketAddress("127.0.0.1", router.port()), invite(requestUser, fromUser, n));
        while (true) {
            final String text = carrier.receive(WAIT).orElseThrow(() -> new AssertionError("no final answer to "
                    + requestUser)).text();
            // Skips 100 Trying, and copies of earlier answers (never ACKed, so resent).
            if (!text.startsWith("SIP/2.0 1") && ("dial" + n + "@127.0.0.1").equals(header(text, "Call-ID"))) {
                return text;
            }
        }
    }

    private static String header(String response, String name) {
        for (String line : response.split("\r\n")) {
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return null;
    }

    @Test
    void escapedControlCharactersInTheDialedNumberGet400() {
        for (String escape : new String[] {"%00", "%0D", "%0A", "%01", "%7F", "%0d%0aX-Injected:%20yes"}) {
            for (String dialed : new String[] {"18005500" + escape, Routing.DIALED + escape}) {
                final String answer = finalResponse(dialed, "+14155550123");
                assertTrue(answer.startsWith("SIP/2.0 400 "), dialed + ": " + answer);
                final String reason = header(answer, "Reason");
                assertTrue(reason != null && reason.contains("control character"), dialed + ": " + answer);
                assertEquals(null, header(answer, "X-Injected"), "nothing of the request reaches a header raw: " + answer);
                assertEquals(null, header(answer, "Retry-After"), answer);
            }
        }
        assertEquals(0, handler.inviteCount(), "a number with junk after it is not the tracked number");
        assertEquals(0, router.server().errors().total(), "internal errors");
        assertTrue(recorded.lines().stream().filter(l -> l.startsWith("ended")).allMatch(l -> l.equals("ended rejected 400")),
                recorded.lines().toString());
    }

    @Test
    void aCallerUserPartWithEscapesReachesTheHandlerAsWritten() {
        handler.behaviour(Behaviour.reject(486));
        final String caller = "+1415555%0D%0AX-Injected%3A%20yes";
        final String answer = finalResponse(Routing.DIALED, caller);
        assertTrue(answer.startsWith("SIP/2.0 480 "), answer);
        final ReceivedRequest invite = handler.awaitInvites(1, WAIT).get(0);
        assertEquals(null, invite.header("X-Injected"), "no header injected into the B leg");
        assertTrue(invite.header("From").contains(caller), invite.header("From"));
        assertEquals(0, router.server().errors().total(), "internal errors");
    }
}
