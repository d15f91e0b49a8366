package org.callrouter.server.b2bua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.callrouter.routing.config.TrunkConfig;
import org.junit.jupiter.api.Test;

/** A trunk's Request-URIs, its {@code max_concurrent} places and its failure mark; the answer refusing an offer. */
class TrunkTest {

    private static TrunkConfig config(String uri, int maxConcurrent) {
        return new TrunkConfig("carrier", uri, "u", "p", "+15551230000", maxConcurrent, 25);
    }

    @Test
    void theCustomersNumberBecomesTheUserPartOfTheTrunksUri() {
        assertEquals("sip:+12125550123@10.0.0.1:5070;transport=tcp", Trunk.Settings.of(
                config("sip:10.0.0.1:5070;transport=tcp", 1)).requestUri("+12125550123"));
        assertEquals("sips:+12125550123@trunk.example.com", Trunk.Settings.of(
                config("sips:account@trunk.example.com", 1)).requestUri("+12125550123"));
        assertNull(Trunk.Settings.of(new TrunkConfig("t", "sip:h", null, null, "+15551230000", 1, 25)).credentials());
    }

    @Test
    void placesAreBoundedAndAFailureMarkLastsUntilTheNextLoad() {
        final Trunks trunks = new Trunks();
        trunks.configure(List.of(config("sip:10.0.0.1", 2)));
        final Trunk trunk = trunks.get("carrier");
        assertTrue(trunk.tryAcquire());
        assertTrue(trunk.tryAcquire());
        assertFalse(trunk.tryAcquire(), "max_concurrent 2");
        trunk.release();
        assertTrue(trunk.tryAcquire());
        assertEquals(3, trunk.calls());

        trunk.failed(Trunk.Failure.UNREACHABLE, "trunk carrier unreachable");
        assertNull(trunk.failedBecause(), "a timeout is counted, not a mark");
        trunk.failed(Trunk.Failure.FORBIDDEN, "trunk carrier refused the call: 403 Forbidden");
        trunk.failed(Trunk.Failure.CHALLENGED_AGAIN, "second");
        assertEquals("trunk carrier refused the call: 403 Forbidden", trunk.failedBecause(), "the first reason stays");
        assertEquals(1, trunk.failures(Trunk.Failure.FORBIDDEN));

        trunks.configure(List.of(config("sip:10.0.0.1", 3), new TrunkConfig("other", "sip:h", null, null,
                "+15551230000", 1, 25)));
        assertSame(trunk, trunks.get("carrier"), "the same trunk: its counts and live calls go on");
        assertNull(trunk.failedBecause(), "a reload clears the mark");
        assertEquals(2, trunk.active());
        assertTrue(trunk.tryAcquire(), "the new max_concurrent applies");
        assertEquals(1, trunk.failures(Trunk.Failure.FORBIDDEN));
        trunks.configure(List.of());
        assertNull(trunks.get("carrier"));
    }

    @Test
    void theRefusingAnswerKeepsEveryStreamAtPortZero() {
        final String offer = "v=0\r\no=agent 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio 49170 RTP/AVP 0 8\r\na=rtpmap:0 PCMU/8000\r\nm=video 51372 RTP/AVP 31\r\n";
        final String answer = new String(RejectingAnswer.to(offer.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        assertTrue(answer.startsWith("v=0\r\n"), answer);
        assertTrue(answer.contains("\r\nm=audio 0 RTP/AVP 0\r\nm=video 0 RTP/AVP 31\r\n"), answer);
    }
}
