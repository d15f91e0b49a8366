package org.callrouter.sip.syntax;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.callrouter.sip.codec.SipParseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SipLexerTest {

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    private static int host(String s) {
        byte[] a = b(s);
        return SipLexer.host(a, 0, a.length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "example.com.", "a", "a-b.c-d.example", "192.0.2.1", "0.0.0.0",
        "255.255.255.255", "[::1]", "[2001:db8::1]", "[::]", "[2001:db8:0:0:0:0:0:1]", "[::ffff:192.0.2.1]",
        "[fe80::1:2:3:4:5:6]"})
    void acceptsHosts(String host) {
        assertEquals(host.length(), host(host));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-a.com", "a-.com", "a..com", "192.0.2.300", "1.2.3", "123", "[2001:db8::1",
        "[2001:db8:::1]", "[1:2:3:4:5:6:7:8:9]", "[1::2::3]", "[12345::1]", "[::1]x", "", "."})
    void rejectsHosts(String host) {
        byte[] a = b(host);
        assertThrows(SipParseException.class, () -> {
            if (SipLexer.host(a, 0, a.length) != a.length) {
                throw SipLexer.error("trailing");
            }
        });
    }

    @Test
    void hostStopsAtTheFirstCharacterThatCannotContinueIt() {
        assertEquals(11, host("example.com:5060"));
        assertEquals(5, host("[::1]:5060"));
    }

    @Test
    void quotedStringsHandleQuotedPairsAndRejectControls() {
        byte[] a = b("\"J Rosenberg \\\\\\\"\" rest");
        assertEquals(18, SipLexer.quotedString(a, 0, a.length));
        assertEquals("J Rosenberg \\\"", SipLexer.unquote(a, 0, 18));
        byte[] open = b("\"no end");
        assertEquals("Unbalanced quotes",
                assertThrows(SipParseException.class, () -> SipLexer.quotedString(open, 0, open.length)).reason());
        byte[] control = {'"', 'a', 1, '"'};
        assertThrows(SipParseException.class, () -> SipLexer.quotedString(control, 0, control.length));
        byte[] pairs = {'"', '\\', 0, '\\', 0x7F, '"'};
        assertEquals(6, SipLexer.quotedString(pairs, 0, pairs.length), "quoted-pair admits NUL and DEL");
    }

    @Test
    void unfoldReplacesEachFoldWithOneSpace() {
        byte[] a = b("a,  \r\n   b\r\n\tc");
        assertEquals("a, b c", SipLexer.unfold(a, 0, a.length));
    }

    @Test
    void unescapeDecodesUtf8Octets() {
        byte[] a = b("I%20have%20spaces%e2%82%ac%00");
        assertEquals("I have spaces\u20ac\u0000", SipLexer.unescape(a, 0, a.length));
        byte[] bad = b("100%");
        assertEquals("100%", SipLexer.unescape(bad, 0, bad.length), "a stray % is kept");
    }

    @Test
    void digitsParseWithLimits() {
        byte[] a = b("0068 4294967296 12a");
        assertEquals(68, SipLexer.parseDigits(a, 0, 4, 255));
        assertEquals(-1, SipLexer.parseDigits(a, 5, 15, Integer.MAX_VALUE));
        assertEquals(-1, SipLexer.parseDigits(a, 16, 19, 999));
        assertEquals(-1, SipLexer.parseDigits(a, 4, 4, 9));
    }

    @Test
    void callIdIsWordAtWord() {
        assertTrue(isCallId("abc@host"));
        assertTrue(isCallId("intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{"));
        assertFalse(isCallId("a@b@c"));
        assertFalse(isCallId("a b"));
        assertFalse(isCallId("@b"));
        assertFalse(isCallId("a@"));
    }

    private static boolean isCallId(String s) {
        byte[] a = b(s);
        return SipLexer.isCallId(a, 0, a.length);
    }

    @Test
    void listElementsEndAtCommasOutsideQuotesAndBrackets() {
        byte[] a = b("\"a, b\" <sip:x@y;p=\",\">, c");
        assertEquals(22, SipLexer.listElementEnd(a, 0, a.length));
    }
}
