package org.callrouter.sip.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.callrouter.sip.message.SipMessage;

/**
 * Parses one SIP message with datagram framing (RFC 3261 18.3): the bytes given are the whole
 * message, a missing Content-Length means the body is the rest, and bytes after the declared
 * body are dropped. For TCP use {@link SipStreamDecoder}.
 *
 * <p>A parse either returns a message whose start line, Via, From, To, Call-ID, CSeq,
 * Max-Forwards, Content-Length and Content-Type are valid, or throws {@link SipParseException}.
 */
public final class SipParser {

    private static final SipLimits DEFAULT_LIMITS = new SipLimits();

    private SipParser() {
    }

    /** Parses [offset, offset + length) of {@code array} with the default limits; the message views the array. */
    public static SipMessage parse(byte[] array, int offset, int length) {
        return parse(array, offset, length, DEFAULT_LIMITS);
    }

    /** Parses [offset, offset + length) of {@code array}; the message views the array, which must not change. */
    public static SipMessage parse(byte[] array, int offset, int length, SipLimits limits) {
        if (offset < 0 || length < 0 || offset + length > array.length) {
            throw new IndexOutOfBoundsException("offset=" + offset + " length=" + length + " array=" + array.length);
        }
        return MessageParser.parse(array, offset, length, limits, false);
    }

    /** Parses the readable bytes of {@code buf} with the default limits. */
    public static SipMessage parse(ByteBuf buf) {
        return parse(buf, DEFAULT_LIMITS);
    }

    /**
     * Parses the readable bytes of {@code buf}: copies them once into an array the message
     * views. Neither moves the reader index nor releases the buffer.
     */
    public static SipMessage parse(ByteBuf buf, SipLimits limits) {
        if (buf.readableBytes() > limits.maxMessageBytes()) {
            throw new SipParseException(513, "Message Too Large");
        }
        byte[] bytes = ByteBufUtil.getBytes(buf);
        return MessageParser.parse(bytes, 0, bytes.length, limits, false);
    }
}
