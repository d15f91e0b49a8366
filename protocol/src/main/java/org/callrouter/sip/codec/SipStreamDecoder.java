package org.callrouter.sip.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ByteProcessor;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Arrays;
import java.util.List;
import org.callrouter.sip.message.SipMessage;

/**
 * Frames SIP messages on a stream (TCP, TLS) by Content-Length (RFC 3261 18.3) and decodes each
 * into an {@link InboundMessage}; one instance per connection. Handles messages split across
 * reads and several messages in one read, and skips CRLF keep-alives between messages, firing
 * {@link SipKeepAlive#PING} for each double CRLF (RFC 5626 4.4.1).
 *
 * <p>A message that is framed but does not parse becomes a failed {@link InboundMessage} and
 * decoding goes on with the next one. A framing error (Content-Length missing, repeated or
 * malformed; a header block or message over {@link SipLimits#maxMessageBytes()}) leaves no way
 * to find the next message: the decoder emits one failed {@link InboundMessage} (with the
 * partial message when the header block was complete, so the server can answer it) and from
 * then on discards everything the connection sends. Never throws.
 */
public final class SipStreamDecoder extends ByteToMessageDecoder {

    private final SipLimits limits;
    private final HeaderEndFinder finder = new HeaderEndFinder();
    private byte[] headerBlock = new byte[1024];
    private int searched;
    private int frameLength = -1;
    private int crlfs;
    private boolean bad;

    /** A decoder with the default limits. */
    public SipStreamDecoder() {
        this(new SipLimits());
    }

    /** A decoder with a copy of {@code limits}. */
    public SipStreamDecoder(SipLimits limits) {
        this.limits = new SipLimits(limits);
    }

    /** Whether a framing error has put this decoder in its discard-everything state. */
    public boolean isBad() {
        return bad;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (bad) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (skipKeepAlives(ctx, in) || !in.isReadable()) {
            return;
        }
        if (frameLength < 0 && !frame(ctx, in, out)) {
            return;
        }
        if (in.readableBytes() < frameLength) {
            return;
        }
        byte[] bytes = new byte[frameLength];
        in.readBytes(bytes);
        frameLength = -1;
        searched = 0;
        try {
            out.add(InboundMessage.of(MessageParser.parse(bytes, 0, bytes.length, limits, true), sender(ctx),
                    local(ctx)));
        } catch (SipParseException e) {
            out.add(InboundMessage.failed(e, sender(ctx), local(ctx)));
        }
    }

    /**
     * Looks for the end of the header block and reads its Content-Length, setting
     * {@link #frameLength}. Returns false while the header block is incomplete or after a framing
     * error.
     */
    private boolean frame(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int readable = in.readableBytes();
        int window = Math.min(readable, limits.maxMessageBytes());
        int resume = Math.max(0, searched - 3);
        finder.reset();
        int found = in.forEachByte(start + resume, window - resume, finder);
        if (found < 0) {
            if (readable >= limits.maxMessageBytes()) {
                fail(ctx, in, out, new SipParseException(513, "Message Too Large"));
            } else {
                searched = window;
            }
            return false;
        }
        int headerLength = found + 1 - start;
        if (headerBlock.length < headerLength) {
            headerBlock = new byte[Math.max(headerLength, headerBlock.length * 2)];
        }
        in.getBytes(start, headerBlock, 0, headerLength);
        int total;
        try {
            total = headerLength + MessageParser.streamContentLength(headerBlock, 0, headerLength);
        } catch (SipParseException e) {
            fail(ctx, in, out, e.withPartial(partial(headerLength)));
            return false;
        }
        if (total > limits.maxMessageBytes() || total < 0) {
            fail(ctx, in, out, new SipParseException(513, "Message Too Large", partial(headerLength)));
            return false;
        }
        frameLength = total;
        return true;
    }

    /**
     * Skips CRLF pairs before a message, firing a ping for each two. Returns true when it must
     * wait for the byte after a lone CR.
     */
    private boolean skipKeepAlives(ChannelHandlerContext ctx, ByteBuf in) {
        while (in.readableBytes() >= 2 && in.getByte(in.readerIndex()) == '\r'
                && in.getByte(in.readerIndex() + 1) == '\n') {
            in.skipBytes(2);
            searched = 0;
            if (++crlfs == 2) {
                crlfs = 0;
                ctx.fireUserEventTriggered(SipKeepAlive.PING);
            }
        }
        if (in.readableBytes() == 1 && in.getByte(in.readerIndex()) == '\r') {
            return true;
        }
        if (in.isReadable()) {
            crlfs = 0;
        }
        return false;
    }

    /** The header block alone parsed as a message, so a framing failure can still be answered. */
    private SipMessage partial(int headerLength) {
        byte[] copy = Arrays.copyOf(headerBlock, headerLength);
        try {
            return MessageParser.parse(copy, 0, headerLength, limits, false);
        } catch (SipParseException e) {
            return e.partial();
        }
    }

    private void fail(ChannelHandlerContext ctx, ByteBuf in, List<Object> out, SipParseException e) {
        bad = true;
        in.skipBytes(in.readableBytes());
        out.add(InboundMessage.failed(e, sender(ctx), local(ctx)));
    }

    private static InetSocketAddress sender(ChannelHandlerContext ctx) {
        return inet(ctx.channel().remoteAddress());
    }

    private static InetSocketAddress local(ChannelHandlerContext ctx) {
        return inet(ctx.channel().localAddress());
    }

    private static InetSocketAddress inet(SocketAddress address) {
        return address instanceof InetSocketAddress ? (InetSocketAddress) address : null;
    }

    /** Finds the CRLFCRLF that ends a header block; stops on its last LF. */
    private static final class HeaderEndFinder implements ByteProcessor {

        private int matched;

        void reset() {
            matched = 0;
        }

        @Override
        public boolean process(byte value) {
            if (value == '\r') {
                matched = matched == 2 ? 3 : 1;
            } else if (value == '\n' && (matched == 1 || matched == 3)) {
                matched++;
            } else {
                matched = 0;
            }
            return matched != 4;
        }
    }
}
