package org.callrouter.sip.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.callrouter.sip.message.HeaderName;
import org.callrouter.sip.message.SipMethod;
import org.junit.jupiter.api.Test;

/**
 * The encoders' output: text written into the growing buffer, short ranges copied into it, long
 * ones viewed, and the bytes the same whichever way they were stored.
 */
class SegmentsTest {

    private static String text(Segments s) {
        final byte[] bytes = s.toBytes();
        assertEquals(s.length(), bytes.length, "length");
        final ByteBuf buf = Unpooled.buffer();
        s.writeTo(buf);
        final byte[] written = new byte[buf.readableBytes()];
        buf.readBytes(written);
        assertArrayEquals(bytes, written, "writeTo and toBytes agree");
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void headersNumbersAndConstantsMakeOneText() {
        final Segments s = new Segments().add("INVITE sip:1@example.com SIP/2.0").add(Segments.CRLF)
                .header(HeaderName.CALL_ID, "abc").add("CSeq: ").add(0).add(" ").add(2_147_483_647L)
                .add(Segments.CRLF).add(-5).add(Long.MIN_VALUE);
        assertEquals("INVITE sip:1@example.com SIP/2.0\r\nCall-ID: abc\r\nCSeq: 0 2147483647\r\n-5"
                + Long.MIN_VALUE, text(s));
    }

    @Test
    void textGrowingPastItsBufferKeepsEarlierRanges() {
        final Segments s = new Segments();
        final StringBuilder expected = new StringBuilder();
        final byte[] view = "X-Long: ".concat("v".repeat(100)).concat("\r\n").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 60; i++) {
            s.header(HeaderName.VIA, "SIP/2.0/UDP 127.0.0.1:" + (5000 + i) + ";branch=z9hG4bK" + i);
            expected.append("Via: SIP/2.0/UDP 127.0.0.1:").append(5000 + i).append(";branch=z9hG4bK").append(i)
                    .append("\r\n");
            if (i % 7 == 0) {
                s.add(view, 0, view.length);
                expected.append(new String(view, StandardCharsets.US_ASCII));
            }
        }
        assertEquals(expected.toString(), text(s));
        final Segments outer = new Segments().add("SIP/2.0 200 OK\r\n").add(s).add(Segments.CRLF);
        s.add("more text after the copy");
        assertEquals("SIP/2.0 200 OK\r\n" + expected + "\r\n", text(outer));
    }

    @Test
    void nonAsciiTextIsUtf8EvenWhenItForcesTheBufferToGrow() {
        final Segments s = new Segments().add("a".repeat(120)).add("From: \"Zoë Ærø 東京\" <sip:z@x>");
        assertEquals("a".repeat(120) + "From: \"Zoë Ærø 東京\" <sip:z@x>", text(s));
    }

    @Test
    void aRangeOfAnotherArrayIsCopiedOnlyWhenShort() {
        final byte[] shortArray = "abc".getBytes(StandardCharsets.US_ASCII);
        final byte[] longArray = "0123456789".repeat(5).getBytes(StandardCharsets.US_ASCII);
        final Segments s = new Segments().add(shortArray).add(longArray, 5, 45).add(longArray, 45, 50);
        shortArray[0] = 'z'; // copied: the change does not show
        longArray[6] = 'Z';  // viewed: the change shows
        assertEquals("abc5Z78901234567890123456789012345678901234567890".substring(0, 3 + 45), text(s));
    }

    @Test
    void controlCharactersInAValueAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Segments().header(HeaderName.SUBJECT, "a\r\nVia: x"));
    }
    @Test
    void aThreadsOutputIsReusedCleanAndANestedEncodingGetsItsOwn() {
        final Segments first = Segments.borrow();
        final StringBuilder long1 = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            first.header(HeaderName.VIA, "SIP/2.0/UDP 10.0.0." + i + ":5060;branch=z9hG4bKreuse" + i);
            long1.append("Via: SIP/2.0/UDP 10.0.0.").append(i).append(":5060;branch=z9hG4bKreuse").append(i)
                    .append("\r\n");
        }
        final Segments nested = Segments.borrow();
        assertNotSame(first, nested, "lent already: a nested encoding gets a new object");
        nested.add("nested");
        assertEquals("nested", text(nested));
        nested.giveBack();
        assertEquals(long1.toString(), text(first));
        first.giveBack();

        final Segments second = Segments.borrow();
        assertSame(first, second, "given back: the thread's output again");
        assertEquals(0, second.length(), "empty after the loan ended");
        second.add("CSeq: ").add(7).add(" BYE").add(Segments.CRLF);
        assertEquals("CSeq: 7 BYE\r\n", text(second), "nothing left of the longer message before it");
        second.giveBack();
    }

    @Test
    void encodingTheSameBuilderTwiceGivesTheSameBytes() {
        final SipRequestBuilder bye = SipRequestBuilder.request(SipMethod.BYE, "sip:bob@example.com")
                .header(HeaderName.VIA, "SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKtwice")
                .header(HeaderName.CALL_ID, "twice@example.com")
                .header(HeaderName.CSEQ, "2 BYE");
        final byte[] once = bye.toBytes();
        final SipRequestBuilder big = SipRequestBuilder.request(SipMethod.OPTIONS,
                "sip:" + "x".repeat(500) + "@example.com");
        for (int i = 0; i < 20; i++) {
            big.header(HeaderName.VIA, "SIP/2.0/UDP 127.0.0.1:" + (6000 + i) + ";branch=z9hG4bKbig" + i);
        }
        assertTrue(big.toBytes().length > 1_000);
        assertArrayEquals(once, bye.toBytes(), "a bigger encoding in between leaves nothing behind");
    }
}
