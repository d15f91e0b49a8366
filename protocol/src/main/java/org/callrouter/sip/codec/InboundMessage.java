package org.callrouter.sip.codec;

import java.net.InetSocketAddress;
import org.callrouter.sip.message.SipMessage;

/**
 * What a decoder emits for each message received: the parsed message or the parse failure
 * (exactly one is non-null, in the style of Netty's {@code DecoderResult}), and the addresses it
 * travelled between. A failure travels down the pipeline instead of unwinding it, so the server
 * can answer it (see {@link SipParseException#partial()}).
 */
public final class InboundMessage {

    private final SipMessage message;
    private final SipParseException failure;
    private final InetSocketAddress sender;
    private final InetSocketAddress recipient;

    private InboundMessage(SipMessage message, SipParseException failure, InetSocketAddress sender,
            InetSocketAddress recipient) {
        this.message = message;
        this.failure = failure;
        this.sender = sender;
        this.recipient = recipient;
    }

    /** A message parsed successfully. */
    public static InboundMessage of(SipMessage message, InetSocketAddress sender, InetSocketAddress recipient) {
        if (message == null) {
            throw new NullPointerException("message");
        }
        return new InboundMessage(message, null, sender, recipient);
    }

    /** A message that failed to parse. */
    public static InboundMessage failed(SipParseException failure, InetSocketAddress sender,
            InetSocketAddress recipient) {
        if (failure == null) {
            throw new NullPointerException("failure");
        }
        return new InboundMessage(null, failure, sender, recipient);
    }

    /** The parsed message, or null when parsing failed. */
    public SipMessage message() {
        return message;
    }

    /** Why parsing failed, or null when it succeeded. */
    public SipParseException failure() {
        return failure;
    }

    /** Whether parsing succeeded. */
    public boolean isSuccess() {
        return message != null;
    }

    /** The address the message came from (the datagram's sender, the connection's remote end). */
    public InetSocketAddress sender() {
        return sender;
    }

    /** The local address it arrived at. */
    public InetSocketAddress recipient() {
        return recipient;
    }

    @Override
    public String toString() {
        return "InboundMessage{" + (message != null ? "ok" : failure.getMessage()) + " from " + sender + '}';
    }
}
