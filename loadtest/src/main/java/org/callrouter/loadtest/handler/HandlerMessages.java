package org.callrouter.loadtest.handler;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.callrouter.sip.codec.SipResponseBuilder;
import org.callrouter.sip.message.HeaderName;
import org.callrouter.sip.message.SipRequest;

/**
 * The responses a handler (a UAS, RFC 3261 8.2.6) sends, built with the protocol module's
 * builder: provisional and final answers to an INVITE with the handler's To tag, Contact and the
 * INVITE's Record-Route copied (12.1.1), the 2xx with an SDP answer, and answers to requests
 * inside or outside a dialog.
 */
final class HandlerMessages {

    static final String ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE";
    private static final String SDP_TYPE = "application/sdp";

    private final String contact;
    private final byte[] sdp;

    /** Messages of the handler bound at {@code local}. */
    HandlerMessages(InetSocketAddress local) {
        String h = local.getAddress().getHostAddress();
        boolean v6 = h.indexOf(':') >= 0;
        String host = v6 ? "[" + h + "]" : h;
        this.contact = "<sip:handler@" + host + ":" + local.getPort() + ">";
        String ip = (v6 ? "IP6 " : "IP4 ") + h;
        this.sdp = ("v=0\r\n"
                + "o=handler 1 1 IN " + ip + "\r\n"
                + "s=-\r\n"
                + "c=IN " + ip + "\r\n"
                + "t=0 0\r\n"
                + "m=audio 49180 RTP/AVP 0 101\r\n"
                + "a=rtpmap:0 PCMU/8000\r\n"
                + "a=rtpmap:101 telephone-event/8000\r\n"
                + "a=fmtp:101 0-15\r\n"
                + "a=sendrecv\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** 100 Trying (RFC 3261 17.2.1): no tag, nothing but the copied fields. */
    static byte[] trying(SipRequest invite) {
        return SipResponseBuilder.forRequest(invite, 100, "Trying").toBytes();
    }

    /** A provisional or non-2xx final answer to {@code invite}, in the dialog {@code toTag} names. */
    byte[] answer(SipRequest invite, int status, String reason, String toTag) {
        return dialogResponse(invite, status, reason, toTag).toBytes();
    }

    /** The 2xx to {@code invite} with the SDP answer (RFC 3261 13.3.1.4). */
    byte[] ok(SipRequest invite, String toTag) {
        return dialogResponse(invite, 200, "OK", toTag).body(SDP_TYPE, sdp, 0, sdp.length).toBytes();
    }

    private SipResponseBuilder dialogResponse(SipRequest invite, int status, String reason, String toTag) {
        return SipResponseBuilder.forRequest(invite, status, reason)
                .toTag(toTag)
                .copyHeaders(invite, HeaderName.RECORD_ROUTE)
                .header(HeaderName.CONTACT, contact);
    }

    /** 200 to a request inside a dialog, or to a CANCEL (with the INVITE's tag, RFC 3261 9.2). */
    static byte[] okFor(SipRequest request, String toTag) {
        return SipResponseBuilder.forRequest(request, 200, "OK").toTag(toTag).toBytes();
    }

    /** 200 to an OPTIONS outside a dialog (RFC 3261 11.2): what this handler supports. */
    static byte[] optionsOk(SipRequest options, String toTag) {
        return SipResponseBuilder.forRequest(options, 200, "OK")
                .toTag(toTag)
                .header(HeaderName.ALLOW, ALLOW)
                .header(HeaderName.ACCEPT, SDP_TYPE)
                .toBytes();
    }

    /** 200 with the SDP answer again to a re-INVITE: the session does not change. */
    byte[] reinviteOk(SipRequest reinvite) {
        return SipResponseBuilder.forRequest(reinvite, 200, "OK")
                .header(HeaderName.CONTACT, contact)
                .body(SDP_TYPE, sdp, 0, sdp.length)
                .toBytes();
    }

    /** A final failure to a request this handler cannot place; a 405 says what is allowed (RFC 3261 21.4.6). */
    static byte[] reject(SipRequest request, int status, String reason, String toTag) {
        SipResponseBuilder b = SipResponseBuilder.forRequest(request, status, reason).toTag(toTag);
        if (status == 405) {
            b.header(HeaderName.ALLOW, ALLOW);
        }
        return b.toBytes();
    }
}
