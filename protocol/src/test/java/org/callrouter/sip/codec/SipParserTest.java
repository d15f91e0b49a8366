package org.callrouter.sip.codec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.callrouter.sip.message.SipMessage;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.sip.message.SipResponse;
import org.junit.jupiter.api.Test;

class SipParserTest {

    private static final String OPTIONS = "OPTIONS sip:a@example.com SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP h.example.com;branch=z9hG4bK1\r\nFrom: <sip:b@example.com>;tag=1\r\n"
            + "To: <sip:a@example.com>\r\nCall-ID: c1@h\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n"
            + "Content-Length: 0\r\n\r\n";

    private static SipParseException error(String text) {
        byte[] b = text.getBytes(UTF_8);
        return assertThrows(SipParseException.class, () -> SipParser.parse(b, 0, b.length));
    }

    @Test
    void parsesASliceWithoutCopyingIt() {
        byte[] b = ("garbage" + OPTIONS + "trailer").getBytes(UTF_8);
        SipMessage m = SipParser.parse(b, 7, OPTIONS.length());
        assertSame(b, m.array());
        assertEquals(7, m.offset());
        assertEquals(OPTIONS.length(), m.length());
        assertEquals("c1@h", m.callId());
    }

    @Test
    void parsesAByteBufWithoutConsumingOrReleasingIt() {
        ByteBuf buf = Unpooled.copiedBuffer(OPTIONS, UTF_8);
        SipMessage m = SipParser.parse(buf);
        assertInstanceOf(SipRequest.class, m);
        assertEquals(0, buf.readerIndex());
        assertEquals(1, buf.refCnt());
        buf.release();
    }

    @Test
    void skipsLeadingCrlf() {
        byte[] b = ("\r\n\r\n" + OPTIONS).getBytes(UTF_8);
        assertEquals(4, SipParser.parse(b, 0, b.length).offset());
    }

    @Test
    void responsesCarryStatusAndReason() {
        byte[] b = ("SIP/2.0 486 Busy Here\r\n" + OPTIONS.substring(OPTIONS.indexOf("\r\n") + 2)).getBytes(UTF_8);
        SipResponse r = (SipResponse) SipParser.parse(b, 0, b.length);
        assertEquals(486, r.statusCode());
        assertEquals("Busy Here", r.reasonPhrase());
    }

    @Test
    void startLineErrors() {
        assertEquals("Empty message", error("\r\n\r\n").reason());
        assertEquals("Malformed request line", error("OPTIONS\r\n\r\n").reason());
        assertEquals(505, error(OPTIONS.replace("SIP/2.0\r\n", "SIP/3.0\r\n")).status());
        assertEquals(505, error("SIP/3.0 200 OK\r\n\r\n").status());
        assertEquals("Malformed status code", error("SIP/2.0 2000 OK\r\n\r\n").reason());
        assertEquals("Malformed status code", error("SIP/2.0 099 OK\r\n\r\n").reason());
        assertEquals("Control character in reason phrase", error("SIP/2.0 200 O\u0001K\r\n\r\n").reason());
        assertEquals("Headers in Request-URI", error(OPTIONS.replace("sip:a@example.com SIP", "sip:a@example.com?x=y SIP"))
                .reason());
    }

    @Test
    void lineStructureErrorsCarryThePartialMessage() {
        SipParseException bareLf = error(OPTIONS.replace("CSeq: 1 OPTIONS\r\n", "CSeq: 1 OPTIONS\n"));
        assertEquals("Bare CR or LF", bareLf.reason());
        SipMessage partial = bareLf.partial();
        assertNotNull(partial);
        assertEquals(4, partial.headerCount(), "the fields before the broken line");
        assertEquals("c1@h", partial.callId());
        assertEquals("Malformed header field", error(OPTIONS.replace("Max-Forwards:", "Max-Forwards")).reason());
        assertEquals("Folded line without header field", error("OPTIONS sip:a@b SIP/2.0\r\n x: y\r\n\r\n").reason());
        assertEquals("Missing empty line after header fields", error(OPTIONS.substring(0, OPTIONS.length() - 2))
                .reason());
    }

    @Test
    void missingMandatoryHeadersAreListed() {
        SipParseException e = error("INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nCSeq: 1 INVITE\r\n"
                + "Content-Length: 0\r\n\r\n");
        assertEquals(400, e.status());
        assertEquals("Missing From, To, Call-ID", e.reason());
        assertEquals("z9hG4bK1", e.partial().topVia().branch());
    }

    @Test
    void eagerHeadersAreValidatedAndNotRepeated() {
        assertEquals("Repeated From", error(OPTIONS.replace("To:", "From: <sip:c@d>\r\nTo:")).reason());
        assertEquals("Malformed Max-Forwards", error(OPTIONS.replace("Max-Forwards: 70", "Max-Forwards: 256")).reason());
        assertEquals("Malformed Call-ID", error(OPTIONS.replace("Call-ID: c1@h", "Call-ID: c1 h")).reason());
        assertEquals("Malformed Content-Type", error(OPTIONS.replace("Content-Length: 0", "Content-Length: 0\r\n"
                + "Content-Type: application")).reason());
        assertEquals("Malformed Content-Length", error(OPTIONS.replace("Content-Length: 0", "Content-Length: 0x"))
                .reason());
        assertEquals("Content-Length exceeds message", error(OPTIONS.replace("Content-Length: 0", "Content-Length: 1"))
                .reason());
    }

    @Test
    void limits() {
        SipLimits small = new SipLimits().maxStartLineBytes(64).maxHeaderFieldBytes(64).maxHeaderCount(8)
                .maxMessageBytes(512);
        byte[] big = new byte[600];
        assertEquals(513, assertThrows(SipParseException.class, () -> SipParser.parse(big, 0, big.length, small))
                .status());
        byte[] longUri = ("OPTIONS sip:" + "a".repeat(80) + "@b SIP/2.0\r\n\r\n").getBytes(UTF_8);
        assertEquals(414, assertThrows(SipParseException.class,
                () -> SipParser.parse(longUri, 0, longUri.length, small)).status());
        byte[] longField = OPTIONS.replace("Call-ID: c1@h", "Call-ID: " + "c".repeat(80)).getBytes(UTF_8);
        assertEquals("Header Field Too Long", assertThrows(SipParseException.class,
                () -> SipParser.parse(longField, 0, longField.length, small)).reason());
        byte[] many = OPTIONS.replace("Max-Forwards: 70\r\n", "X: 1\r\nX: 2\r\nX: 3\r\n").getBytes(UTF_8);
        assertEquals("Too Many Header Fields", assertThrows(SipParseException.class,
                () -> SipParser.parse(many, 0, many.length, small)).reason());
        byte[] declared = OPTIONS.replace("Content-Length: 0", "Content-Length: 100000").getBytes(UTF_8);
        assertEquals(513, assertThrows(SipParseException.class,
                () -> SipParser.parse(declared, 0, declared.length)).status());
    }

    @Test
    void limitSettersAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new SipLimits().maxMessageBytes(100));
        assertThrows(IllegalArgumentException.class, () -> new SipLimits().maxHeaderCount(5000));
        assertThrows(IllegalArgumentException.class, () -> new SipLimits().maxStartLineBytes(70000));
        assertThrows(IllegalArgumentException.class, () -> new SipLimits().maxMessageBytes(4096));
        assertEquals(65536, new SipLimits().maxMessageBytes());
    }

    @Test
    void anEmptyDatagramHasNoPartial() {
        assertNull(error("").partial());
    }
    @Test
    void eachMessageKeepsItsOwnHeaderIndexWhileTheParserReusesItsScratch() {
        final StringBuilder many = new StringBuilder("OPTIONS sip:a@example.com SIP/2.0\r\n");
        for (int i = 0; i < 40; i++) {
            many.append("Via: SIP/2.0/UDP 10.0.0.").append(i).append(":5060;branch=z9hG4bKmany").append(i).append("\r\n");
        }
        many.append("From: <sip:b@example.com>;tag=1\r\nTo: <sip:a@example.com>\r\nCall-ID: many\r\n"
                + "CSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
        final byte[] big = many.toString().getBytes(UTF_8);
        final SipMessage first = SipParser.parse(big, 0, big.length);
        final byte[] small = OPTIONS.getBytes(UTF_8);
        final SipMessage second = SipParser.parse(small, 0, small.length);
        assertEquals(46, first.headerCount(), "40 Vias (past the scratch's first 16 fields) and 6 more");
        assertEquals(40, first.vias().size());
        assertEquals("many", first.callId(), "the first index is intact after the second parse");
        assertEquals(SipParser.parse(small, 0, small.length).headerCount(), second.headerCount());
        assertEquals(OPTIONS.split("\r\n").length - 1, second.headerCount(), "the second index has only its own fields");
    }
}
