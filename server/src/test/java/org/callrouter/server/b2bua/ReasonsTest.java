package org.callrouter.server.b2bua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.callrouter.sip.codec.SipParser;
import org.callrouter.sip.codec.SipResponseBuilder;
import org.callrouter.sip.message.HeaderName;
import org.callrouter.sip.message.SipRequest;
import org.junit.jupiter.api.Test;

/** Reason headers quote request text safely; internal errors become short record reasons. */
class ReasonsTest {

    @Test
    void requestTextIsQuotedSafely() {
        assertEquals("SIP;cause=404;text=\"number 18005500%00 is not tracked\"",
                Reasons.header(404, "number 18005500\u0000 is not tracked"));
        assertEquals("a%0D%0AX: y", Reasons.quotable("a\r\nX: y"));
        assertEquals("%01%7F%09", Reasons.quotable("\u0001\u007f\t"));
        assertEquals("say \\\"hi\\\" \\\\ bye", Reasons.quotable("say \"hi\" \\ bye"));
        assertEquals("plain +1 (800) é", Reasons.quotable("plain +1 (800) é"));
    }

    @Test
    void aReasonHeaderWithControlCharactersStillMakesAResponse() {
        final byte[] invite = ("INVITE sip:x@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\n"
                + "To: <sip:x@127.0.0.1>\r\nCall-ID: r1\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\n"
                + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        final SipRequest request = (SipRequest) SipParser.parse(invite, 0, invite.length);
        final String built = new String(SipResponseBuilder.forRequest(request, 404, "Not Found")
                .header(HeaderName.REASON, Reasons.header(404, "x\r\ny\u0000")).toBytes(), StandardCharsets.ISO_8859_1);
        assertTrue(built.contains("Reason: SIP;cause=404;text=\"x%0D%0Ay%00\"\r\n"), built);
    }

    @Test
    void internalErrorsNameTheirTypeAndMessageShortly() {
        assertEquals("internal error: InternalError: unmapped", Reasons.internalError(new InternalError("unmapped")));
        assertEquals("internal error: NullPointerException", Reasons.internalError(new NullPointerException()));
        final String longOne = Reasons.internalError(new IllegalStateException("x".repeat(1000)));
        assertEquals(200, longOne.length());
        assertTrue(longOne.endsWith("..."), longOne);
    }
}
