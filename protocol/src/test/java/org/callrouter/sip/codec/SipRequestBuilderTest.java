package org.callrouter.sip.codec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.callrouter.sip.message.HeaderName;
import org.callrouter.sip.message.SipMethod;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.sip.message.SipResponse;
import org.junit.jupiter.api.Test;

class SipRequestBuilderTest {

    private static SipRequest request(byte[] b) {
        return (SipRequest) SipParser.parse(b, 0, b.length);
    }

    @Test
    void buildsANewRequest() {
        byte[] sdp = "v=0\r\n".getBytes(UTF_8);
        byte[] out = SipRequestBuilder.request(SipMethod.INVITE, "sip:+15551234567@10.0.0.9:5060")
                .header(HeaderName.VIA, "SIP/2.0/UDP 198.51.100.20:5060;branch=z9hG4bKb1")
                .header(HeaderName.MAX_FORWARDS, "70")
                .header(HeaderName.FROM, "<sip:+13125550100@198.51.100.20>;tag=f1")
                .header(HeaderName.TO, "<sip:+15551234567@10.0.0.9>")
                .header(HeaderName.CALL_ID, "b-leg-1@198.51.100.20")
                .header(HeaderName.CSEQ, "1 INVITE")
                .body("application/sdp", sdp, 0, sdp.length)
                .toBytes();
        assertEquals("INVITE sip:+15551234567@10.0.0.9:5060 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 198.51.100.20:5060;branch=z9hG4bKb1\r\nMax-Forwards: 70\r\n"
                + "From: <sip:+13125550100@198.51.100.20>;tag=f1\r\nTo: <sip:+15551234567@10.0.0.9>\r\n"
                + "Call-ID: b-leg-1@198.51.100.20\r\nCSeq: 1 INVITE\r\nContent-Type: application/sdp\r\n"
                + "Content-Length: 5\r\n\r\nv=0\r\n", new String(out, UTF_8));
        assertEquals("b-leg-1@198.51.100.20", request(out).callId());
        assertThrows(IllegalArgumentException.class, () -> SipRequestBuilder.request(SipMethod.BYE, "sip:a@b c"));
        assertThrows(IllegalArgumentException.class, () -> SipRequestBuilder.request(SipMethod.BYE, "sip:a@b?x=y"));
    }

    @Test
    void cancelCopiesTheInviteAndKeepsOnlyItsTopVia() {
        SipRequest invite = request(CorpusFiles.message("tls-invite-multivia"));
        assertEquals("CANCEL sips:+15551234567@pbx.example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/TLS edge.example.net:5061;branch=z9hG4bKtls01\r\n"
                + "Route: <sip:pbx.example.com;lr>, <sip:10.0.0.2;lr>\r\n"
                + "From: \"Secure\" <sips:alice@example.net>;tag=tls01\r\n"
                + "To: <sips:+15551234567@pbx.example.com>\r\n"
                + "Call-ID: tls-a9b8c7d6@edge.example.net\r\n"
                + "CSeq: 9 CANCEL\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
                new String(SipRequestBuilder.cancelFor(invite).toBytes(), UTF_8));
    }

    @Test
    void ackForAFailureTakesTheToOfTheResponse() {
        SipRequest invite = request(CorpusFiles.message("bandwidth-invite"));
        byte[] r = CorpusFiles.message("bandwidth-480");
        SipResponse busy = (SipResponse) SipParser.parse(r, 0, r.length);
        byte[] ack = SipRequestBuilder.ackForNon2xx(invite, busy).toBytes();
        assertEquals("ACK sip:+15551234567@198.51.100.20:5060;user=phone SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 216.82.224.202:5060;branch=z9hG4bK0g8bf30030jfqk2ut1p0.1\r\n"
                + "From: <sip:+13125550100@216.82.224.202:5060;user=phone>;tag=gK0a4f2e9b\r\n"
                + "Call-ID: 1375219823_99842137@216.82.224.202\r\n"
                + "To: <sip:+15551234567@198.51.100.20:5060;user=phone>;tag=bw7c9e1f3a\r\n"
                + "CSeq: 502814 ACK\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n", new String(ack, UTF_8));
        SipRequest parsed = request(ack);
        assertEquals(SipMethod.ACK, parsed.cseq().method());
        assertEquals("bw7c9e1f3a", parsed.toTag());
    }
}
