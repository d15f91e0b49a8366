package org.callrouter.server.sipua;

import gov.nist.javax.sip.RequestEventExt;
import java.net.InetSocketAddress;
import java.util.Locale;
import javax.sip.RequestEvent;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;

/**
 * A SIP request a test peer received, as the test needs it.
 *
 * @param method      the request method
 * @param requestUri  the Request-URI
 * @param callId      the Call-ID
 * @param cseq        the CSeq sequence number
 * @param fromUser    the user part of the From URI ({@code null} when it has none)
 * @param toUser      the user part of the To URI ({@code null} when it has none)
 * @param toTag       the To tag: present on requests inside a dialog (RFC 3261 section 12.2)
 * @param branch      the branch of the topmost Via: one per transaction (RFC 3261 section 17.2.3)
 * @param headers     every header field
 * @param body        the body decoded as UTF-8 ({@code ""} when empty)
 * @param source      the address the request came from
 * @param transport   {@code UDP} or {@code TCP}
 * @param arrivalNs   {@link System#nanoTime()} when the user agent saw the request
 */
public record ReceivedRequest(String method, String requestUri, String callId, long cseq, String fromUser,
                              String toUser, String toTag, String branch, Headers headers, String body,
                              InetSocketAddress source, String transport, long arrivalNs) {

    static ReceivedRequest of(RequestEvent event, long arrivalNs) {
        Request request = event.getRequest();
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        ToHeader to = (ToHeader) request.getHeader(ToHeader.NAME);
        InetSocketAddress source = event instanceof RequestEventExt ext
                ? InetSocketAddress.createUnresolved(ext.getRemoteIpAddress(), ext.getRemotePort())
                : null;
        return new ReceivedRequest(request.getMethod(), request.getRequestURI().toString(),
                ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId(),
                ((CSeqHeader) request.getHeader(CSeqHeader.NAME)).getSeqNumber(),
                userOf(((FromHeader) request.getHeader(FromHeader.NAME)).getAddress().getURI()),
                userOf(to.getAddress().getURI()), to.getTag(), via.getBranch(), Headers.of(request),
                Headers.body(request), source, via.getTransport().toUpperCase(Locale.ROOT), arrivalNs);
    }

    /** The first value of header field {@code name}, or {@code null}: shorthand for {@code headers().first(name)}. */
    public String header(String name) {
        return headers.first(name);
    }

    /** Whether the request belongs to an established dialog (it carries a To tag). */
    public boolean inDialog() {
        return toTag != null;
    }

    /** The user part of the Request-URI ({@code null} when it has none). */
    public String requestUser() {
        int colon = requestUri.indexOf(':');
        int at = requestUri.indexOf('@');
        return at < 0 ? null : requestUri.substring(colon + 1, at);
    }

    @Override
    public String toString() {
        return method + " " + requestUri + " (Call-ID " + callId + ", CSeq " + cseq + ", " + transport + ")";
    }

    static String userOf(URI uri) {
        return uri instanceof SipURI sip ? sip.getUser() : null;
    }
}
