package org.callrouter.sip.codec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import org.callrouter.sip.message.SipRequest;
import org.junit.jupiter.api.Test;

class SipDatagramDecoderTest {

    private static final InetSocketAddress SENDER = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 5060);

    @Test
    void decodesADatagramWithItsAddressesAndReleasesIt() {
        EmbeddedChannel channel = new EmbeddedChannel(new SipDatagramDecoder());
        ByteBuf content = Unpooled.wrappedBuffer(CorpusFiles.message("bandwidth-invite"));
        channel.writeInbound(new DatagramPacket(content, LOCAL, SENDER));
        InboundMessage in = channel.readInbound();
        assertTrue(in.isSuccess());
        assertNull(in.failure());
        assertEquals(SENDER, in.sender());
        assertEquals(LOCAL, in.recipient());
        assertEquals("+15551234567", ((org.callrouter.sip.uri.SipUri) ((SipRequest) in.message()).requestUri()).user());
        assertEquals(0, content.refCnt());
        assertFalse(channel.finish());
    }

    @Test
    void aBadDatagramBecomesAFailureWithItsPartialMessage() {
        EmbeddedChannel channel = new EmbeddedChannel(new SipDatagramDecoder());
        String bad = new String(CorpusFiles.message("bandwidth-invite"), UTF_8).replace("SIP/2.0\r\n", "SIP/3.0\r\n");
        ByteBuf content = Unpooled.copiedBuffer(bad, UTF_8);
        channel.writeInbound(new DatagramPacket(content, LOCAL, SENDER));
        InboundMessage in = channel.readInbound();
        assertNull(in.message());
        assertEquals(505, in.failure().status());
        assertNotNull(in.failure().partial());
        assertEquals(SENDER, in.sender());
        assertEquals(0, content.refCnt());
        assertFalse(channel.finish());
    }

    @Test
    void keepAliveDatagramsProduceNothing() {
        EmbeddedChannel channel = new EmbeddedChannel(new SipDatagramDecoder());
        ByteBuf ping = Unpooled.copiedBuffer("\r\n\r\n", UTF_8);
        channel.writeInbound(new DatagramPacket(ping, LOCAL, SENDER));
        assertNull(channel.readInbound());
        assertEquals(0, ping.refCnt());
        assertFalse(channel.finish());
    }

    @Test
    void oneInstanceServesSeveralChannels() {
        SipDatagramDecoder shared = new SipDatagramDecoder();
        for (int i = 0; i < 2; i++) {
            EmbeddedChannel channel = new EmbeddedChannel(shared);
            channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(CorpusFiles.message("cisco-options")),
                    LOCAL, SENDER));
            assertTrue(((InboundMessage) channel.readInbound()).isSuccess());
            assertFalse(channel.finish());
        }
    }

    @Test
    void aDatagramOverTheLimitIs513() {
        EmbeddedChannel channel = new EmbeddedChannel(new SipDatagramDecoder(new SipLimits()
                .maxStartLineBytes(512).maxHeaderFieldBytes(512).maxMessageBytes(512)));
        ByteBuf content = Unpooled.wrappedBuffer(CorpusFiles.message("bandwidth-invite"));
        channel.writeInbound(new DatagramPacket(content, LOCAL, SENDER));
        assertEquals(513, ((InboundMessage) channel.readInbound()).failure().status());
        assertEquals(0, content.refCnt());
        assertFalse(channel.finish());
    }
}
