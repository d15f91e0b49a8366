package org.callrouter.sip.codec;

import org.callrouter.sip.message.HeaderIndex;
import org.callrouter.sip.message.HeaderName;
import org.callrouter.sip.message.SipMethod;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.sip.message.SipResponse;
import org.callrouter.sip.syntax.SipLexer;
import org.callrouter.sip.syntax.UriScanner;
import org.callrouter.sip.syntax.ViaScanner;

/**
 * Builds a request: a new one from a method and Request-URI, or the CANCEL (RFC 3261 9.1) and
 * the ACK for a non-2xx final response (RFC 3261 17.1.1.3) that a client transaction derives from
 * its INVITE. Header fields follow in call order, then Content-Type and Content-Length.
 */
public final class SipRequestBuilder extends MessageBuilder<SipRequestBuilder> {

    /** The Max-Forwards a new request starts with (RFC 3261 8.1.1.6). */
    public static final int DEFAULT_MAX_FORWARDS = 70;

    private final SipMethod method;
    private final String requestUri;
    private final Segments head = new Segments(Segments.HEADER_TEXT);

    private SipRequestBuilder(SipMethod method, String requestUri) {
        this.method = method;
        this.requestUri = requestUri;
    }

    /**
     * A new request.
     *
     * @throws IllegalArgumentException when {@code requestUri} is not a valid URI, or a SIP URI
     *                                  with headers (RFC 3261 19.1.1)
     */
    public static SipRequestBuilder request(SipMethod method, CharSequence requestUri) {
        checkRequestUri(requestUri);
        return new SipRequestBuilder(method, requestUri.toString());
    }

    /** The bytes of a valid Request-URI, or an IllegalArgumentException saying what is wrong. */
    static byte[] checkRequestUri(CharSequence uri) {
        byte[] a = SipLexer.bytes(uri);
        UriScanner scanner = new UriScanner();
        try {
            scanner.scan(a, 0, a.length);
        } catch (SipParseException e) {
            throw new IllegalArgumentException("not a valid Request-URI: '" + uri + "' (" + e.reason() + ")", e);
        }
        if (scanner.isSip() && scanner.headersStart >= 0) {
            throw new IllegalArgumentException("a Request-URI has no headers: '" + uri + "'");
        }
        return a;
    }

    /**
     * The CANCEL for {@code invite} (RFC 3261 9.1): same Request-URI, Call-ID, From, To and CSeq
     * number, CSeq method CANCEL, only the INVITE's top Via, and its Route fields.
     */
    public static SipRequestBuilder cancelFor(SipRequest invite) {
        SipRequestBuilder b = new SipRequestBuilder(SipMethod.CANCEL, invite.requestUriString());
        b.deriveFrom(invite, null, SipMethod.CANCEL);
        return b;
    }

    /**
     * The ACK for a non-2xx final response to {@code invite} (RFC 3261 17.1.1.3): the INVITE's
     * Request-URI, Call-ID, From, top Via and Route fields, the To of the response (with its
     * tag), and the CSeq number with method ACK.
     */
    public static SipRequestBuilder ackForNon2xx(SipRequest invite, SipResponse response) {
        SipRequestBuilder b = new SipRequestBuilder(SipMethod.ACK, invite.requestUriString());
        b.deriveFrom(invite, response, SipMethod.ACK);
        return b;
    }

    private void deriveFrom(SipRequest invite, SipResponse response, SipMethod cseqMethod) {
        HeaderIndex headers = invite.headers();
        byte[] a = invite.array();
        int via = headers.indexOf(HeaderName.VIA, 0);
        if (via >= 0) {
            ViaScanner scanner = new ViaScanner();
            int p = scanner.scan(a, headers.valueStart(via), headers.valueEnd(via));
            if (p >= headers.valueEnd(via)) {
                head.line(invite, via);
            } else {
                head.add(a, headers.lineStart(via), headers.valueStart(via)).add(a, scanner.start, scanner.end)
                        .add(Segments.CRLF);
            }
        }
        for (int i = 0; i < headers.count(); i++) {
            HeaderName name = headers.knownName(i);
            if (name == HeaderName.FROM || name == HeaderName.CALL_ID || name == HeaderName.ROUTE
                    || name == HeaderName.TO && response == null) {
                head.line(invite, i);
            }
        }
        if (response != null) {
            int to = response.headers().indexOf(HeaderName.TO, 0);
            head.line(response, to);
        }
        head.add("CSeq: ").add(invite.cseq().number()).add(" ").add(cseqMethod.name()).add(Segments.CRLF);
        head.add("Max-Forwards: ").add(DEFAULT_MAX_FORWARDS).add(Segments.CRLF);
    }

    @Override
    SipRequestBuilder self() {
        return this;
    }

    @Override
    void writeHead(Segments out) {
        out.add(method.name()).add(" ").add(requestUri).add(" SIP/2.0").add(Segments.CRLF).add(head);
    }
}
