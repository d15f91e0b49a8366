package org.callrouter.server.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

class EventStringsTest {

    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(16);

    @Test
    void nullAndEmptyRoundTrip() {
        int at = EventStrings.put(buffer, 0, null);
        at = EventStrings.put(buffer, at, "");
        assertEquals(2 * Integer.BYTES, at);
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
                switch (random.nextInt(5)) {
                    case 0, 1 -> sb.append((char) random.nextInt(0x20, 0x7F));
                    case 2 -> sb.append((char) random.nextInt(0x80, 0x800));
                    case 3 -> sb.append((char) random.nextInt(0x800, 0xD800));
                    default -> sb.appendCodePoint(random.nextInt(0x10000, 0x110000));
                }
            }
            final String s = sb.toString();
            final int offset = random.nextInt(8);
            final int end = EventStrings.put(buffer, offset, s);
            assertEquals(s.getBytes(StandardCharsets.UTF_8).length + Integer.BYTES, end - offset, "seed " + seed);
            assertEquals(s, EventStrings.get(buffer, offset), "seed " + seed);
            assertEquals(end, EventStrings.skip(buffer, offset), "seed " + seed);
        }
    }

    @Test
    void asciiTakesTheBlockCopyAndAnythingElseTheEncoder() {
        // The block copy keeps the low byte of each char: right for ASCII only. U+0141 (Ł) has
        // the low byte of 'A', U+00E9 (é) is Latin-1 but not ASCII: both must be UTF-8 encoded.
        for (String s : new String[] {"+14155550123", "caller_state", "x".repeat(300), "\u0000\u007f",
                "Łukasz", "AŁ", "caf\u00e9", "\u00ff", "Ab\u0100"}) {
            final int end = EventStrings.put(buffer, 3, s);
            assertEquals(s.getBytes(StandardCharsets.UTF_8).length + Integer.BYTES, end - 3, s);
            assertEquals(s, EventStrings.get(buffer, 3));
        }
    }

    @Test
    void unpairedSurrogateBecomesQuestionMark() {
        final String broken = "a\uD800b\uDC00";
        EventStrings.put(buffer, 0, broken);
        assertEquals("a?b?", EventStrings.get(buffer, 0));
    }

    @Test
    void longStringsAreCutAtTheLimitAndWholeWhenAsked() {
        final String longer = "x".repeat(EventStrings.MAX_CHARS + 10) + "\u00e9";
        EventStrings.put(buffer, 0, longer);
        assertEquals(EventStrings.MAX_CHARS, EventStrings.get(buffer, 0).length());
        EventStrings.put(buffer, 0, longer, Integer.MAX_VALUE);
        assertEquals(longer, EventStrings.get(buffer, 0));
    }
}
