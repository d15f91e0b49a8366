package org.callrouter.loadtest.carrier;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.callrouter.sip.codec.SipParser;
import org.callrouter.sip.codec.SipRequestBuilder;
import org.callrouter.sip.codec.SipResponseBuilder;
import org.callrouter.sip.message.HeaderName;
import org.callrouter.sip.message.SipMethod;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.sip.message.SipResponse;

/**
 * The requests and responses a carrier (a UAC, RFC 3261 8.1) sends, built with the protocol
 * module's builders: the INVITE with an SDP offer, the ACK and BYE inside the dialog (12.2.1.1),
 * the CANCEL and the ACK for a non-2xx answer derived from the INVITE (9.1, 17.1.1.3), and 200s to
 * what the far end sends inside a dialog.
 */
final class CarrierMessages {

    static final String USER_AGENT = "callrouter-loadgen";
    static final String ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE";
    private static final String SDP_TYPE = "application/sdp";

    private final String host;
    private final String sentBy;
    private final String requestUri;
    private final String to;
    private final byte[] sdp;

    /**
     * Messages of a carrier bound at {@code local} calling {@code number} at {@code target}.
     */
    CarrierMessages(InetSocketAddress local, InetSocketAddress target, String number) {
        this.host = hostText(local);
        this.sentBy = host + ":" + local.getPort();
        this.requestUri = "sip:" + number + "@" + hostText(target) + ":" + target.getPort();
        this.to = "<" + requestUri + ">";
        this.sdp = sdpOffer(host);
    }

    private static String hostText(InetSocketAddress a) {
        String h = a.getAddress().getHostAddress();
        return h.indexOf(':') >= 0 ? "[" + h + "]" : h;
    }

    /** An SDP offer (RFC 4566) of G.711 and telephone events; no media flows, the router passes it through. */
    private static byte[] sdpOffer(String host) {
        String ip = host.startsWith("[") ? "IP6 " + host.substring(1, host.length() - 1) : "IP4 " + host;
        return ("v=0\r\n"
                + "o=loadgen 1 1 IN " + ip + "\r\n"
                + "s=-\r\n"
                + "c=IN " + ip + "\r\n"
                + "t=0 0\r\n"
                + "m=audio 49170 RTP/AVP 0 8 101\r\n"
                + "a=rtpmap:0 PCMU/8000\r\n"
                + "a=rtpmap:8 PCMA/8000\r\n"
                + "a=rtpmap:101 telephone-event/8000\r\n"
                + "a=fmtp:101 0-15\r\n"
                + "a=sendrecv\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The local host as it appears in Via, From and Contact. */
    String host() {
        return host;
    }

    /** The INVITE of {@code call} (RFC 3261 8.1.1): a new dialog with an SDP offer. */
    byte[] invite(CarrierCall call) {
        return SipRequestBuilder.request(SipMethod.INVITE, requestUri)
                .header(HeaderName.VIA, via(call.branch(CallIds.INVITE)))
                .header(HeaderName.MAX_FORWARDS, "70")
                .header(HeaderName.FROM, from(call))
                .header(HeaderName.TO, to)
                .header(HeaderName.CALL_ID, call.callId())
                .header(HeaderName.CSEQ, "1 INVITE")
                .header(HeaderName.CONTACT, contact(call))
                .header(HeaderName.ALLOW, ALLOW)
                .header(HeaderName.USER_AGENT, USER_AGENT)
                .body(SDP_TYPE, sdp, 0, sdp.length)
                .toBytes();
    }

    /** The ACK for the 2xx that set up {@code dialog} (RFC 3261 13.2.2.4): a transaction of its own. */
    byte[] ack(CarrierCall call, CarrierDialog dialog) {
        return inDialog(SipMethod.ACK, call, dialog, call.branch(CallIds.ACK), "1 ACK").toBytes();
    }

    /** The BYE ending {@code dialog} (RFC 3261 15.1.1). */
    byte[] bye(CarrierCall call, CarrierDialog dialog) {
        return inDialog(SipMethod.BYE, call, dialog, call.branch(CallIds.BYE), "2 BYE")
                .header(HeaderName.USER_AGENT, USER_AGENT)
                .toBytes();
    }

    private SipRequestBuilder inDialog(SipMethod method, CarrierCall call, CarrierDialog dialog, String branch,
            String cseq) {
        SipRequestBuilder b = SipRequestBuilder.request(method, dialog.requestUri())
                .header(HeaderName.VIA, via(branch))
                .header(HeaderName.MAX_FORWARDS, "70");
        for (String route : dialog.routes()) {
            b.header(HeaderName.ROUTE, route);
        }
        return b.header(HeaderName.FROM, from(call))
                .header(HeaderName.TO, dialog.to())
                .header(HeaderName.CALL_ID, call.callId())
                .header(HeaderName.CSEQ, cseq);
    }

    /** The CANCEL of the INVITE {@code invite} (RFC 3261 9.1). */
    static byte[] cancel(byte[] invite) {
        return SipRequestBuilder.cancelFor(parseOwn(invite)).toBytes();
    }

    /** The ACK for the non-2xx final {@code response} to {@code invite} (RFC 3261 17.1.1.3). */
    static byte[] ackNon2xx(byte[] invite, SipResponse response) {
        return SipRequestBuilder.ackForNon2xx(parseOwn(invite), response).toBytes();
    }

    private static SipRequest parseOwn(byte[] invite) {
        return (SipRequest) SipParser.parse(invite, 0, invite.length);
    }

    /** 200 to a request the far end sent inside the dialog (BYE, INFO, OPTIONS, UPDATE). */
    static byte[] ok(SipRequest request) {
        return SipResponseBuilder.forRequest(request, 200, "OK").toBytes();
    }

    /** A final answer to a request that belongs to no call of ours. */
    static byte[] reject(SipRequest request, int status, String reason) {
        return SipResponseBuilder.forRequest(request, status, reason).toBytes();
    }

    /** 200 with the SDP offer again to a re-INVITE (RFC 3261 14.2): the session does not change. */
    byte[] reinviteOk(CarrierCall call, SipRequest reinvite) {
        return SipResponseBuilder.forRequest(reinvite, 200, "OK")
                .header(HeaderName.CONTACT, contact(call))
                .body(SDP_TYPE, sdp, 0, sdp.length)
                .toBytes();
    }

    private String via(String branch) {
        return "SIP/2.0/UDP " + sentBy + ";branch=" + branch + ";rport";
    }

    private String from(CarrierCall call) {
        return "<sip:" + call.caller() + "@" + host + ">;tag=" + call.fromTag();
    }

    private String contact(CarrierCall call) {
        return "<sip:" + call.caller() + "@" + sentBy + ">";
    }
}
