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
    /**
     * Where our tag (the local tag of the dialog id, RFC 3261 12.2.2) begins in {@link
     * #localHeader}; it runs to the end, as we wrote the header. The tags are kept as places in
     * their headers rather than strings of their own: two strings fewer per dialog, times
     * 100,000 live calls.
     */
    private final int localTagAt;
    /** The peer's From (as UAS) or To (as UAC) value, with its tag once known. */
    private String remoteHeader;
    /** Where the peer's tag sits in {@link #remoteHeader}, or -1 (no tag, or one the header does not hold). */
    private int remoteTagAt = -1;
    private int remoteTagLength;
    /** The peer's tag when the header does not hold it as its {@code tag} parameter; usually null. */
    private String remoteTagApart;
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
        this.localTagAt = localHeader.lastIndexOf(";tag=") + 5;
        this.remoteHeader = remoteHeader;
        this.localCseq = localCseq;
    }

    /** Our tag (allocates: for the few places that send it on). */
    String localTag() {
        return localHeader.substring(localTagAt);
    }

    String remoteHeader() {
        return remoteHeader;
    }

    /** The peer's tag, or null (allocates: use {@link #isRemoteTag} to compare). */
    String remoteTag() {
        return remoteTagAt >= 0 ? remoteHeader.substring(remoteTagAt, remoteTagAt + remoteTagLength) : remoteTagApart;
    }

    /** Whether {@code tag} is the peer's tag; null matches only a peer without one (RFC 2543). */
    boolean isRemoteTag(String tag) {
        if (remoteTagAt < 0) {
            return Objects.equals(tag, remoteTagApart);
        }
        return tag != null && tag.length() == remoteTagLength
                && remoteHeader.regionMatches(remoteTagAt, tag, 0, remoteTagLength);
    }

    /** The peer's header and its tag (null: none). */
    void remote(String header, String tag) {
        remoteHeader = header;
        remoteTag(tag);
    }

    /** The peer's tag (null: none), found in the peer's header when it holds it as its tag parameter. */
    void remoteTag(String tag) {
        final int at = tag == null ? -1 : tagParameterAt(remoteHeader, tag);
        remoteTagAt = at;
        remoteTagLength = at >= 0 ? tag.length() : 0;
        remoteTagApart = at >= 0 ? null : tag;
    }

    /** Where {@code tag} is the value of a {@code tag} parameter of {@code header}, or -1. */
    private static int tagParameterAt(String header, String tag) {
        final int at = header == null || tag.isEmpty() ? -1 : header.lastIndexOf(tag);
        if (at < 5 || !header.regionMatches(true, at - 5, ";tag=", 0, 5)) {
            return -1;
        }
        final int end = at + tag.length();
        return end == header.length() || header.charAt(end) == ';' || header.charAt(end) == ' ' ? at : -1;
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
        return matchesLocalTag(request) && isRemoteTag(request.fromTag());
    }

    /**
     * The part of the match that holds before the dialog is confirmed: Call-ID and our tag. Our
     * tag is 64 secret bits only the peer we sent it to has seen; the remote tag of an early
     * dialog is not settled (each fork of a 18x may bring its own).
     */
    boolean matchesLocalTag(SipRequest request) {
        final String tag = request.toTag();
        return callId.equals(request.callId()) && tag != null && tag.length() == localHeader.length() - localTagAt
                && localHeader.regionMatches(localTagAt, tag, 0, tag.length());
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
        remote(response.header(HeaderName.TO), response.toTag());
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
