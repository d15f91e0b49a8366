package org.callrouter.server.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.callrouter.sip.codec.SipParser;
import org.callrouter.sip.codec.SipResponseBuilder;
import org.callrouter.sip.message.SipMessage;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.sip.message.SipResponse;
import org.callrouter.server.timer.TimerService;
import org.callrouter.server.transport.Destination;
import org.callrouter.server.transport.SipSender;
import org.callrouter.server.transport.Transport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The RFC 3261 section 17 state machines, stepped on a manual clock: what is sent when, what
 * the transaction user is told, and when each transaction leaves the layer.
 */
class TransactionLayerTest {

    private static final SipTimers TIMERS = SipTimers.DEFAULT;
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 5090);
    private static final Destination FROM_PEER = Destination.of(Transport.UDP, PEER);

    private long now = 1_000_000;
    private final List<String> sent = new ArrayList<>();
    private final List<String> told = new ArrayList<>();
    private final List<String> wire = new ArrayList<>();
    private final List<String> admissions = new ArrayList<>();
    private Refusal refusal;
    private TimerService timers;
    private TransactionLayer layer;
    private ServerTransaction lastServer;
    private int answerAtOnce;

    @BeforeEach
    void layer() {
        timers = new TimerService(now, 8, 256, e -> { throw new AssertionError(e); });
        final SipSender sender = (destination, message, onFailure) -> {
            sent.add(destination.address().getPort() + " " + firstLine(message));
            wire.add(new String(message, StandardCharsets.ISO_8859_1));
        };
        layer = new TransactionLayer(sender, timers, TIMERS, () -> now, MessageCounters.NONE);
        layer.user(new TransactionUser() {
            @Override
            public Refusal admit(SipRequest request, Destination source) {
                admissions.add(request.method().name());
                return refusal;
            }

            @Override
            public void onRequest(ServerTransaction transaction) {
                lastServer = transaction;
                told.add("request " + transaction.request().method().name());
                if (answerAtOnce != 0) {
                    transaction.respond(answerAtOnce, "Not Found");
                }
            }

            @Override
            public void onCancel(NonInviteServerTransaction cancel, InviteServerTransaction invite) {
                told.add("cancel");
                cancel.respond(200, "OK");
            }

            @Override
            public void onAck(SipRequest ack, Destination from) {
                told.add("ack");
            }

            @Override
            public void onAckTimeout(InviteServerTransaction transaction) {
                told.add("ack timeout");
            }
        });
    }

    // ---- admission ----------------------------------------------------------------------

    @Test
    void aRequestTheUserRefusesIsAnsweredWithoutATransaction() {
        refusal = new Refusal(403, "Forbidden", "SIP;cause=403;text=\"source is not trusted\"");
        layer.onRequest(request("INVITE", "z9hG4bKr1", ""), FROM_PEER);
        layer.onRequest(request("INVITE", "z9hG4bKr1", ""), FROM_PEER);
        layer.onRequest(request("OPTIONS", "z9hG4bKr2", ""), FROM_PEER);
        assertEquals(List.of("5090 SIP/2.0 403 Forbidden", "5090 SIP/2.0 403 Forbidden", "5090 SIP/2.0 403 Forbidden"),
                sent, "no 100 Trying: there is no transaction to send it");
        assertEquals(List.of("INVITE", "INVITE", "OPTIONS"), admissions);
        assertEquals(List.of(), told, "never handed on");
        assertEquals(0, layer.size());
        assertEquals(0, layer.stats().serverTransactionsCreated);
        assertEquals(3, layer.stats().refusedStateless);
        assertTrue(wire.get(0).contains("Reason: SIP;cause=403;text=\"source is not trusted\"\r\n"), wire.get(0));
        assertEquals(toTag(wire.get(0)), toTag(wire.get(1)), "a retransmission gets the same answer");
        advance(TIMERS.transactionTimeoutMs());
        assertEquals(3, sent.size(), "nothing is retransmitted: no state was kept");
    }

    @Test
    void statelessRefusalsAreLimitedPerSecondAndTheRestAreDropped() {
        refusal = new Refusal(403, "Forbidden", "SIP;cause=403");
        final int flood = TransactionLayer.STATELESS_REFUSALS_PER_SECOND + 50;
        for (int i = 0; i < flood; i++) {
            layer.onRequest(request("INVITE", "z9hG4bKflood" + i, ""), FROM_PEER);
        }
        assertEquals(TransactionLayer.STATELESS_REFUSALS_PER_SECOND, sent.size());
        assertEquals(50, layer.stats().refusalsDropped);
        advance(999);
        layer.onRequest(request("INVITE", "z9hG4bKlate", ""), FROM_PEER);
        assertEquals(TransactionLayer.STATELESS_REFUSALS_PER_SECOND, sent.size(), "the second is not over yet");
        advance(1);
        layer.onRequest(request("INVITE", "z9hG4bKnext", ""), FROM_PEER);
        assertEquals(TransactionLayer.STATELESS_REFUSALS_PER_SECOND + 1, sent.size(), "a new second, new answers");
        assertEquals(0, layer.size());
        assertEquals(0, layer.stats().serverTransactionsCreated);
    }

    @Test
    void aRetransmissionIsAbsorbedBeforeAdmissionIsAskedAgain() {
        layer.onRequest(request("BYE", "z9hG4bKa1", ";tag=t1"), FROM_PEER);
        lastServer.respond(200, "OK");
        // The dialog has ended since: a new BYE would be refused, the retransmission is not.
        refusal = new Refusal(481, "Call/Transaction Does Not Exist", "SIP;cause=481");
        layer.onRequest(request("BYE", "z9hG4bKa1", ";tag=t1"), FROM_PEER);
        assertEquals(List.of("5090 SIP/2.0 200 OK", "5090 SIP/2.0 200 OK"), sent);
        assertEquals(List.of("BYE"), admissions, "asked once");
        assertEquals(List.of("request BYE"), told);
        assertEquals(1, layer.stats().serverTransactionsCreated);
    }

    // ---- server INVITE ------------------------------------------------------------------

    @Test
    void inviteServerSendsTryingAtOnceAndAbsorbsRetransmissions() {
        layer.onRequest(request("INVITE", "z9hG4bK1", ""), FROM_PEER);
        assertEquals(List.of("5090 SIP/2.0 100 Trying"), sent);
        assertEquals(List.of("request INVITE"), told);
        layer.onRequest(request("INVITE", "z9hG4bK1", ""), FROM_PEER);
        assertEquals(List.of("5090 SIP/2.0 100 Trying", "5090 SIP/2.0 100 Trying"), sent);
        assertEquals(1, told.size(), "a retransmission is not a new request");
    }

    @Test
    void anInviteRefusedAtOnceGetsNoTrying() {
        answerAtOnce = 404;
        layer.onRequest(request("INVITE", "z9hG4bK0", ""), FROM_PEER);
        assertEquals(List.of("5090 SIP/2.0 404 Not Found"), sent);
    }

    @Test
    void inviteServerRetransmitsAFailureOnTimerGUntilAckThenWaitsTimerI() {
        layer.onRequest(request("INVITE", "z9hG4bK2", ""), FROM_PEER);
        sent.clear();
        lastServer.respond(486, "Busy Here");
        assertEquals(List.of("5090 SIP/2.0 486 Busy Here"), sent);
        advance(500);
        advance(1000);
        advance(2000);
        advance(4000);
        advance(4000);
        assertEquals(6, sent.size(), "timer G: T1, 2T1, 4T1, then capped at T2: " + sent);
        layer.onRequest(request("ACK", "z9hG4bK2", ""), FROM_PEER);
        assertFalse(told.contains("ack"), "the ACK for a failure belongs to the transaction");
        advance(4000);
        assertEquals(6, sent.size(), "no retransmission once confirmed");
        advance(TIMERS.t4Ms());
        assertEquals(0, layer.size(), "timer I ended the transaction");
    }

    @Test
    void inviteServerWithoutAckEndsOnTimerHAndTellsTheUser() {
        layer.onRequest(request("INVITE", "z9hG4bK3", ""), FROM_PEER);
        lastServer.respond(480, "Temporarily Unavailable");
        advance(TIMERS.transactionTimeoutMs());
        assertTrue(told.contains("ack timeout"));
        assertEquals(0, layer.size());
    }

    @Test
    void inviteServerResendsTheSuccessUntilTheDialogAcknowledgesIt() {
        layer.onRequest(request("INVITE", "z9hG4bK4", ""), FROM_PEER);
        final InviteServerTransaction invite = (InviteServerTransaction) lastServer;
        sent.clear();
        invite.respond(200, "OK");
        advance(500);
        advance(1000);
        assertEquals(3, sent.size(), sent.toString());
        layer.onRequest(request("ACK", "z9hG4bKother", ""), FROM_PEER);
        assertTrue(told.contains("ack"), "the ACK for a 2xx goes to the user");
        invite.acknowledged();
        advance(2000);
        advance(4000);
        assertEquals(3, sent.size(), "no retransmission after the ACK");
        advance(TIMERS.transactionTimeoutMs());
        assertEquals(0, layer.size(), "timer L");
        assertFalse(told.contains("ack timeout"));
    }

    @Test
    void inviteServerWhoseSuccessIsNeverAcknowledgedTellsTheUser() {
        layer.onRequest(request("INVITE", "z9hG4bK5", ""), FROM_PEER);
        lastServer.respond(200, "OK");
        advance(TIMERS.transactionTimeoutMs());
        assertTrue(told.contains("ack timeout"));
    }

    @Test
    void answersOnlyOnce() {
        layer.onRequest(request("INVITE", "z9hG4bK6", ""), FROM_PEER);
        assertTrue(lastServer.respond(486, "Busy Here"));
        assertFalse(lastServer.respond(200, "OK"));
    }

    // ---- CANCEL ---------------------------------------------------------------------------

    @Test
    void cancelMatchingAnInviteGoesToTheUserAndOtherwiseGets481() {
        layer.onRequest(request("CANCEL", "z9hG4bKnone", ""), FROM_PEER);
        assertEquals("5090 SIP/2.0 481 Call/Transaction Does Not Exist", sent.get(sent.size() - 1));
        layer.onRequest(request("INVITE", "z9hG4bK7", ""), FROM_PEER);
        layer.onRequest(request("CANCEL", "z9hG4bK7", ""), FROM_PEER);
        assertTrue(told.contains("cancel"));
        assertTrue(((InviteServerTransaction) lastServer).cancelled());
    }

    // ---- server non-INVITE ----------------------------------------------------------------

    @Test
    void nonInviteServerResendsItsFinalResponseThenEndsOnTimerJ() {
        layer.onRequest(request("BYE", "z9hG4bK8", ";tag=t"), FROM_PEER);
        lastServer.respond(200, "OK");
        sent.clear();
        layer.onRequest(request("BYE", "z9hG4bK8", ";tag=t"), FROM_PEER);
        assertEquals(List.of("5090 SIP/2.0 200 OK"), sent);
        advance(TIMERS.transactionTimeoutMs());
        assertEquals(0, layer.size());
    }

    // ---- responses go where RFC 3261 18.2.2 and RFC 3581 say --------------------------------

    @Test
    void responsesGoToTheViaPortOrTheSourcePortWithRport() {
        final Destination natted = Destination.of(Transport.UDP, new InetSocketAddress("127.0.0.1", 40000));
        layer.onRequest(request("OPTIONS", "z9hG4bK9", ""), natted);
        lastServer.respond(200, "OK");
        assertEquals("5090 SIP/2.0 200 OK", sent.get(sent.size() - 1), "sent-by port without rport");

        layer.onRequest((SipRequest) parse(text("OPTIONS", "z9hG4bK10", "").replace(";branch=", ";rport;branch=")), natted);
        assertTrue(lastServer.request().topVia().toString().contains("rport=40000"),
                lastServer.request().topVia().toString());
        lastServer.respond(200, "OK");
        assertEquals("40000 SIP/2.0 200 OK", sent.get(sent.size() - 1), "source port with rport");
    }

    @Test
    void aViaFromAnotherHostGetsReceived() {
        layer.onRequest((SipRequest) parse(text("OPTIONS", "z9hG4bK11", "").replace("Via: SIP/2.0/UDP 127.0.0.1:5090",
                "Via: SIP/2.0/UDP carrier.example.com:5090")), FROM_PEER);
        assertEquals("127.0.0.1", lastServer.request().topVia().received());
        lastServer.respond(200, "OK");
        assertEquals("5090 SIP/2.0 200 OK", sent.get(sent.size() - 1));
    }

    @Test
    void anIpv6ViaIsComparedAsAnAddressNotAsText() {
        final Destination v6 = Destination.of(Transport.UDP, new InetSocketAddress("::1", 5090));
        layer.onRequest((SipRequest) parse(text("OPTIONS", "z9hG4bK12", "").replace("Via: SIP/2.0/UDP 127.0.0.1:5090",
                "Via: SIP/2.0/UDP [::1]:5090")), v6);
        assertEquals(null, lastServer.request().topVia().received(), "[::1] is 0:0:0:0:0:0:0:1");
        layer.onRequest((SipRequest) parse(text("OPTIONS", "z9hG4bK13", "").replace("Via: SIP/2.0/UDP 127.0.0.1:5090",
                "Via: SIP/2.0/UDP [2001:db8::5]:5090;rport")), v6);
        assertEquals("::1", lastServer.request().topVia().received(), "RFC 5952 form");
        lastServer.respond(200, "OK");
        assertTrue(wire.get(wire.size() - 1).contains("Via: SIP/2.0/UDP [2001:db8::5]:5090;rport=5090;branch=z9hG4bK13;received=::1"),
                wire.get(wire.size() - 1));
    }

    // ---- client INVITE ----------------------------------------------------------------------

    @Test
    void inviteClientRetransmitsOnTimerAAndTimesOutOnTimerB() {
        final List<String> heard = new ArrayList<>();
        final SipRequest invite = request("INVITE", "z9hG4bKc1", "");
        layer.sendInvite(invite, bytes(invite), FROM_PEER, listener(heard));
        advance(500);
        advance(1000);
        advance(2000);
        assertEquals(4, sent.size(), "timer A doubles without a cap: " + sent);
        advance(TIMERS.transactionTimeoutMs());
        assertEquals(List.of("timeout"), heard);
        assertEquals(0, layer.size());
    }

    @Test
    void inviteClientAcknowledgesAFailureItselfAndAbsorbsItsRetransmission() {
        final List<String> heard = new ArrayList<>();
        final SipRequest invite = request("INVITE", "z9hG4bKc2", "");
        layer.sendInvite(invite, bytes(invite), FROM_PEER, listener(heard));
        layer.onResponse(response(invite, 180, "Ringing"));
        advance(4000);
        assertEquals(1, sent.size(), "no retransmission after a provisional response");
        layer.onResponse(response(invite, 486, "Busy Here"));
        assertEquals("5090 ACK sip:+18005550100@127.0.0.1 SIP/2.0", sent.get(1));
        layer.onResponse(response(invite, 486, "Busy Here"));
        assertEquals(3, sent.size(), "the ACK is sent again for the retransmitted 486");
        assertEquals(List.of("180", "486"), heard);
        advance(TIMERS.timerDMs(Transport.UDP));
        assertEquals(0, layer.size(), "timer D");
    }

    @Test
    void inviteClientPassesEverySuccessToTheUser() {
        final List<String> heard = new ArrayList<>();
        final SipRequest invite = request("INVITE", "z9hG4bKc3", "");
        layer.sendInvite(invite, bytes(invite), FROM_PEER, listener(heard));
        layer.onResponse(response(invite, 200, "OK"));
        layer.onResponse(response(invite, 200, "OK"));
        assertEquals(List.of("200", "200"), heard, "the user acknowledges each copy (RFC 6026)");
        advance(TIMERS.transactionTimeoutMs());
        assertEquals(0, layer.size(), "timer M");
    }

    @Test
    void cancelledInviteWithoutFinalResponseEndsAfter64T1() {
        final List<String> heard = new ArrayList<>();
        final SipRequest invite = request("INVITE", "z9hG4bKc4", "");
        final InviteClientTransaction transaction = layer.sendInvite(invite, bytes(invite), FROM_PEER, listener(heard));
        layer.onResponse(response(invite, 180, "Ringing"));
        assertTrue(transaction.provisionalReceived());
        transaction.cancelSent();
        advance(TIMERS.transactionTimeoutMs());
        assertEquals(List.of("180", "timeout"), heard);
    }

    // ---- client non-INVITE --------------------------------------------------------------------

    @Test
    void nonInviteClientBacksOffToT2AndTimesOutOnTimerF() {
        final List<String> heard = new ArrayList<>();
        final SipRequest bye = request("BYE", "z9hG4bKc5", ";tag=t");
        layer.sendNonInvite(bye, bytes(bye), FROM_PEER, listener(heard));
        advance(500);
        advance(1000);
        advance(2000);
        advance(4000);
        advance(4000);
        assertEquals(6, sent.size(), "timer E: T1, 2T1, 4T1, T2, T2: " + sent);
        advance(TIMERS.transactionTimeoutMs());
        assertEquals(List.of("timeout"), heard);
    }

    @Test
    void nonInviteClientEndsOnTimerKAfterItsFinalResponse() {
        final List<String> heard = new ArrayList<>();
        final SipRequest bye = request("BYE", "z9hG4bKc6", ";tag=t");
        layer.sendNonInvite(bye, bytes(bye), FROM_PEER, listener(heard));
        layer.onResponse(response(bye, 200, "OK"));
        layer.onResponse(response(bye, 200, "OK"));
        assertEquals(List.of("200"), heard, "a retransmitted final response is absorbed");
        advance(TIMERS.t4Ms());
        assertEquals(0, layer.size());
    }

    @Test
    void strayResponsesAreCounted() {
        final SipRequest bye = request("BYE", "z9hG4bKunknown", ";tag=t");
        layer.onResponse(response(bye, 200, "OK"));
        assertEquals(1, layer.stats().strayResponses);
    }

    @Test
    void reliableTransportsNeitherRetransmitNorLinger() {
        final Destination tcp = Destination.of(Transport.TCP, PEER);
        final List<String> heard = new ArrayList<>();
        final SipRequest bye = request("BYE", "z9hG4bKc7", ";tag=t");
        layer.sendNonInvite(bye, bytes(bye), tcp, listener(heard));
        advance(4000);
        assertEquals(1, sent.size());
        layer.onResponse(response(bye, 200, "OK"));
        assertEquals(0, layer.size(), "timer K is zero over TCP");
    }

    // ---- helpers --------------------------------------------------------------------------

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

    private static String text(String method, String branch, String toTag) {
        return method + " sip:+18005550100@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5090;branch=" + branch + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:+14155550001@127.0.0.1>;tag=f\r\n"
                + "To: <sip:+18005550100@127.0.0.1>" + toTag + "\r\n"
                + "Call-ID: c-" + branch + "@127.0.0.1\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + "Contact: <sip:carrier@127.0.0.1:5090>\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    private static SipRequest request(String method, String branch, String toTag) {
        return (SipRequest) parse(text(method, branch, toTag));
    }

    private static SipResponse response(SipRequest request, int status, String reason) {
        return (SipResponse) parse(new String(SipResponseBuilder.forRequest(request, status, reason).toTag("h")
                .toBytes(), StandardCharsets.US_ASCII));
    }

    private static SipMessage parse(String text) {
        final byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        final SipMessage m = SipParser.parse(b, 0, b.length);
        assertNotNull(m);
        return m;
    }

    private static byte[] bytes(SipRequest request) {
        return java.util.Arrays.copyOfRange(request.array(), request.offset(), request.offset() + request.length());
    }

    private static String toTag(String message) {
        for (String line : message.split("\r\n")) {
            if (line.startsWith("To:")) {
                return line.substring(line.indexOf(";tag=") + 5);
            }
        }
        throw new AssertionError("no To in " + message);
    }

    private static String firstLine(byte[] message) {
        final String s = new String(message, StandardCharsets.US_ASCII);
        return s.substring(0, s.indexOf("\r\n"));
    }
}
