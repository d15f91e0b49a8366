package org.callrouter.sip.header;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;

import org.callrouter.sip.codec.SipParseException;
import org.callrouter.sip.codec.SipParser;
import org.callrouter.sip.message.SipMessage;
import org.callrouter.sip.message.SipMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code RSeq} and {@code RAck} (RFC 3262 7.1, 7.2). */
class RAckTest {

    @Test
    void numbersAndMethod() {
        assertEquals(new RAck(776656, 1, SipMethod.INVITE), RAck.parse("776656 1 INVITE"));
        assertEquals(new RAck(4_294_967_295L, 7, SipMethod.INVITE), RAck.parse(" 4294967295 \t 7  INVITE "));
        assertEquals("12 3 INVITE", new RAck(12, 3, SipMethod.INVITE).toString());
        assertEquals(988789, RAck.parseRSeq(" 988789"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1 INVITE", "1 2", "a 1 INVITE", "1 b INVITE", "1 2 INVITE x", "4294967296 1 INVITE",
            "1 2 IN(VITE"})
    void malformedRAckIs400(String value) {
        final SipParseException e = assertThrows(SipParseException.class, () -> RAck.parse(value));
        assertEquals(400, e.status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "-1", "x", "4294967296", "1 2"})
    void malformedRSeqIs400(String value) {
        assertEquals(400, assertThrows(SipParseException.class, () -> RAck.parseRSeq(value)).status());
    }

    @Test
    void theMessageReadsThemByHeaderId() {
        final SipMessage with = parse("RSeq: 5\r\nRAck: 5 1 INVITE\r\n");
        assertEquals(5, with.rseq());
        assertEquals(new RAck(5, 1, SipMethod.INVITE), with.rack());
        final SipMessage without = parse("");
        assertEquals(-1, without.rseq());
        assertNull(without.rack());
        assertThrows(SipParseException.class, () -> parse("RSeq: soon\r\n").rseq());
    }

    private static SipMessage parse(String extra) {
        final byte[] bytes = ("PRACK sip:1@example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\n"
                + "From: <sip:a@example.com>;tag=1\r\nTo: <sip:1@example.com>;tag=2\r\nCall-ID: c1\r\n"
                + "CSeq: 2 PRACK\r\nMax-Forwards: 70\r\n" + extra + "Content-Length: 0\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        return SipParser.parse(bytes, 0, bytes.length);
    }
}
