package org.callrouter.sip.codec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.callrouter.sip.message.HeaderName;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.sip.message.SipResponse;
import org.callrouter.sip.torture.Rfc4475;
import org.junit.jupiter.api.Test;

class SipResponseBuilderTest {

    private static SipRequest request(byte[] b) {
        return (SipRequest) SipParser.parse(b, 0, b.length);
    }

    @Test
    void copiesViaFromToCallIdAndCSeqByteForByteAndAddsTheToTag() {
        SipRequest invite = request(CorpusFiles.message("twilio-invite"));
        byte[] out = SipResponseBuilder.forRequest(invite, 180, "Ringing").toTag("b2b-1")
                .header(HeaderName.CONTACT, "<sip:198.51.100.20:5060>")
                .copyHeaders(invite, HeaderName.RECORD_ROUTE)
                .toBytes();
        assertEquals("SIP/2.0 180 Ringing\r\n"
                + "Via: SIP/2.0/UDP 54.172.60.0:5060;branch=z9hG4bK2b5a.a0f1e7a1.0\r\n"
                + "Via: SIP/2.0/UDP 172.25.10.217:5060;rport=5060;branch=z9hG4bK7d9a1e25-c9b3-4dbe-9a43-4f3e9cdb7a4c\r\n"
                + "From: \"+13125550100\" <sip:+13125550100@example.pstn.twilio.com>;tag=29876543_6772d868_b1b4ba6e-2e4c-4b2c\r\n"
                + "To: <sip:+15551234567@pbx.example.com>;tag=b2b-1\r\n"
                + "Call-ID: 5a9e2d1c0b8f7a6e5d4c3b2a19081726@0.0.0.0\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:198.51.100.20:5060>\r\n"
                + "Record-Route: <sip:54.172.60.0:5060;lr;twnat=sip:203.0.113.7:5060>\r\n"
                + "Content-Length: 0\r\n\r\n", new String(out, UTF_8));
        SipResponse parsed = (SipResponse) SipParser.parse(out, 0, out.length);
        assertEquals("b2b-1", parsed.toTag());
        assertEquals(invite.callId(), parsed.callId());
    }

    @Test
    void keepsAnExistingToTagAndCompactNames() {
        byte[] b = ("BYE sip:a@b SIP/2.0\r\nv: SIP/2.0/UDP h;branch=z9hG4bK1\r\nf: <sip:a@b>;tag=1\r\n"
                + "t: <sip:c@d>;tag=2\r\ni: x@y\r\nCSeq: 2 BYE\r\nMax-Forwards: 70\r\nl: 0\r\n\r\n").getBytes(UTF_8);
        assertEquals("SIP/2.0 200 OK\r\nv: SIP/2.0/UDP h;branch=z9hG4bK1\r\nf: <sip:a@b>;tag=1\r\n"
                + "t: <sip:c@d>;tag=2\r\ni: x@y\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n",
                new String(SipResponseBuilder.forRequest(request(b), 200, "OK").toTag("other").toBytes(), UTF_8));
    }

    @Test
    void encodesABodyWithItsContentType() {
        SipRequest invite = request(CorpusFiles.message("cisco-invite"));
        byte[] sdp = "v=0\r\n".getBytes(UTF_8);
        ByteBuf out = Unpooled.buffer();
        SipResponseBuilder.forRequest(invite, 200, "OK").toTag("t").body("application/sdp", sdp, 0, sdp.length)
                .encode(out);
        byte[] bytes = ByteBufUtil.getBytes(out);
        out.release();
        SipResponse parsed = (SipResponse) SipParser.parse(bytes, 0, bytes.length);
        assertEquals("application/sdp", parsed.mediaType());
        assertEquals("v=0\r\n", new String(parsed.body(), UTF_8));
        assertEquals(0, out.refCnt());
    }

    @Test
    void answersTheFailureOfAMalformedRequest() {
        byte[] b = Rfc4475.LWSRURI.bytes();
        SipParseException e = assertThrows(SipParseException.class, () -> SipParser.parse(b, 0, b.length));
        assertNotNull(e.partial());
        byte[] out = SipResponseBuilder.forRequest((SipRequest) e.partial(), e.status(), e.reason()).toTag("x")
                .toBytes();
        SipResponse parsed = (SipResponse) SipParser.parse(out, 0, out.length);
        assertEquals(400, parsed.statusCode());
        assertEquals("Malformed request line", parsed.reasonPhrase());
        assertEquals("lwsruri.asdfasdoeoi2323-asdfwrn23-asd834rk423", parsed.callId());
        assertEquals("3xfe-9921883-z9f", parsed.toTag());
    }

    @Test
    void refusesWhatWouldBreakTheMessage() {
        SipRequest invite = request(CorpusFiles.message("cisco-invite"));
        assertThrows(IllegalArgumentException.class, () -> SipResponseBuilder.forRequest(invite, 99, "x"));
        assertThrows(IllegalArgumentException.class, () -> SipResponseBuilder.forRequest(invite, 200, "O\r\nK"));
        assertThrows(IllegalArgumentException.class, () -> SipResponseBuilder.forRequest(invite, 200, "OK").toTag("a b"));
        assertThrows(IllegalArgumentException.class,
                () -> SipResponseBuilder.forRequest(invite, 200, "OK").body(null, new byte[1], 0, 1));
    }
}
