package org.callrouter.server.b2bua;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

import org.callrouter.sip.codec.SipParser;
import org.callrouter.sip.codec.SipRequestBuilder;
import org.callrouter.sip.message.HeaderName;
import org.callrouter.sip.message.SipMethod;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.sip.message.SipResponse;
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
    /** Our tag: the local tag of the dialog id (RFC 3261 12.2.2). */
    final String localTag;
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
    /**
     * The peer as the dialog began: where the carrier's INVITE came from, or the handler's
     * configured address. With {@link #destination} it is where the peer's requests may come from.
     */
    Destination peer;

    Dialog(String callId, String localHeader, String remoteHeader, long localCseq) {
        this.callId = callId;
        this.localHeader = localHeader;
        this.localTag = localHeader.substring(localHeader.lastIndexOf(";tag=") + 5);
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

    /**
     * RFC 3261 12.2.2: a request is in this dialog when its Call-ID, To tag (our local tag) and
     * From tag (the remote tag) are the dialog's. A peer without a From tag (RFC 2543) has a
     * null remote tag and must send none.
     */
    boolean matches(SipRequest request) {
        return matchesLocalTag(request) && Objects.equals(remoteTag, request.fromTag());
    }

    /**
     * The part of the match that holds before the dialog is confirmed: Call-ID and our tag. Our
     * tag is 64 secret bits only the peer we sent it to has seen; the remote tag of an early
     * dialog is not settled (each fork of a 18x may bring its own).
     */
    boolean matchesLocalTag(SipRequest request) {
        return callId.equals(request.callId()) && localTag.equals(request.toTag());
    }

    /**
     * Whether {@code source} is this dialog's peer: the same transport and IP address as where
     * the dialog began or where its requests now go (its Contact or first route). Ports are not
     * compared: a peer may send from another port than the one it listens on (a new TCP
     * connection always does).
     */
    boolean isPeer(Destination source) {
        return sameHost(source, peer) || sameHost(source, destination);
    }

    private static boolean sameHost(Destination source, Destination known) {
        if (known == null || source.transport() != known.transport()) {
            return false;
        }
        final InetAddress address = known.address().getAddress();
        return address != null && address.equals(source.address().getAddress());
    }

    /**
     * RFC 3261 12.1.2: the dialog state a UAC takes from the 2xx to its INVITE (the remote tag,
     * the To value, the route set: the Record-Route values reversed). The remote target is the
     * B2BUA's to take ({@link B2bua#updateTarget}).
     */
    void confirmAsUac(SipResponse response) {
        remoteTag = response.toTag();
        remoteHeader = response.header(HeaderName.TO);
        final List<String> recordRoutes = response.headerValues(HeaderName.RECORD_ROUTE);
        if (!recordRoutes.isEmpty()) {
            final String[] reversed = new String[recordRoutes.size()];
            for (int i = 0; i < reversed.length; i++) {
                reversed[i] = recordRoutes.get(reversed.length - 1 - i);
            }
            routeSet = List.of(reversed);
        }
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
