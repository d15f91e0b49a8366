package org.callrouter.sip.uri;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.callrouter.sip.codec.SipParseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UriTest {

    @Test
    void sipUriParts() {
        SipUri u = (SipUri) Uri.parse("sip:alice:secret@example.com:5070;transport=tcp;lr?Subject=hi&Priority=urgent");
        assertEquals("sip", u.scheme());
        assertFalse(u.secure());
        assertEquals("alice", u.user());
        assertEquals("secret", u.password());
        assertEquals("example.com", u.host());
        assertEquals(5070, u.port());
        assertEquals("tcp", u.param("TRANSPORT"));
        assertTrue(u.hasParam("lr"));
        assertNull(u.param("lr"));
        assertEquals("hi", u.header("subject"));
        assertEquals("urgent", u.header("Priority"));
        assertEquals("sip:alice:secret@example.com:5070;transport=tcp;lr?Subject=hi&Priority=urgent", u.toString());
    }

    @Test
    void escapedPartsAreDecodedAndRawUserKept() {
        SipUri u = (SipUri) Uri.parse("sip:sips%3Auser%40example.com@example.net;%6C%72;n%61me=v%61lue%25%34%31");
        assertEquals("sips:user@example.com", u.user());
        assertEquals("sips%3Auser%40example.com", u.rawUser());
        assertTrue(u.hasParam("lr"));
        assertEquals("value%41", u.param("name"));
    }

    @Test
    void userMayHoldSemicolonsAndQuestionMarks() {
        SipUri u = (SipUri) Uri.parse("sip:user;par=u%40example.net@example.com");
        assertEquals("user;par=u@example.net", u.user());
        assertEquals("example.com", u.host());
        assertEquals(0, u.params().size());
    }

    @Test
    void ipv6HostKeepsItsBrackets() {
        SipUri u = (SipUri) Uri.parse("sips:+15551234567@[2001:db8::20]:5061;user=phone");
        assertTrue(u.secure());
        assertEquals("[2001:db8::20]", u.host());
        assertEquals(5061, u.port());
        assertEquals("+15551234567", u.user());
        assertEquals("phone", u.param("user"));
    }

    @Test
    void hostOnlyUri() {
        SipUri u = (SipUri) Uri.parse("SIP:192.0.2.1");
        assertEquals("sip", u.scheme());
        assertNull(u.user());
        assertEquals(-1, u.port());
    }

    @Test
    void telUris() {
        TelUri global = (TelUri) Uri.parse("tel:+1-201-555-0123;ext=12");
        assertTrue(global.isGlobal());
        assertEquals("+1-201-555-0123", global.number());
        assertEquals("12", global.param("ext"));
        TelUri local = (TelUri) Uri.parse("tel:7042;phone-context=example.com");
        assertFalse(local.isGlobal());
        assertEquals("example.com", local.param("phone-context"));
        assertThrows(SipParseException.class, () -> Uri.parse("tel:7042"), "a local number needs phone-context");
    }

    @Test
    void otherSchemesAreKeptAsText() {
        Uri u = Uri.parse("soap.beep://192.0.2.103:3002");
        AbsoluteUri a = assertInstanceOf(AbsoluteUri.class, u);
        assertEquals("soap.beep", a.scheme());
        assertEquals("//192.0.2.103:3002", a.schemeSpecificPart());
        assertEquals(Uri.parse("soap.beep://192.0.2.103:3002"), u);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "sip:", "sip:@example.com", "sip:user@", "sip:user@host:99999", "sip:user@ho st",
        "sip:a@b;", "sip:a@b;x=", "sip:a@b?h", "sip:a@b%zz", "sip:a@b@c", "<sip:a@b>", "1sip:a@b", "tel:+",
        "tel:+12;", "noscheme", "x:", "x:a b"})
    void rejectsMalformedUris(String uri) {
        assertThrows(SipParseException.class, () -> Uri.parse(uri));
    }
}
