package org.callrouter.server.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/** The slow-request bound on a stepped clock: a request must be whole within the limit of its first byte. */
class SlowRequestGuardTest {

    private static final long LIMIT_NS = 10_000_000_000L;
    private long nowNs = 1_000;

    private EmbeddedChannel channel() {
        return new EmbeddedChannel(new TrackingServer.SlowRequestGuard(LIMIT_NS, () -> nowNs));
    }

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }

    @Test
    void aRequestTricklingInPastTheLimitClosesTheConnection() {
        final EmbeddedChannel ch = channel();
        assertTrue(ch.writeInbound(bytes("POST /v1/pools/p/sessions HTTP/1.1\r\n")));
        nowNs += LIMIT_NS - 1;
        assertTrue(ch.writeInbound(bytes("Host: t\r\n")), "still within the limit");
        nowNs += 2;
        ch.writeInbound(bytes("X"));
        assertEquals(2, ch.inboundMessages().size(), "the bytes after the limit are not passed on");
        assertFalse(ch.isOpen());
        ch.releaseInbound();
    }

    @Test
    void anAnswerStartsTheClockAfresh() {
        final EmbeddedChannel ch = channel();
        assertTrue(ch.writeInbound(bytes("GET /callrouter.js HTTP/1.1\r\n\r\n")));
        ch.writeOutbound(bytes("HTTP/1.1 200 OK\r\n\r\n"));
        nowNs += 3 * LIMIT_NS; // an idle keep-alive connection: the idle timeout's business, not this one's
        assertTrue(ch.writeInbound(bytes("GET /callrouter.js HTTP/1.1\r\n")));
        assertTrue(ch.isOpen());
        assertEquals(2, ch.inboundMessages().size());
        ch.finishAndReleaseAll();
    }
}
