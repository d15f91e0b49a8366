package org.callrouter.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.callrouter.server.Await;
import org.callrouter.server.TestConfig;
import org.callrouter.server.admin.RouterService;
import org.callrouter.server.sipua.Carrier;
import org.callrouter.server.sipua.CarrierCall;
import org.callrouter.server.sipua.Handler;
import org.callrouter.server.sipua.Ports;
import org.callrouter.server.sipua.RawUdpPeer;
import org.callrouter.server.sipua.ReceivedRequest;
import org.callrouter.server.sipua.Sdp;
import org.callrouter.server.sipua.SipUa;
import org.callrouter.server.sipua.Sipp;
import org.callrouter.server.sipua.SippResult;
import org.callrouter.server.testsupport.RequiredTool;
import org.callrouter.server.transaction.LargeRequests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 item 6, transport detail, with real SIP on loopback: large requests over TCP (RFC 3261
 * 18.1.1) and their fallback to UDP, {@code rport} and {@code received} for a carrier behind NAT
 * (RFC 3581, RFC 3261 18.2.1), and a call over IPv6 from end to end. Ports 46600-46799.
 */
class TransportIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int FIRST_PORT = 46600;
    private static final int LAST_PORT = 46799;
    private static final String TOKEN = "transport-test-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    java.nio.file.Path dir;

    private RouterService service;
    private int sipPort;
    private int adminPort;

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    /** A router listening for UDP and TCP on {@code host} (an IPv6 address without brackets). */
    private void startRouter(String host, String routing, String extraSip) {
        sipPort = Ports.free(FIRST_PORT, LAST_PORT);
        adminPort = Ports.free(FIRST_PORT, LAST_PORT);
        final String hostPort = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + sipPort;
        final String yaml = """
                server:
                  data_dir: %s
                  sip:
                    listen: ["udp:%s", "tcp:%s"]
                    t1_ms: 100
                %s
                  admin: { listen: "127.0.0.1:%d", token: "%s" }
                  health: { enabled: false }
                %s
                """.formatted(dir.resolve("data"), hostPort, hostPort, extraSip.stripTrailing(), adminPort, TOKEN,
                routing);
        service = RouterService.start(TestConfig.load(dir, yaml), Clock.systemUTC());
    }

    private LargeRequests largeRequests() {
        return service.server().largeRequests();
    }

    // ---- RFC 3261 18.1.1 ---------------------------------------------------------------------

    @Test
    void aLargeInviteReachesAUdpHandlerOverTcpAndItsAnswerComesBackOnTheConnection() {
        try (Handler handler = Handler.open("tcp-capable", Ports.free(FIRST_PORT, LAST_PORT), SipUa.Transport.UDP,
                SipUa.Transport.TCP);
             Carrier carrier = Carrier.open("carrier", Ports.free(FIRST_PORT, LAST_PORT), SipUa.Transport.UDP)) {
            startRouter("127.0.0.1", Routing.oneHandler("sip:127.0.0.1:" + handler.port()), "");
            final String offer = Sdp.withCandidates("carrier", 20);
            final CarrierCall call = carrier.call(SipUa.Transport.UDP, "127.0.0.1:" + sipPort, Routing.DIALED,
                    Carrier.nextCallerNumber(), Map.of(), offer);
            assertEquals(200, call.awaitFinal(WAIT).status(), "the handler's 200 came back on the connection");
            final ReceivedRequest invite = handler.awaitInvites(1, WAIT).get(0);
            assertEquals("TCP", invite.transport(), "the Via says TCP");
            assertNotEquals(sipPort, invite.source().getPort(),
                    "sent on a connection the router opened, not from its UDP socket");
            assertEquals(offer, invite.body());
            assertTrue(invite.header("Contact").contains("<sip:127.0.0.1:" + sipPort + ">"),
                    "the Contact stays UDP: " + invite.header("Contact"));
            assertEquals(1, largeRequests().overTcp());
            assertEquals(0, largeRequests().fellBack());
            assertEquals(0, service.server().transport().inboundConnections().open(),
                    "the handler answered on the router's connection, not on one of its own");

            assertEquals(200, call.bye(WAIT).status());
            // The dialog's requests follow the handler's Contact, which jain-sip wrote with
            // transport=tcp for an INVITE that came over TCP.
            assertEquals("TCP", handler.awaitRequest("BYE", WAIT).transport());
            assertEquals(0, service.server().errors().total(), "internal errors");
        }
    }

    @Test
    void aLargeInviteToAHandlerWithoutTcpFallsBackToUdp() {
        try (Handler handler = Handler.open("udp-only", Ports.free(FIRST_PORT, LAST_PORT), SipUa.Transport.UDP);
             Carrier carrier = Carrier.open("carrier", Ports.free(FIRST_PORT, LAST_PORT), SipUa.Transport.UDP)) {
            startRouter("127.0.0.1", Routing.oneHandler("sip:127.0.0.1:" + handler.port()), "");
            final String offer = Sdp.withCandidates("carrier", 20);
            for (int i = 1; i <= 2; i++) {
                final CarrierCall call = carrier.call(SipUa.Transport.UDP, "127.0.0.1:" + sipPort, Routing.DIALED,
                        Carrier.nextCallerNumber(), Map.of(), offer);
                assertEquals(200, call.awaitFinal(WAIT).status(), "call " + i);
                final ReceivedRequest invite = handler.awaitInvites(i, WAIT).get(i - 1);
                assertEquals("UDP", invite.transport(), "call " + i);
                assertEquals(sipPort, invite.source().getPort(), "call " + i + " came from the router's UDP socket");
                assertEquals(offer, invite.body());
                assertEquals(200, call.bye(WAIT).status());
            }
            assertEquals(1, largeRequests().overTcp(), "TCP was tried for the first call only");
            assertEquals(1, largeRequests().fellBack(), "the refused connection sent the first INVITE over UDP");
            assertEquals(1, largeRequests().keptOnUdp(), "the second went over UDP at once");
            assertEquals(0, service.server().errors().total(), "internal errors");
        }
    }

    // ---- RFC 3581, RFC 3261 18.2.1 ---------------------------------------------------------------

    @Test
    void aCarrierBehindNatGetsItsResponsesAtItsSourcePortWithReceivedAndRport() {
        try (Handler handler = Handler.open("handler", Ports.free(FIRST_PORT, LAST_PORT), SipUa.Transport.UDP);
             RawUdpPeer carrier = RawUdpPeer.open(Ports.free(FIRST_PORT, LAST_PORT))) {
            startRouter("127.0.0.1", Routing.oneHandler("sip:127.0.0.1:" + handler.port()), "");
            final InetSocketAddress router = new InetSocketAddress("127.0.0.1", sipPort);
            // The carrier's own idea of its address (Via, Contact): a private one behind a NAT.
            final String sdp = Sdp.audio("carrier", 1);
            carrier.send(router, "INVITE sip:" + Routing.DIALED + "@127.0.0.1:" + sipPort + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bKnat1;rport\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: <sip:+14155550123@10.0.0.5>;tag=nat\r\n"
                    + "To: <sip:" + Routing.DIALED + "@127.0.0.1>\r\n"
                    + "Call-ID: nat1@10.0.0.5\r\n"
                    + "CSeq: 1 INVITE\r\n"
                    + "Contact: <sip:caller@10.0.0.5:5062>\r\n"
                    + "Content-Type: application/sdp\r\n"
                    + "Content-Length: " + sdp.length() + "\r\n\r\n" + sdp);
            final String stamped = "SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bKnat1;rport=" + carrier.port()
                    + ";received=127.0.0.1";
            final String trying = awaitResponse(carrier, "INVITE", 100);
            assertEquals(stamped, header(trying, "Via"), "at the source port, not 5062: " + trying);
            final String ok = awaitResponse(carrier, "INVITE", 200);
            assertEquals(stamped, header(ok, "Via"));

            final String routerTarget = header(ok, "Contact").replaceAll("^<|>$", "");
            carrier.send(router, "ACK " + routerTarget + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bKnat2;rport\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: <sip:+14155550123@10.0.0.5>;tag=nat\r\n"
                    + "To: " + header(ok, "To") + "\r\n"
                    + "Call-ID: nat1@10.0.0.5\r\n"
                    + "CSeq: 1 ACK\r\n"
                    + "Content-Length: 0\r\n\r\n");
            // The handler hangs up: the router's BYE reaches the carrier through its NAT binding
            // (the source address and port), not at the private Contact.
            final ReceivedRequest invite = handler.awaitInvites(1, WAIT).get(0);
            assertEquals(200, handler.hangUp(invite.callId(), WAIT).status());
            final String bye = awaitRequest(carrier, "BYE");
            assertTrue(bye.startsWith("BYE sip:caller@10.0.0.5:5062 SIP/2.0\r\n"), "to the carrier's Contact: " + bye);
            carrier.send(router, "SIP/2.0 200 OK\r\n"
                    + "Via: " + header(bye, "Via") + "\r\n"
                    + "From: " + header(bye, "From") + "\r\n"
                    + "To: " + header(bye, "To") + "\r\n"
                    + "Call-ID: " + header(bye, "Call-ID") + "\r\n"
                    + "CSeq: " + header(bye, "CSeq") + "\r\n"
                    + "Content-Length: 0\r\n\r\n");

            // Without rport (RFC 3261 18.2.1, 18.2.2): received names the source address, and
            // the response goes there, at the port the Via names.
            carrier.send(router, "OPTIONS sip:127.0.0.1:" + sipPort + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 192.0.2.10:" + carrier.port() + ";branch=z9hG4bKnat4\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: <sip:+14155550123@192.0.2.10>;tag=nat\r\n"
                    + "To: <sip:127.0.0.1>\r\n"
                    + "Call-ID: nat2@192.0.2.10\r\n"
                    + "CSeq: 1 OPTIONS\r\n"
                    + "Content-Length: 0\r\n\r\n");
            final String options = awaitResponse(carrier, "OPTIONS", 200);
            assertEquals("SIP/2.0/UDP 192.0.2.10:" + carrier.port() + ";branch=z9hG4bKnat4;received=127.0.0.1",
                    header(options, "Via"));
            assertEquals(0, service.server().errors().total(), "internal errors");
        }
    }

    @Test
    void theRoutersOwnViasAskForRport() {
        try (Handler handler = Handler.open("handler", Ports.free(FIRST_PORT, LAST_PORT), SipUa.Transport.UDP);
             Carrier carrier = Carrier.open("carrier", Ports.free(FIRST_PORT, LAST_PORT), SipUa.Transport.UDP)) {
            startRouter("127.0.0.1", Routing.oneHandler("sip:127.0.0.1:" + handler.port()), "");
            final CarrierCall call = carrier.call("127.0.0.1:" + sipPort, Routing.DIALED);
            assertEquals(200, call.awaitFinal(WAIT).status());
            final String via = handler.awaitInvites(1, WAIT).get(0).header("Via");
            assertTrue(via.startsWith("SIP/2.0/UDP 127.0.0.1:" + sipPort + ";branch=z9hG4bK") && via.contains(";rport"),
                    via);
            assertEquals(200, call.bye(WAIT).status());
        }
    }

    // ---- IPv6 ---------------------------------------------------------------------------------

    @Test
    void aCallOverIpv6FromEndToEnd() {
        requireIpv6Loopback();
        try (RawUdpPeer handler = RawUdpPeer.open(InetAddress.getByName("::1"), Ports.free(FIRST_PORT, LAST_PORT))) {
            final String handlerUri = "sip:[::1]:" + handler.port();
            startRouter("::1", Routing.oneHandler(handlerUri), "    trusted: [\"::1/128\", \"2001:db8::/32\"]\n");
            final JsonNode plan = admin("/v1/explain?number=" + Routing.DIALED + "&caller=%2B14155550123");
            assertEquals("only", plan.path("candidates").get(0).path("handler").asText(), plan::toString);
            assertFalse(plan.path("candidates").get(0).has("unreachable"), plan::toString);

            final String routerHostPort = "[::1]:" + sipPort;
            for (String transport : new String[] {"u1", "t1"}) {
                try (Sipp carrier = Sipp.scenario("uac.xml").localIp("::1").ports(FIRST_PORT, LAST_PORT)
                        .remote(routerHostPort).transport(transport).service(Routing.DIALED).calls(1)
                        .timeout(Duration.ofSeconds(30)).start()) {
                    final String invite = awaitRequest(handler, "INVITE");
                    final String via = header(invite, "Via");
                    assertTrue(via.startsWith("SIP/2.0/UDP [::1]:" + sipPort + ";branch=z9hG4bK"), via);
                    assertEquals("<sip:[::1]:" + sipPort + ">", header(invite, "Contact"));
                    assertTrue(invite.startsWith("INVITE " + handlerUri + " SIP/2.0\r\n"), invite);
                    answer(handler, invite, new InetSocketAddress("::1", sipPort));
                    awaitRequest(handler, "ACK");
                    final String bye = awaitRequest(handler, "BYE");
                    handler.send(new InetSocketAddress("::1", sipPort), response(bye, "200 OK", "", ""));
                    final SippResult result = carrier.awaitExit();
                    assertEquals(1, result.successfulCalls(), transport + ": " + result);
                }
            }
            final List<JsonNode> calls = awaitCalls(2);
            for (JsonNode call : calls) {
                assertEquals("completed", call.path("status").asText(), call::toString);
                assertEquals("only", call.path("attempts").get(0).path("handler").asText(), call::toString);
            }
            assertEquals(0, service.server().errors().total(), "internal errors");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** IPv6 on the loopback interface: required under CI, skipped elsewhere when missing. */
    private static void requireIpv6Loopback() {
        Optional<String> found;
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("::1"), 0))) {
            found = Optional.of(socket.getLocalAddress().getHostAddress());
        } catch (IOException e) {
            found = Optional.empty();
        }
        RequiredTool.fromEnvironment().require(found, "IPv6 on the loopback interface (::1)",
                "sysctl -w net.ipv6.conf.lo.disable_ipv6=0");
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** Answers an INVITE 200 with SDP, as a handler on {@code [::1]}. */
    private static void answer(RawUdpPeer handler, String invite, InetSocketAddress router) {
        final String sdp = "v=0\r\no=handler 1 1 IN IP6 ::1\r\ns=-\r\nc=IN IP6 ::1\r\nt=0 0\r\n"
                + "m=audio " + Sdp.AUDIO_PORT + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
        handler.send(router, response(invite, "200 OK", ";tag=h6",
                "Contact: <sip:[::1]:" + handler.port() + ">\r\nContent-Type: application/sdp\r\n", sdp));
    }

    private static String response(String request, String status, String toTag, String extra) {
        return response(request, status, toTag, extra, "");
    }

    private static String response(String request, String status, String toTag, String extra, String body) {
        final StringBuilder r = new StringBuilder("SIP/2.0 ").append(status).append("\r\n");
        for (String line : request.split("\r\n")) {
            if (line.regionMatches(true, 0, "Via:", 0, 4)) {
                r.append(line).append("\r\n");
            }
        }
        return r.append("From: ").append(header(request, "From")).append("\r\n")
                .append("To: ").append(header(request, "To")).append(toTag).append("\r\n")
                .append("Call-ID: ").append(header(request, "Call-ID")).append("\r\n")
                .append("CSeq: ").append(header(request, "CSeq")).append("\r\n")
                .append(extra)
                .append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n\r\n")
                .append(body).toString();
    }

    private static String header(String message, String name) {
        for (String line : message.split("\r\n")) {
            if (line.isEmpty()) {
                break;
            }
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return null;
    }

    /** Waits for a request of {@code method}, skipping whatever else arrives (copies, other requests). */
    private static String awaitRequest(RawUdpPeer peer, String method) {
        while (true) {
            final String text = peer.receive(WAIT).orElseThrow(() -> new AssertionError("no " + method)).text();
            if (text.startsWith(method + " ")) {
                return text;
            }
        }
    }

    /** Waits for a response with {@code status} to a request of {@code method}. */
    private static String awaitResponse(RawUdpPeer peer, String method, int status) {
        while (true) {
            final String text = peer.receive(WAIT)
                    .orElseThrow(() -> new AssertionError("no " + status + " to " + method)).text();
            final String cseq = header(text, "CSeq");
            if (text.startsWith("SIP/2.0 " + status + " ") && cseq != null && cseq.endsWith(" " + method)) {
                return text;
            }
        }
    }

    private JsonNode admin(String path) {
        final HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + TOKEN).GET().build();
        try {
            final HttpResponse<String> response = HttpClient.newHttpClient().send(request,
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response::body);
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private List<JsonNode> awaitCalls(int count) {
        final List<JsonNode> calls = new ArrayList<>();
        Await.until(WAIT, () -> {
            calls.clear();
            admin("/v1/calls?since=0&limit=100").path("calls").forEach(calls::add);
            return calls.size() >= count;
        }, () -> count + " calls in the journal; found " + calls);
        return calls;
    }
}
