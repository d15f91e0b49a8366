package org.callrouter.server.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.callrouter.sip.codec.SipParser;
import org.callrouter.sip.codec.SipRequestBuilder;
import org.callrouter.sip.codec.SipResponseBuilder;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.sip.message.SipResponse;
import org.callrouter.server.timer.TimerService;
import org.callrouter.server.transport.Destination;
import org.callrouter.server.transport.SipSender;
import org.callrouter.server.transport.Transport;
import org.junit.jupiter.api.Test;

/**
 * RFC 3261 18.1.1 in the client transactions, on a manual clock: a request over 1300 bytes for
 * a UDP peer goes over TCP with a TCP Via; a failed connection sends it over UDP after all (and
 * its peer's next large requests, for a while); small requests are sent exactly as given.
 */
class LargeRequestsTest {

    private static final SipTimers TIMERS = SipTimers.DEFAULT;
    private static final InetSocketAddress HANDLER = new InetSocketAddress("127.0.0.1", 5090);
    private static final Destination UDP = Destination.of(Transport.UDP, HANDLER);

    private long now = 1_000_000;
    private final TimerService timers = new TimerService(now, 8, 256, e -> { throw new AssertionError(e); });
    private final List<Sent> sent = new ArrayList<>();
    private TransactionLayer layer = layer(new LargeRequests("127.0.0.1:5070"));

    private record Sent(Destination destination, byte[] bytes, SipSender.SendFailureListener onFailure) {
        String text() {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    private TransactionLayer layer(LargeRequests large) {
        final SipSender sender = (destination, message, onFailure) -> sent.add(new Sent(destination, message, onFailure));
        return new TransactionLayer(sender, timers, TIMERS, () -> now, MessageCounters.NONE, large);
    }

    @Test
    void aSmallRequestIsSentAsGivenOverUdp() {
        final SipRequest invite = invite("z9hG4bKs1", 200);
        final byte[] bytes = bytes(invite);
        layer.sendInvite(invite, bytes, UDP, listener(new ArrayList<>()));
        assertEquals(1, sent.size());
        assertSame(bytes, sent.get(0).bytes(), "not copied, not re-encoded");
        assertEquals(UDP, sent.get(0).destination());
        assertEquals(0, layer.largeRequests().overTcp());
    }

    @Test
    void aRequestOf1300BytesStaysOnUdpAndOneOf1301GoesOverTcp() {
        final SipRequest exact = inviteOfLength("z9hG4bKe1", LargeRequests.MAX_UDP_REQUEST_BYTES);
        layer.sendInvite(exact, bytes(exact), UDP, listener(new ArrayList<>()));
        final SipRequest over = inviteOfLength("z9hG4bKe2", LargeRequests.MAX_UDP_REQUEST_BYTES + 1);
        layer.sendInvite(over, bytes(over), UDP, listener(new ArrayList<>()));
        assertEquals(Transport.UDP, sent.get(0).destination().transport());
        assertEquals(Transport.TCP, sent.get(1).destination().transport());
    }

    @Test
    void aLargeInviteGoesOverTcpWithATcpViaAndItsAnswersMatch() {
        final List<String> heard = new ArrayList<>();
        final SipRequest invite = invite("z9hG4bKl1", 1500);
        final InviteClientTransaction t = layer.sendInvite(invite, bytes(invite), UDP, listener(heard));
        final Sent first = sent.get(0);
        assertEquals(Destination.of(Transport.TCP, HANDLER), first.destination(), "same address and port, TCP");
        assertTrue(first.text().contains("\r\nVia: SIP/2.0/TCP 127.0.0.1:5070;branch=z9hG4bKl1;rport\r\n"), first.text());
        assertTrue(first.text().contains("\r\nContact: <sip:router@127.0.0.1:5070>\r\n"), "the Contact stays UDP");
        assertEquals(Transport.TCP, t.peer().transport());
        advance(4000);
        assertEquals(1, sent.size(), "no retransmission over TCP");

        layer.onResponse(response(t.request(), 180));
        assertEquals(List.of("180"), heard, "matched by branch");
        final byte[] cancel = SipRequestBuilder.cancelFor(t.request()).toBytes();
        assertTrue(new String(cancel, StandardCharsets.ISO_8859_1).contains("Via: SIP/2.0/TCP 127.0.0.1:5070;"),
                "a CANCEL's Via is its INVITE's (RFC 3261 9.1)");
        layer.onResponse(response(t.request(), 486));
        assertEquals(Destination.of(Transport.TCP, HANDLER), sent.get(1).destination(), "the ACK goes where the INVITE went");
        assertTrue(sent.get(1).text().startsWith("ACK ") && sent.get(1).text().contains("SIP/2.0/TCP"), sent.get(1).text());
        assertEquals(1, layer.largeRequests().overTcp());
    }

    @Test
    void aLargeNonInviteGoesOverTcpToo() {
        final SipRequest info = request("INFO", "z9hG4bKn1", 1500);
        layer.sendNonInvite(info, bytes(info), UDP, listener(new ArrayList<>()));
        assertEquals(Transport.TCP, sent.get(0).destination().transport());
    }

    @Test
    void aFailedConnectionSendsTheRequestOverUdpAfterAllAndItsPeerStaysOnUdpForAWhile() {
        final List<String> heard = new ArrayList<>();
        final SipRequest invite = invite("z9hG4bKf1", 1500);
        final byte[] udpBytes = bytes(invite);
        final InviteClientTransaction t = layer.sendInvite(invite, udpBytes, UDP, listener(heard));
        final Sent tcp = sent.get(0);
        advance(100);
        tcp.onFailure().onSendFailure(tcp.destination(), new ConnectException("Connection refused"));
        assertEquals(List.of(), heard, "no timeout: the request goes on over UDP");
        assertSame(udpBytes, sent.get(1).bytes(), "the UDP request as first built");
        assertEquals(UDP, sent.get(1).destination());
        assertEquals(UDP, t.peer());
        assertTrue(t.request().topVia().transport().equals("UDP"));
        advance(TIMERS.t1Ms());
        assertEquals(3, sent.size(), "retransmitted over UDP at T1");
        layer.onResponse(response(t.request(), 200));
        assertEquals(List.of("200"), heard);
        assertEquals(1, layer.largeRequests().fellBack());

        final SipRequest next = invite("z9hG4bKf2", 1500);
        layer.sendInvite(next, bytes(next), UDP, listener(new ArrayList<>()));
        assertEquals(UDP, sent.get(sent.size() - 1).destination(), "no new connection attempt for a while");
        assertEquals(1, layer.largeRequests().keptOnUdp());

        advance(LargeRequests.REFUSED_MEMORY_MS);
        final SipRequest later = invite("z9hG4bKf3", 1500);
        layer.sendInvite(later, bytes(later), UDP, listener(new ArrayList<>()));
        assertEquals(Transport.TCP, sent.get(sent.size() - 1).destination().transport(), "TCP is tried again");
    }

    @Test
    void aFailureOfAnotherKindStillTimesTheTransactionOut() {
        final List<String> heard = new ArrayList<>();
        final SipRequest invite = invite("z9hG4bKx1", 200);
        layer.sendInvite(invite, bytes(invite), UDP, listener(heard));
        sent.get(0).onFailure().onSendFailure(UDP, new java.io.IOException("Invalid argument"));
        assertEquals(List.of("timeout"), heard, "a small request has no fallback (RFC 3261 8.1.3.1)");
    }

    @Test
    void withoutATcpSocketLargeRequestsStayOnUdp() {
        layer = layer(LargeRequests.NEVER);
        final SipRequest invite = invite("z9hG4bKu1", 1500);
        final byte[] bytes = bytes(invite);
        layer.sendInvite(invite, bytes, UDP, listener(new ArrayList<>()));
        assertSame(bytes, sent.get(0).bytes());
        assertEquals(UDP, sent.get(0).destination());
    }

    @Test
    void requestsForTcpPeersAreNotTouched() {
        final Destination tcp = Destination.of(Transport.TCP, HANDLER);
        final SipRequest invite = invite("z9hG4bKt1", 1500);
        final byte[] bytes = bytes(invite);
        layer.sendInvite(invite, bytes, tcp, listener(new ArrayList<>()));
        assertSame(bytes, sent.get(0).bytes());
        assertEquals(0, layer.largeRequests().overTcp());
    }

    private void advance(long ms) {
        now += ms;
        timers.poll(now);
    }

    private static ClientTransactionListener listener(List<String> heard) {
        return new ClientTransactionListener() {
            @Override
            public void onResponse(ClientTransaction transaction, SipResponse response) {
                heard.add(Integer.toString(response.statusCode()));
            }

            @Override
            public void onTimeout(ClientTransaction transaction, boolean transportError) {
                heard.add("timeout");
            }
        };
    }

    private static SipRequest invite(String branch, int bodyBytes) {
        return request("INVITE", branch, bodyBytes);
    }

    /** An INVITE whose encoding is exactly {@code length} bytes. */
    private static SipRequest inviteOfLength(String branch, int length) {
        for (int body = 1; body < length; body++) {
            final SipRequest r = invite(branch, body);
            if (bytes(r).length == length) {
                return r;
            }
        }
        throw new AssertionError("no INVITE of " + length + " bytes");
    }

    private static SipRequest request(String method, String branch, int bodyBytes) {
        final String body = "v=0\r\n" + "a=x".repeat(Math.max(0, bodyBytes - 5) / 3);
        final String padded = body + "x".repeat(Math.max(0, bodyBytes - body.length()));
        final String text = method + " sip:+18005550100@127.0.0.1:5090 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=" + branch + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:+14155550001@127.0.0.1>;tag=f\r\n"
                + "To: <sip:+18005550100@127.0.0.1>\r\n"
                + "Call-ID: c-" + branch + "@127.0.0.1\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + "Contact: <sip:router@127.0.0.1:5070>\r\n"
                + (bodyBytes > 0 ? "Content-Type: application/sdp\r\n" : "")
                + "Content-Length: " + (bodyBytes > 0 ? padded.length() : 0) + "\r\n\r\n"
                + (bodyBytes > 0 ? padded : "");
        final byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        final SipRequest request = (SipRequest) SipParser.parse(b, 0, b.length);
        assertNotNull(request);
        return request;
    }

    private static SipResponse response(SipRequest request, int status) {
        final byte[] b = SipResponseBuilder.forRequest(request, status, "Reason").toTag("h").toBytes();
        return (SipResponse) SipParser.parse(b, 0, b.length);
    }

    private static byte[] bytes(SipRequest request) {
        return java.util.Arrays.copyOfRange(request.array(), request.offset(), request.offset() + request.length());
    }
}
