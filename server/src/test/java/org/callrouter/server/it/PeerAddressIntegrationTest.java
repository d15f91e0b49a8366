package org.callrouter.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import org.callrouter.server.sipua.Carrier;
import org.callrouter.server.sipua.CarrierCall;
import org.callrouter.server.sipua.Ports;
import org.callrouter.server.sipua.RawUdpPeer;
import org.callrouter.server.transaction.MessageCounters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 16: a Contact the kernel refuses to send to ({@code 0.0.0.1}: every datagram
 * fails with EINVAL). The carrier's INVITE is refused with {@code 400} naming the address; a
 * handler whose answer carries one still gets its BYE, at the address it is configured on.
 */
class PeerAddressIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private RouterFixture router;
    private final RecordingEvents recorded = new RecordingEvents();

    @AfterEach
    void close() {
        if (router != null) {
            router.close();
        }
    }

    private void startRouter(String handlerUri) {
        router = RouterFixture.start(dir.resolve("data"), Routing.oneHandler(handlerUri), "", "", Clock.systemUTC(),
                recorded, MessageCounters.NONE);
    }

    private static String header(String message, String name) {
        for (String line : message.split("\r\n")) {
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return null;
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

    @Test
    void aCarrierContactTheKernelRefusesGets400() {
        try (RawUdpPeer handler = RawUdpPeer.open(Ports.free(45000, 45999));
             RawUdpPeer carrier = RawUdpPeer.open(Ports.free(45000, 45999))) {
            startRouter("sip:127.0.0.1:" + handler.port());
            for (String contact : new String[] {"sip:caller@0.0.0.1:5093", "sip:caller@224.0.0.1", "sip:caller@255.255.255.255",
                "sip:caller@[::]:5060"}) {
                final long n = System.nanoTime();
                carrier.send(new InetSocketAddress("127.0.0.1", router.port()),
                        "INVITE sip:" + Routing.DIALED + "@127.0.0.1:" + router.port() + " SIP/2.0\r\n"
                                + "Via: SIP/2.0/UDP 127.0.0.1:" + carrier.port() + ";branch=z9hG4bKpa" + n + "\r\n"
                                + "Max-Forwards: 70\r\n"
                                + "From: <sip:+14155550123@127.0.0.1>;tag=c" + n + "\r\n"
                                + "To: <sip:" + Routing.DIALED + "@127.0.0.1>\r\n"
                                + "Call-ID: pa" + n + "@127.0.0.1\r\n"
                                + "CSeq: 1 INVITE\r\n"
                                + "Contact: <" + contact + ">\r\n"
                                + "Content-Length: 0\r\n\r\n");
                String answer;
                do {
                    // Skips 100 Trying, and copies of earlier answers (never ACKed, so resent).
                    answer = carrier.receive(WAIT).orElseThrow(() -> new AssertionError("no answer for " + contact)).text();
                } while (answer.startsWith("SIP/2.0 1") || !("pa" + n + "@127.0.0.1").equals(header(answer, "Call-ID")));
                assertTrue(answer.startsWith("SIP/2.0 400 "), contact + ": " + answer);
                assertTrue(header(answer, "Reason").contains("Contact "), contact + ": " + answer);
            }
            assertTrue(recorded.lines().stream().noneMatch(l -> l.startsWith("attempt")), "no call was placed: "
                    + recorded.lines());
            assertEquals(0, router.server().errors().total(), "internal errors");
            assertEquals(0, router.server().workers().b2buaStats().activeCalls);
        }
    }

    @Test
    void aHandlerAnswerWithARefusedContactStillGetsItsBye() {
        try (RawUdpPeer handler = RawUdpPeer.open(Ports.free(45000, 45999));
             Carrier carrier = Carrier.open(Ports.free(45000, 45999))) {
            startRouter("sip:127.0.0.1:" + handler.port());
            final CarrierCall call = carrier.call(router.hostPort(), Routing.DIALED);
            final String invite = awaitRequest(handler, "INVITE");
            final InetSocketAddress routerAddress = new InetSocketAddress("127.0.0.1", router.port());
            handler.send(routerAddress, "SIP/2.0 200 OK\r\n"
                    + "Via: " + header(invite, "Via") + "\r\n"
                    + "From: " + header(invite, "From") + "\r\n"
                    + "To: " + header(invite, "To") + ";tag=h1\r\n"
                    + "Call-ID: " + header(invite, "Call-ID") + "\r\n"
                    + "CSeq: " + header(invite, "CSeq") + "\r\n"
                    + "Contact: <sip:handler@0.0.0.1:5093>\r\n"
                    + "Content-Length: 0\r\n\r\n");
            assertEquals(200, call.awaitFinal(WAIT).status());
            awaitRequest(handler, "ACK");
            assertEquals(200, call.bye(WAIT).status());
            final String bye = awaitRequest(handler, "BYE");
            assertEquals(header(invite, "Call-ID"), header(bye, "Call-ID"));
            assertEquals(0, router.server().errors().total(), "internal errors");
        }
    }
}
