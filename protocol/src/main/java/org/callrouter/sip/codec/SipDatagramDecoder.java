package org.callrouter.sip.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;

/**
 * Decodes each UDP datagram as one SIP message (RFC 3261 18.3) into an {@link InboundMessage}.
 * Stateless and {@link Sharable}. Never throws: a datagram that does not parse becomes a failed
 * {@link InboundMessage}; a datagram of only CR and LF bytes (a keep-alive) produces nothing.
 * The datagram is released after decoding.
 */
@Sharable
public final class SipDatagramDecoder extends MessageToMessageDecoder<DatagramPacket> {

    private final SipLimits limits;

    /** A decoder with the default limits. */
    public SipDatagramDecoder() {
        this(new SipLimits());
    }

    /** A decoder with a copy of {@code limits}. */
    public SipDatagramDecoder(SipLimits limits) {
        super(DatagramPacket.class);
        this.limits = new SipLimits(limits);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, DatagramPacket packet, List<Object> out) {
        ByteBuf content = packet.content();
        if (isKeepAlive(content)) {
            return;
        }
        try {
            out.add(InboundMessage.of(SipParser.parse(content, limits), packet.sender(), packet.recipient()));
        } catch (SipParseException e) {
            out.add(InboundMessage.failed(e, packet.sender(), packet.recipient()));
        }
    }

    private static boolean isKeepAlive(ByteBuf content) {
        return content.forEachByte(b -> b == '\r' || b == '\n') < 0;
    }
}
