package org.callrouter.sip.message;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.callrouter.sip.codec.SipParseException;
import org.callrouter.sip.codec.SipParser;
import org.callrouter.sip.torture.Rfc4475;
import org.callrouter.sip.uri.SipUri;
import org.junit.jupiter.api.Test;

class SipMessageTest {

    private static SipMessage parse(byte[] b) {
        return SipParser.parse(b, 0, b.length);
    }

    private static SipMessage parse(String s) {
        return parse(s.getBytes(UTF_8));
    }

    @Test
    void wsinvReadsThroughWhitespaceFoldsAndCase() {
        SipRequest m = (SipRequest) parse(Rfc4475.WSINV.bytes());
        assertEquals(SipMethod.INVITE, m.method());
        assertEquals("sip:vivekg@chair-dnrc.example.com;unknownparam", m.requestUriString());
        assertEquals("1918181833n", m.toTag());
        assertEquals("98asjd8", m.fromTag());
        assertEquals("J Rosenberg \\\"", m.from().displayName());
        assertEquals(68, m.maxForwards());
        assertEquals(9, m.cseq().number());
        assertEquals(3, m.vias().size());
        assertEquals("390skdjuw", m.topVia().branch());
        assertEquals("TCP", m.vias().get(1).transport());
        assertEquals("z9hG4bK30239", m.vias().get(2).branch());
        assertEquals("", m.header(HeaderName.SUBJECT));
        assertEquals("newfangled value continued newfangled value", m.header("NewFangledHeader"));
        assertEquals("Quoted string \"\"", m.contacts().get(0).displayName());
        assertEquals("0.33", m.contacts().get(0).param("q"));
        assertEquals(150, m.bodyLength());
        assertEquals("application/sdp", m.mediaType());
    }

    @Test
    void headerAccessorsFollowWireOrder() {
        SipMessage m = parse(Rfc4475.ESC02.bytes());
        assertEquals(10, m.headerCount());
        assertEquals(HeaderName.TO, m.headerName(0));
        assertEquals("C%6Fntact", m.headerName(7).name(), "an escaped name is another header");
        assertEquals(2, m.contacts().size());
        assertEquals(List.of("<sip:alias1@host1.example.com>", "<sip:alias3@host3.example.com>"),
                m.headerValues(HeaderName.CONTACT));
        assertSame(m.cseq(), m.cseq(), "cached");
        assertEquals("RE%47IST%45R", m.cseq().method().name());
    }

    @Test
    void listValuesAreSplitAtTopLevelCommas() {
        SipMessage m = parse(Rfc4475.SEMIURI.bytes());
        assertEquals(List.of("application/sdp", "application/pkcs7-mime", "multipart/mixed", "multipart/signed",
                "message/sip", "message/sipfrag"), m.headerValues(HeaderName.ACCEPT));
    }

    @Test
    void optionTags() {
        SipMessage m = parse(Rfc4475.BEXT01.bytes());
        assertEquals(List.of("nothingSupportsThis", "nothingSupportsThisEither"), m.require());
        assertEquals(List.of("noProxiesSupportThis", "norDoAnyProxiesSupportThis"), m.proxyRequire());
        assertTrue(m.supported().isEmpty());
    }

    @Test
    void escapesInUrisAreDecoded() {
        SipRequest m = (SipRequest) parse(Rfc4475.ESC01.bytes());
        assertEquals("sips:user@example.com", ((SipUri) m.requestUri()).user());
        assertEquals("user", ((SipUri) m.to().uri()).user());
        assertEquals("I have spaces", ((SipUri) m.from().uri()).user());
        SipUri contact = (SipUri) m.contacts().get(0).uri();
        assertEquals("caller", contact.user());
        assertTrue(contact.hasParam("lr"));
        assertEquals("value%41", contact.param("name"));
        SipMessage nul = parse(Rfc4475.ESCNULL.bytes());
        assertEquals("null-\u0000-null", ((SipUri) nul.to().uri()).user());
    }

    @Test
    void routesAndRecordRoutes() {
        SipMessage m = parse(Rfc4475.INV2543.bytes());
        assertEquals("sip:UserB@example.com;maddr=ss1.example.com", m.recordRoutes().get(0).uri().toString());
        assertTrue(m.routes().isEmpty());
        assertNull(m.fromTag(), "RFC 2543 requests may have no From tag");
        assertNull(m.topVia().branch());
        assertEquals(-1, m.maxForwards());
        assertEquals(-1, m.contentLength());
        assertEquals(105, m.bodyLength(), "without Content-Length a datagram's body is the rest");
    }

    @Test
    void bodyIsCopiedAndDatagramTrailersDropped() {
        SipMessage m = parse(Rfc4475.DBLREQ.bytes());
        assertEquals(SipMethod.REGISTER, ((SipRequest) m).method());
        assertEquals(0, m.bodyLength());
        assertArrayEquals(new byte[0], m.body());
        SipMessage invite = parse(Rfc4475.INVUT.bytes());
        byte[] body = invite.body();
        body[0] = 'x';
        assertEquals('<', invite.array()[invite.bodyOffset()], "body() is a copy");
    }

    @Test
    void lazyHeadersThrowTheTypedError() {
        SipMessage m = parse("OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\n"
                + "To: <sip:c@d>\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\nContact: <sip:a@b\r\nRequire: a b\r\n"
                + "Content-Length: 0\r\n\r\n");
        assertEquals("Malformed Contact: no closing angle bracket", assertThrows(SipParseException.class, m::contacts).reason());
        assertThrows(SipParseException.class, m::require);
        assertFalse(m.isContactWildcard());
    }

    @Test
    void contactWildcard() {
        SipMessage m = parse("REGISTER sip:b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\n"
                + "To: <sip:a@b>\r\nCall-ID: x\r\nCSeq: 1 REGISTER\r\nContact: *\r\nExpires: 0\r\nContent-Length: 0\r\n\r\n");
        assertTrue(m.isContactWildcard());
        assertTrue(m.contacts().isEmpty());
    }
}
