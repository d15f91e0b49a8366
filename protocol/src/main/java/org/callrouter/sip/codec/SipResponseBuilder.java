package org.callrouter.sip.codec;

import org.callrouter.sip.message.HeaderIndex;
import org.callrouter.sip.message.HeaderName;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.sip.syntax.SipChars;

/**
 * Builds a response to a request (RFC 3261 8.2.6.2): the Via fields, From, To, Call-ID and CSeq
 * copied byte for byte in the request's order, the To tag added when asked and the To has
 * none, then the header fields added here, Content-Type and Content-Length. Works on the partial
 * message of a {@link SipParseException} too, so a malformed request can be answered with 400.
 */
public final class SipResponseBuilder extends MessageBuilder<SipResponseBuilder> {

    private final SipRequest request;
    private final int status;
    private final String reason;
    private String toTag;

    private SipResponseBuilder(SipRequest request, int status, String reason) {
        this.request = request;
        this.status = status;
        this.reason = reason;
    }

    /**
     * A response to {@code request}.
     *
     * @throws IllegalArgumentException when {@code status} is outside 100..699 or the reason
     *                                  holds a control character
     */
    public static SipResponseBuilder forRequest(SipRequest request, int status, String reason) {
        if (status < 100 || status > 699) {
            throw new IllegalArgumentException("status " + status + " is outside 100..699");
        }
        return new SipResponseBuilder(request, status, checkLine(reason, "reason"));
    }

    @Override
    SipResponseBuilder self() {
        return this;
    }

    /**
     * Adds {@code ;tag=tag} to the To field when it has no tag (RFC 3261 8.2.6.2); a To that
     * already has one, or that cannot be parsed, is copied unchanged.
     *
     * @throws IllegalArgumentException when {@code tag} is not a token
     */
    public SipResponseBuilder toTag(String tag) {
        if (!SipChars.isToken(tag)) {
            throw new IllegalArgumentException("not a tag token: '" + tag + "'");
        }
        this.toTag = tag;
        return this;
    }

    @Override
    void writeHead(Segments out) {
        out.add("SIP/2.0 ").add(status).add(" ").add(reason).add(Segments.CRLF);
        HeaderIndex headers = request.headers();
        for (int i = 0; i < headers.count(); i++) {
            HeaderName name = headers.knownName(i);
            if (name == HeaderName.TO && toTag != null && !hasTag()) {
                out.add(request.array(), headers.lineStart(i), headers.valueEnd(i))
                        .add(";tag=").add(toTag).add(Segments.CRLF);
            } else if (name == HeaderName.VIA || name == HeaderName.FROM || name == HeaderName.TO
                    || name == HeaderName.CALL_ID || name == HeaderName.CSEQ) {
                out.line(request, i);
            }
        }
    }

    private boolean hasTag() {
        try {
            return request.toTag() != null;
        } catch (SipParseException e) {
            return true;
        }
    }
}
