package org.callrouter.server;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.callrouter.routing.CallContext;
import org.callrouter.routing.Router;
import org.callrouter.routing.config.NumberConfig;
import org.callrouter.sip.codec.SipMessageEditor;
import org.callrouter.sip.codec.SipParser;
import org.callrouter.sip.codec.SipRequestBuilder;
import org.callrouter.sip.codec.SipResponseBuilder;
import org.callrouter.sip.message.HeaderName;
import org.callrouter.sip.message.SipMethod;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.sip.message.SipResponse;
import org.callrouter.sip.validate.RequestValidator;

/**
 * Runs the heaviest parts of the call path (the SIP codec and the routing decision) some
 * thousands of times before the sockets open. A JVM interprets code until the JIT has
 * compiled it: without this, the first few hundred calls after a start take tens of
 * milliseconds each, the SIP loop falls behind for a moment, and calls that came at a rate the
 * router handles easily once warm wait or are refused. Nothing is sent and nothing is counted:
 * routing decisions are made but no handler is reserved.
 */
final class Warmup {

    private static final int ROUNDS = 20_000;
    private static final long BUDGET_NS = 3_000_000_000L;

    private Warmup() {
    }

    /**
     * Exercises the codec and {@code router.route()} for at most {@link #ROUNDS} rounds or
     * three seconds, whichever comes first.
     *
     * @return the rounds run.
     */
    static int run(Router router, List<NumberConfig> numbers, RequestValidator validator) {
        final String dialed = numbers.isEmpty() ? "+18005550100" : numbers.get(0).number();
        final byte[] invite = carrierInvite(dialed);
        final long deadline = System.nanoTime() + BUDGET_NS;
        int round = 0;
        long sink = 0;
        for (; round < ROUNDS && System.nanoTime() < deadline; round++) {
            sink += oneCall(invite, validator, round);
            final CallContext call = CallContext.builder()
                    .dialedNumber(dialed)
                    .callerNumber("+1415555" + (1000 + round % 9000))
                    .nowMs(System.currentTimeMillis())
                    .build();
            sink += router.route(call).candidates().size();
        }
        // The sum keeps the JIT from proving the work useless.
        return sink == Long.MIN_VALUE ? -1 : round;
    }

    /** What the B2BUA does with one call's messages, minus the sockets. */
    private static long oneCall(byte[] invite, RequestValidator validator, int round) {
        final SipRequest request = (SipRequest) SipParser.parse(invite, 0, invite.length);
        long sink = validator.validate(request) == null ? 1 : 0;
        sink += request.callId().length() + request.cseq().number() + request.topVia().port()
                + request.from().uri().toString().length() + request.maxForwards() + request.contacts().size();
        final byte[] trying = SipResponseBuilder.forRequest(request, 100, "Trying").toBytes();
        final byte[] leg = SipRequestBuilder.request(SipMethod.INVITE, "sip:127.0.0.1:5080")
                .header(HeaderName.VIA, "SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKwarm" + round + ";rport")
                .header(HeaderName.MAX_FORWARDS, "69")
                .header(HeaderName.FROM, "<sip:+14155550100@127.0.0.1>;tag=w" + round)
                .header(HeaderName.TO, "<sip:127.0.0.1:5080>")
                .header(HeaderName.CALL_ID, "warm" + round + "@127.0.0.1")
                .header(HeaderName.CSEQ, "1 INVITE")
                .header(HeaderName.CONTACT, "<sip:127.0.0.1:5060>")
                .body(request.contentType(), request.array(), request.bodyOffset(), request.bodyLength())
                .toBytes();
        final SipRequest sent = (SipRequest) SipParser.parse(leg, 0, leg.length);
        final byte[] ok = SipResponseBuilder.forRequest(sent, 200, "OK").toTag("h" + round)
                .header(HeaderName.CONTACT, "<sip:127.0.0.1:5080>")
                .body(sent.contentType(), sent.array(), sent.bodyOffset(), sent.bodyLength())
                .toBytes();
        final SipResponse answer = (SipResponse) SipParser.parse(ok, 0, ok.length);
        sink += answer.statusCode() + answer.toTag().length() + answer.contacts().size();
        sink += SipRequestBuilder.cancelFor(sent).toBytes().length;
        sink += SipRequestBuilder.ackForNon2xx(sent, answer).toBytes().length;
        sink += SipMessageEditor.of(request).setTopViaReceived("127.0.0.1", 5090).toBytes().length;
        return sink + trying.length;
    }

    private static byte[] carrierInvite(String dialed) {
        final String sdp = "v=0\r\no=user1 53655765 2353687637 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n"
                + "t=0 0\r\nm=audio 21000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
        final String user = dialed.startsWith("+") ? dialed.substring(1) : dialed;
        return ("INVITE sip:" + user + "@127.0.0.1:5060 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5090;branch=z9hG4bK-warm-1\r\n"
                + "From: \"caller\" <sip:+14155550100@127.0.0.1:5090>;tag=warm1\r\n"
                + "To: <sip:" + user + "@127.0.0.1:5060>\r\n"
                + "Call-ID: warm-1@127.0.0.1\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:caller@127.0.0.1:5090>\r\n"
                + "Max-Forwards: 70\r\n"
                + "Content-Type: application/sdp\r\n"
                + "Content-Length: " + sdp.length() + "\r\n\r\n" + sdp).getBytes(StandardCharsets.US_ASCII);
    }
}
