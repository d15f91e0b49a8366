package org.callrouter.server.b2bua;

import java.util.List;

import org.callrouter.sip.codec.SipParser;
import org.callrouter.sip.codec.SipRequestBuilder;
import org.callrouter.sip.message.HeaderName;
import org.callrouter.sip.message.SipMethod;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.server.transport.Destination;

/**
 * One side of a call as a SIP dialog (RFC 3261 section 12): identifiers, sequence numbers,
 * the remote target and route set, and where in-dialog requests go. The B2BUA holds two: the
 * carrier's (we are its UAS) and the current handler's (we are its UAC).
 */
final class Dialog {

    final String callId;
    /** Our From (as UAC) or To (as UAS) value, with our tag. */
    final String localHeader;
    /** The peer's From (as UAS) or To (as UAC) value, with its tag once known. */
    String remoteHeader;
    String remoteTag;
    long localCseq;
    /** The peer's Contact URI: the Request-URI of in-dialog requests (12.2.1.1). */
    String remoteTarget;
    /** Route header values, in the order they go in a request. */
    List<String> routeSet = List.of();
    /** Where in-dialog requests are sent. */
    Destination destination;

    Dialog(String callId, String localHeader, String remoteHeader, long localCseq) {
        this.callId = callId;
        this.localHeader = localHeader;
        this.remoteHeader = remoteHeader;
        this.localCseq = localCseq;
    }

    /**
     * Builds an in-dialog request (RFC 3261 12.2.1.1) with a new CSeq, or the same CSeq for
     * ACK and CANCEL, a new Via branch, and the route set.
     *
     * @param method  the method.
     * @param cseq    the CSeq number to use.
     * @param via     the top Via value.
     * @param contact our Contact (for target-refresh requests), or null.
     * @return a builder the caller may add headers and a body to.
     */
    SipRequestBuilder request(SipMethod method, long cseq, String via, String contact) {
        return request(method, cseq, via, contact, 70);
    }

    /** As {@link #request(SipMethod, long, String, String)} with a given Max-Forwards. */
    SipRequestBuilder request(SipMethod method, long cseq, String via, String contact, int maxForwards) {
        final SipRequestBuilder b = SipRequestBuilder.request(method, remoteTarget)
                .header(HeaderName.VIA, via)
                .header(HeaderName.MAX_FORWARDS, Integer.toString(maxForwards));
        for (int i = 0, n = routeSet.size(); i < n; i++) {
            b.header(HeaderName.ROUTE, routeSet.get(i));
        }
        b.header(HeaderName.FROM, localHeader)
                .header(HeaderName.TO, remoteHeader)
                .header(HeaderName.CALL_ID, callId)
                .header(HeaderName.CSEQ, cseq + " " + method.name());
        if (contact != null) {
            b.header(HeaderName.CONTACT, contact);
        }
        return b;
    }

    /** Takes the next local CSeq number. */
    long nextCseq() {
        return ++localCseq;
    }

    /** Encodes a request and parses it back: the transaction layer keeps the parsed form. */
    static SipRequest parseOwn(byte[] encoded) {
        return (SipRequest) SipParser.parse(encoded, 0, encoded.length);
    }
}
