package org.callrouter.sip.codec;

import org.callrouter.sip.message.HeaderIndex;
import org.callrouter.sip.message.HeaderName;
import org.callrouter.sip.message.SipMessage;

/**
 * What the request and response builders share: header fields appended in call order (new
 * ones, or copied byte for byte from a parsed message), the body, and the encoding, which always
 * ends the header fields with Content-Type (when there is a body) and Content-Length.
 *
 * @param <B> the builder type, for chaining
 */
abstract class MessageBuilder<B extends MessageBuilder<B>> extends Encodable {

    private final Segments added = new Segments(Segments.HEADER_TEXT);
    private String contentType;
    private byte[] bodyArray;
    private int bodyOffset;
    private int bodyLength;

    abstract B self();

    /** Writes the start line and the header fields the builder was created with. */
    abstract void writeHead(Segments out);

    /**
     * Appends header field {@code name: value}.
     *
     * @throws IllegalArgumentException when the value holds CR, LF or another control character
     */
    public B header(HeaderName name, CharSequence value) {
        added.header(name, value);
        return self();
    }

    /**
     * Appends every field named {@code name} of {@code src}, byte for byte. The bytes are not
     * copied until encoding: {@code src} must not change before then.
     */
    public B copyHeaders(SipMessage src, HeaderName name) {
        HeaderIndex headers = src.headers();
        for (int i = headers.indexOf(name, 0); i >= 0; i = headers.indexOf(name, i + 1)) {
            added.line(src, i);
        }
        return self();
    }

    /**
     * Sets the body and its Content-Type (RFC 3261 20.15: required when the body is not empty).
     * The bytes are not copied until encoding.
     *
     * @throws IllegalArgumentException when the body is not empty and {@code contentType} is null
     */
    public B body(String contentType, byte[] array, int offset, int length) {
        this.contentType = checkBody(contentType, array, offset, length);
        this.bodyArray = array;
        this.bodyOffset = offset;
        this.bodyLength = length;
        return self();
    }

    @Override
    void writeSegments(Segments out) {
        writeHead(out);
        out.add(added);
        if (contentType != null) {
            out.header(HeaderName.CONTENT_TYPE, contentType);
        }
        out.add("Content-Length: ").add(bodyLength).add(Segments.CRLF).add(Segments.CRLF);
        if (bodyLength > 0) {
            out.add(bodyArray, bodyOffset, bodyOffset + bodyLength);
        }
    }

    /** Checks a body and returns its checked Content-Type. */
    static String checkBody(String contentType, byte[] array, int offset, int length) {
        if (length > 0 && contentType == null) {
            throw new IllegalArgumentException("a body needs a Content-Type");
        }
        if (offset < 0 || length < 0 || offset + length > array.length) {
            throw new IndexOutOfBoundsException("offset=" + offset + " length=" + length);
        }
        return contentType == null ? null : Segments.checkValue(contentType).toString();
    }

    /** Checks a reason phrase or similar one-line text. */
    static String checkLine(String text, String what) {
        if (text == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        Segments.checkValue(text);
        return text;
    }
}
