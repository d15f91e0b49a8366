package org.callrouter.sip.codec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.callrouter.sip.message.SipMessage;
import org.junit.jupiter.api.Test;

class SipStreamDecoderTest {

    private static final byte[] INVITE = CorpusFiles.message("twilio-invite-tcp");
    private static final byte[] OPTIONS = CorpusFiles.message("cisco-options");
    private static final byte[] OK = CorpusFiles.message("telnyx-200-invite");
    private static final byte[] PING = "\r\n\r\n".getBytes(UTF_8);

    /** Records the keep-alive pings the decoder fires. */
    private static final class Pings extends ChannelInboundHandlerAdapter {
        int count;

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == SipKeepAlive.PING) {
                count++;
            }
        }
    }

    @Test
    void decodesAStreamAtEveryFragmentSize() {
        byte[] stream = concat(INVITE, PING, OPTIONS, "\r\n".getBytes(UTF_8), OK);
        for (int size = 1; size <= stream.length; size++) {
            Pings pings = new Pings();
            SipStreamDecoder decoder = new SipStreamDecoder();
            EmbeddedChannel channel = new EmbeddedChannel(decoder, pings);
            List<ByteBuf> written = new ArrayList<>();
            for (int p = 0; p < stream.length; p += size) {
                ByteBuf fragment = Unpooled.copiedBuffer(stream, p, Math.min(size, stream.length - p));
                written.add(fragment);
                channel.writeInbound(fragment);
            }
            List<SipMessage> messages = successes(channel);
            assertEquals(3, messages.size(), "fragment size " + size);
            assertArrayEquals(INVITE, bytesOf(messages.get(0)), "fragment size " + size);
            assertArrayEquals(OPTIONS, bytesOf(messages.get(1)), "fragment size " + size);
            assertArrayEquals(OK, bytesOf(messages.get(2)), "fragment size " + size);
            assertEquals(1, pings.count, "one double-CRLF ping");
            assertFalse(decoder.isBad());
            assertFalse(channel.finish());
            for (ByteBuf b : written) {
                assertEquals(0, b.refCnt(), "fragment released");
            }
        }
    }

    @Test
    void decodesSeveralMessagesFromOneRead() {
        EmbeddedChannel channel = new EmbeddedChannel(new SipStreamDecoder());
        ByteBuf in = Unpooled.wrappedBuffer(concat(OPTIONS, INVITE, OPTIONS, OK));
        channel.writeInbound(in);
        assertEquals(4, successes(channel).size());
        assertEquals(0, in.refCnt());
        assertFalse(channel.finish());
    }

    @Test
    void keepAlivesAloneProduceNoMessage() {
        Pings pings = new Pings();
        EmbeddedChannel channel = new EmbeddedChannel(new SipStreamDecoder(), pings);
        channel.writeInbound(Unpooled.wrappedBuffer(concat(PING, PING)));
        assertNull(channel.readInbound());
        assertEquals(2, pings.count);
        assertFalse(channel.finish());
    }

    @Test
    void missingContentLengthFailsOnceThenDiscardsTheStream() {
        byte[] noLength = withoutContentLength(OPTIONS);
        SipStreamDecoder decoder = new SipStreamDecoder();
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        ByteBuf first = Unpooled.wrappedBuffer(noLength);
        ByteBuf second = Unpooled.wrappedBuffer(INVITE);
        channel.writeInbound(first);
        channel.writeInbound(second);
        InboundMessage failed = channel.readInbound();
        assertFalse(failed.isSuccess());
        assertEquals(400, failed.failure().status());
        assertEquals("Missing Content-Length", failed.failure().reason());
        assertNotNull(failed.failure().partial(), "the header block can still be answered");
        assertEquals("5C4D3E2F-8A9B11ED-9ABCDEF0-12345678@198.51.100.10", failed.failure().partial().callId());
        assertNull(channel.readInbound(), "everything after a framing error is discarded");
        assertTrue(decoder.isBad());
        assertEquals(0, first.refCnt());
        assertEquals(0, second.refCnt());
        assertFalse(channel.finish());
    }

    @Test
    void contentLengthOverTheLimitIs513() {
        String head = new String(OPTIONS, UTF_8).replace("Content-Length: 0", "Content-Length: 70000");
        EmbeddedChannel channel = new EmbeddedChannel(new SipStreamDecoder());
        channel.writeInbound(Unpooled.copiedBuffer(head, UTF_8));
        InboundMessage failed = channel.readInbound();
        assertEquals(513, failed.failure().status());
        assertNotNull(failed.failure().partial());
        assertFalse(channel.finish());
    }

    @Test
    void headerBlockOverTheLimitIs513() {
        SipLimits limits = new SipLimits().maxStartLineBytes(1024).maxHeaderFieldBytes(1024).maxMessageBytes(2048);
        EmbeddedChannel channel = new EmbeddedChannel(new SipStreamDecoder(limits));
        byte[] endless = new byte[3000];
        Arrays.fill(endless, (byte) 'a');
        channel.writeInbound(Unpooled.wrappedBuffer(endless));
        InboundMessage failed = channel.readInbound();
        assertEquals(513, failed.failure().status());
        assertFalse(channel.finish());
    }

    @Test
    void aFramedButMalformedMessageFailsAndDecodingGoesOn() {
        byte[] bad = new String(OPTIONS, UTF_8).replace("CSeq: 101 OPTIONS", "CSeq: x OPTIONS").getBytes(UTF_8);
        EmbeddedChannel channel = new EmbeddedChannel(new SipStreamDecoder());
        channel.writeInbound(Unpooled.wrappedBuffer(concat(bad, OK)));
        InboundMessage failed = channel.readInbound();
        assertEquals("Malformed CSeq number", failed.failure().reason());
        InboundMessage next = channel.readInbound();
        assertTrue(next.isSuccess());
        assertFalse(channel.finish());
    }

    @Test
    void repeatedContentLengthIsAFramingError() {
        byte[] twice = new String(OPTIONS, UTF_8).replace("Content-Length: 0", "Content-Length: 0\r\nl: 0")
                .getBytes(UTF_8);
        EmbeddedChannel channel = new EmbeddedChannel(new SipStreamDecoder());
        channel.writeInbound(Unpooled.wrappedBuffer(twice));
        InboundMessage failed = channel.readInbound();
        assertEquals("Repeated Content-Length", failed.failure().reason());
        assertFalse(channel.finish());
    }

    static List<SipMessage> successes(EmbeddedChannel channel) {
        List<SipMessage> out = new ArrayList<>();
        for (Object o = channel.readInbound(); o != null; o = channel.readInbound()) {
            InboundMessage m = (InboundMessage) o;
            assertTrue(m.isSuccess(), () -> "unexpected failure " + m.failure());
            out.add(m.message());
        }
        return out;
    }

    static byte[] bytesOf(SipMessage m) {
        return Arrays.copyOfRange(m.array(), m.offset(), m.offset() + m.length());
    }

    static byte[] withoutContentLength(byte[] message) {
        return new String(message, UTF_8).replace("Content-Length: 0\r\n", "").getBytes(UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
