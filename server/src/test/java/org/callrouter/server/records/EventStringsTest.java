package org.callrouter.server.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class EventStringsTest {

    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024));

    @Test
    void nullAndEmptyRoundTrip() {
        int at = EventStrings.put(buffer, 0, null);
        at = EventStrings.put(buffer, at, "");
        assertEquals(EventStrings.length(null) + EventStrings.length(""), at);
        assertNull(EventStrings.get(buffer, 0));
        assertEquals("", EventStrings.get(buffer, EventStrings.skip(buffer, 0)));
    }

    @Test
    void randomStringsEncodeAsTheJdkDoes() {
        final long seed = System.nanoTime();
        System.out.println("EventStringsTest seed " + seed);
        final SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 2000; round++) {
            final StringBuilder sb = new StringBuilder();
            final int length = random.nextInt(40);
            for (int i = 0; i < length; i++) {
                switch (random.nextInt(4)) {
                    case 0 -> sb.append((char) random.nextInt(0x20, 0x7F));
                    case 1 -> sb.append((char) random.nextInt(0x80, 0x800));
                    case 2 -> sb.append((char) random.nextInt(0x800, 0xD800));
                    default -> sb.appendCodePoint(random.nextInt(0x10000, 0x110000));
                }
            }
            final String s = sb.toString();
            final int end = EventStrings.put(buffer, 0, s);
            assertEquals(EventStrings.length(s), end, "seed " + seed + ": length of " + s);
            assertEquals(s.getBytes(StandardCharsets.UTF_8).length + Integer.BYTES, end, "seed " + seed);
            assertEquals(s, EventStrings.get(buffer, 0), "seed " + seed);
        }
    }

    @Test
    void unpairedSurrogateBecomesQuestionMark() {
        final String broken = "a\uD800b\uDC00";
        final int end = EventStrings.put(buffer, 0, broken);
        assertEquals(EventStrings.length(broken), end);
        assertEquals("a?b?", EventStrings.get(buffer, 0));
    }

    @Test
    void longStringsAreCutAtTheLimitAndWholeWhenAsked() {
        final String longer = "x".repeat(EventStrings.MAX_CHARS + 10);
        EventStrings.put(buffer, 0, longer);
        assertEquals(EventStrings.MAX_CHARS, EventStrings.get(buffer, 0).length());
        final int end = EventStrings.put(buffer, 0, longer, Integer.MAX_VALUE);
        assertEquals(EventStrings.length(longer, Integer.MAX_VALUE), end);
        assertEquals(longer, EventStrings.get(buffer, 0));
    }
}
