package org.callrouter.sip.header;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;

import org.callrouter.sip.codec.SipParseException;
import org.callrouter.sip.codec.SipParser;
import org.callrouter.sip.message.SipMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code Session-Expires} and {@code Min-SE} (RFC 4028 4, 5). */
class SessionExpiresTest {

    @Test
    void intervalAndRefresher() {
        assertEquals(new SessionExpires(1800, null), SessionExpires.parse("1800"));
        assertEquals(new SessionExpires(90, SessionExpires.Refresher.UAC), SessionExpires.parse("90;refresher=uac"));
        assertEquals(new SessionExpires(4000, SessionExpires.Refresher.UAS),
                SessionExpires.parse(" 4000 ; foo=bar ; Refresher = UAS"));
        assertEquals("90;refresher=uas", new SessionExpires(90, SessionExpires.Refresher.UAS).toString());
        assertEquals(90, SessionExpires.parseMinSe("90"));
        assertEquals(120, SessionExpires.parseMinSe(" 120 ;x=y"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "-5", "90;refresher=proxy", "90;refresher", "99999999999", "90;;"})
    void malformedIs400(String value) {
        final SipParseException e = assertThrows(SipParseException.class, () -> SessionExpires.parse(value));
        assertEquals(400, e.status());
    }

    @Test
    void theMessageReadsBothOrNeither() {
        final SipMessage with = parse("x: 600;refresher=uac\r\nMin-SE: 120\r\nSupported: 100rel, Timer\r\n");
        assertEquals(new SessionExpires(600, SessionExpires.Refresher.UAC), with.sessionExpires());
        assertEquals(120, with.minSe());
        assertEquals(true, with.listsOptionTag(org.callrouter.sip.message.HeaderName.SUPPORTED, "timer"));
        final SipMessage without = parse("");
        assertNull(without.sessionExpires());
        assertEquals(-1, without.minSe());
        assertThrows(SipParseException.class, () -> parse("Min-SE: soon\r\n").minSe());
    }

    private static SipMessage parse(String extra) {
        final byte[] bytes = ("INVITE sip:1@example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\n"
                + "From: <sip:a@example.com>;tag=1\r\nTo: <sip:1@example.com>\r\nCall-ID: c1\r\n"
                + "CSeq: 1 INVITE\r\nMax-Forwards: 70\r\n" + extra + "Content-Length: 0\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        return SipParser.parse(bytes, 0, bytes.length);
    }
}
