package org.callrouter.sip.message;

import org.callrouter.sip.syntax.SipLexer;

/** A SIP response (RFC 3261 7.2): {@code SIP-Version SP Status-Code SP Reason-Phrase CRLF}, headers, body. */
public final class SipResponse extends SipMessage {

    private final int statusCode;
    private final int reasonStart;
    private final int reasonEnd;

    /**
     * A response view over bytes the codec has split; obtain responses from {@code SipParser}.
     *
     * @param array        the wire bytes
     * @param offset       where the message starts
     * @param length       the message length, body included
     * @param startLineEnd where the status line ends, after its CRLF
     * @param statusCode   the status code (100..699)
     * @param reasonStart  where the reason phrase starts
     * @param reasonEnd    where the reason phrase ends
     * @param headers      the header fields
     * @param bodyOffset   where the body starts
     * @param bodyLength   the body length
     */
    public SipResponse(byte[] array, int offset, int length, int startLineEnd, int statusCode, int reasonStart,
            int reasonEnd, HeaderIndex headers, int bodyOffset, int bodyLength) {
        super(array, offset, length, startLineEnd, headers, bodyOffset, bodyLength);
        if (reasonStart < offset || reasonEnd < reasonStart || reasonEnd > startLineEnd) {
            throw new IllegalArgumentException("inconsistent reason phrase range");
        }
        this.statusCode = statusCode;
        this.reasonStart = reasonStart;
        this.reasonEnd = reasonEnd;
    }

    @Override
    public boolean isRequest() {
        return false;
    }

    /** The status code, 100..699. */
    public int statusCode() {
        return statusCode;
    }

    /** The reason phrase (UTF-8), possibly empty. */
    public String reasonPhrase() {
        return SipLexer.utf8(array(), reasonStart, reasonEnd);
    }
}
