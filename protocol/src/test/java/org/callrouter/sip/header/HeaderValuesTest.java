package org.callrouter.sip.header;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.callrouter.sip.codec.SipParseException;
import org.callrouter.sip.message.SipMethod;
import org.callrouter.sip.uri.SipUri;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Via, NameAddress and CSeq values. */
class HeaderValuesTest {

    @Test
    void viaParts() {
        Via v = Via.parse("SIP / 2.0 / udp 192.0.2.1 : 5060 ;branch=z9hG4bK77;received=10.0.0.1;rport=6000;ttl=16");
        assertEquals("SIP/2.0", v.protocol());
        assertEquals("UDP", v.transport());
        assertEquals("192.0.2.1", v.host());
        assertEquals(5060, v.port());
        assertEquals("z9hG4bK77", v.branch());
        assertTrue(v.hasRfc3261Branch());
        assertEquals("10.0.0.1", v.received());
        assertTrue(v.hasRport());
        assertEquals(6000, v.rport());
        assertEquals("16", v.param("TTL"));
    }

    @Test
    void viaWithEmptyRportAndIpv6() {
        Via v = Via.parse("SIP/2.0/TCP [2001:db8::9]:5061;rport;received=2001:db8::9;branch=x");
        assertEquals("[2001:db8::9]", v.host());
        assertTrue(v.hasRport());
        assertEquals(-1, v.rport());
        assertEquals("2001:db8::9", v.received());
        assertFalse(v.hasRfc3261Branch());
    }

    @ParameterizedTest
    @ValueSource(strings = {"SIP/2.0/UDP", "SIP/2.0/UDP 192.0.2.15;;,;,,", "SIP/2.0 UDP h", "SIP/2.0/UDPh",
        "SIP/2.0/UDP h;branch=", "SIP/2.0/UDP h;received=host", "SIP/2.0/UDP h;rport=x", "SIP/2.0/UDP h;ttl=256",
        "SIP/2.0/UDP h:70000", "SIP/2.0/UDP h junk"})
    void rejectsMalformedVias(String via) {
        assertThrows(SipParseException.class, () -> Via.parse(via));
    }

    @Test
    void nameAddrWithQuotedDisplayName() {
        NameAddress n = NameAddress.parse("\"J Rosenberg \\\\\\\"\"  <sip:jdrosen@example.com> ;  tag = 98asjd8");
        assertEquals("J Rosenberg \\\"", n.displayName());
        assertEquals("sip:jdrosen@example.com", n.uri().toString());
        assertEquals("98asjd8", n.tag());
    }

    @Test
    void nameAddrWithTokenDisplayNameAndNoSpaceBeforeTheBracket() {
        NameAddress n = NameAddress.parse("caller<sip:caller@example.com>;tag=323");
        assertEquals("caller", n.displayName());
        NameAddress tokens = NameAddress.parse("A. G. Bell <sip:bell@example.com>");
        assertEquals("A. G. Bell", tokens.displayName());
    }

    @Test
    void addrSpecParamsBelongToTheHeader() {
        NameAddress n = NameAddress.parse("sip:+19725552222@gw1.example.net;unknownparam;tag=x");
        assertNull(n.displayName());
        assertEquals(0, ((SipUri) n.uri()).params().size());
        assertTrue(n.params().has("unknownparam"));
        assertEquals("x", n.tag());
        NameAddress bracketed = NameAddress.parse("<sip:+19725552222@gw1.example.net;unknownparam>");
        assertTrue(((SipUri) bracketed.uri()).hasParam("unknownparam"));
        assertFalse(bracketed.params().has("unknownparam"));
    }

    @Test
    void listsSplitOutsideQuotesAndBrackets() {
        List<NameAddress> list = NameAddress.parseList("\"a, b\" <sip:x@y;p=1>;q=0.5, <sip:z@w>");
        assertEquals(2, list.size());
        assertEquals("a, b", list.get(0).displayName());
        assertEquals("0.5", list.get(0).param("q"));
        assertEquals("<sip:z@w>", list.get(1).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bell, Alexander <sip:a.g.bell@example.com>", "< sip:t.watson@example.org >",
        "\"Mr. J. User <sip:j.user@example.com>", "sip:user@example.com?Route=%3Csip:x%3E", "<sip:a@b",
        "<sip:a@b>;tag=", "<sip:a@b> junk", "", "<sip:a@b>;tag=a b"})
    void rejectsMalformedAddresses(String value) {
        assertThrows(SipParseException.class, () -> NameAddress.parse(value));
    }

    @Test
    void cseq() {
        byte[] a = "0009\r\n  INVITE".getBytes();
        CSeq c = CSeq.parse(a, 0, a.length);
        assertEquals(9, c.number());
        assertEquals(SipMethod.INVITE, c.method());
        assertEquals("9 INVITE", c.toString());
        byte[] big = "2147483648 INVITE".getBytes();
        assertThrows(SipParseException.class, () -> CSeq.parse(big, 0, big.length));
        byte[] noMethod = "1".getBytes();
        assertThrows(SipParseException.class, () -> CSeq.parse(noMethod, 0, noMethod.length));
        assertThrows(IllegalArgumentException.class, () -> new CSeq(-1, SipMethod.BYE));
    }
}
