package org.callrouter.sip.message;

import org.callrouter.sip.syntax.SipLexer;
import org.callrouter.sip.uri.Uri;

/** A SIP request (RFC 3261 7.1): {@code Method SP Request-URI SP SIP-Version CRLF}, headers, body. */
public final class SipRequest extends SipMessage {

    private final SipMethod method;
    private final int uriStart;
    private final int uriEnd;
    private Uri requestUri;

    /**
     * A request view over bytes the codec has split; obtain requests from {@code SipParser}.
     *
     * @param array        the wire bytes
     * @param offset       where the message starts
     * @param length       the message length, body included
     * @param startLineEnd where the request line ends, after its CRLF
     * @param method       the method
     * @param uriStart     where the Request-URI starts
     * @param uriEnd       where the Request-URI ends
     * @param headers      the header fields
     * @param bodyOffset   where the body starts
     * @param bodyLength   the body length
     */
    public SipRequest(byte[] array, int offset, int length, int startLineEnd, SipMethod method, int uriStart,
            int uriEnd, HeaderIndex headers, int bodyOffset, int bodyLength) {
        super(array, offset, length, startLineEnd, headers, bodyOffset, bodyLength);
        if (uriStart < offset || uriEnd < uriStart || uriEnd > startLineEnd) {
            throw new IllegalArgumentException("inconsistent Request-URI range");
        }
        this.method = method;
        this.uriStart = uriStart;
        this.uriEnd = uriEnd;
    }

    @Override
    public boolean isRequest() {
        return true;
    }

    /** The method. */
    public SipMethod method() {
        return method;
    }

    /** The Request-URI as written. */
    public String requestUriString() {
        return SipLexer.utf8(array(), uriStart, uriEnd);
    }

    /** The Request-URI, parsed (RFC 3261 19.1). */
    public Uri requestUri() {
        if (requestUri == null) {
            requestUri = Uri.parse(array(), uriStart, uriEnd);
        }
        return requestUri;
    }

    /** Where the Request-URI starts in {@link #array()}. */
    public int requestUriStart() {
        return uriStart;
    }

    /** Where the Request-URI ends in {@link #array()}. */
    public int requestUriEnd() {
        return uriEnd;
    }
}
