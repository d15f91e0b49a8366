package org.callrouter.sip.validate;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.callrouter.sip.codec.SipParser;
import org.callrouter.sip.message.SipRequest;
import org.junit.jupiter.api.Test;

class RequestValidatorTest {

    private static final String INVITE = "INVITE sip:+15551234567@example.com SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP h.example.com;branch=z9hG4bK1\r\nFrom: <sip:b@example.com>;tag=1\r\n"
            + "To: <sip:a@example.com>\r\nCall-ID: c1@h\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\n"
            + "Contact: <sip:b@h.example.com>\r\nContent-Type: application/sdp\r\nContent-Length: 5\r\n\r\nv=0\r\n";

    private static final RequestValidator DEFAULTS = RequestValidator.defaults();

    private static Rejection validate(String text) {
        byte[] b = text.getBytes(UTF_8);
        return DEFAULTS.validate((SipRequest) SipParser.parse(b, 0, b.length));
    }

    private static String with(String from, String to) {
        if (!INVITE.contains(from)) {
            throw new IllegalArgumentException(from);
        }
        return INVITE.replace(from, to);
    }

    @Test
    void acceptsAPlainInvite() {
        assertNull(validate(INVITE));
    }

    @Test
    void repeatedSingleValueHeaders() {
        assertEquals(Rejection.of(400, "Repeated Expires"),
                validate(with("Max-Forwards: 70", "Max-Forwards: 70\r\nExpires: 60\r\nExpires: 70")));
    }

    @Test
    void malformedLazyHeaders() {
        assertEquals(400, validate(with("Contact: <sip:b@h.example.com>", "Contact: <sip:b@h.example.com")).status());
        assertEquals(Rejection.of(400, "Malformed Require"), validate(with("Max-Forwards: 70", "Max-Forwards: 70\r\nRequire: a b")));
        assertEquals(Rejection.of(400, "Malformed Expires"), validate(with("Max-Forwards: 70", "Max-Forwards: 70\r\nExpires: soon")));
        assertEquals(Rejection.of(400, "Malformed Date"),
                validate(with("Max-Forwards: 70", "Max-Forwards: 70\r\nDate: Fri, 01 Jan 2010 16:00:00 EST")));
        assertNull(validate(with("Max-Forwards: 70", "Max-Forwards: 70\r\nDate: Fri, 01 Jan 2010 16:00:00 GMT")));
        assertEquals(400, validate(with("Max-Forwards: 70", "Max-Forwards: 70\r\nRoute: sip:proxy.example.com")).status());
        assertEquals(Rejection.of(400, "Malformed Contact"), validate(with("Contact: <sip:b@h.example.com>", "Contact: *")));
    }

    @Test
    void cseqMethodMustMatch() {
        assertEquals(Rejection.of(400, "CSeq method does not match"), validate(with("CSeq: 1 INVITE", "CSeq: 1 BYE")));
    }

    @Test
    void aBodyNeedsAContentType() {
        assertEquals(Rejection.of(400, "Missing Content-Type"), validate(with("Content-Type: application/sdp\r\n", "")));
    }

    @Test
    void unsupportedUriScheme() {
        assertEquals(Rejection.of(416, "Unsupported URI Scheme"),
                validate(with("INVITE sip:+15551234567@example.com", "INVITE mailto:a@example.com")));
        assertNull(validate(with("INVITE sip:+15551234567@example.com", "INVITE tel:+15551234567")));
    }

    @Test
    void maxForwardsZero() {
        assertEquals(Rejection.of(483, "Too Many Hops"), validate(with("Max-Forwards: 70", "Max-Forwards: 0")));
        assertNull(validate(with("Max-Forwards: 70\r\n", "")), "RFC 2543 peers send none");
    }

    @Test
    void unsupportedRequireListsTheTags() {
        assertEquals(new Rejection(420, "Bad Extension", List.of("Unsupported: 100rel, foo")),
                validate(with("Max-Forwards: 70", "Max-Forwards: 70\r\nRequire: 100rel, foo")));
        RequestValidator with100rel = new RequestValidator(Set.of("100rel", "timer"), Set.of("application/sdp"),
                Set.of("sip"));
        byte[] b = with("Max-Forwards: 70", "Max-Forwards: 70\r\nRequire: 100rel\r\nk: timer").getBytes(UTF_8);
        assertNull(with100rel.validate((SipRequest) SipParser.parse(b, 0, b.length)));
        String cancel = with("Max-Forwards: 70", "Max-Forwards: 70\r\nRequire: foo").replace("INVITE", "CANCEL")
                .replace("Content-Type: application/sdp\r\nContent-Length: 5\r\n\r\nv=0\r\n", "Content-Length: 0\r\n\r\n");
        assertNull(validate(cancel), "Require is ignored on CANCEL (RFC 3261 8.2.2.3)");
    }

    @Test
    void unacceptableBodies() {
        assertEquals(new Rejection(415, "Unsupported Media Type",
                List.of("Accept: application/sdp, application/dtmf-relay, multipart/mixed")),
                validate(with("application/sdp", "text/plain")));
        assertEquals(new Rejection(415, "Unsupported Media Type", List.of("Accept-Encoding: identity")),
                validate(with("Max-Forwards: 70", "Max-Forwards: 70\r\nContent-Encoding: gzip")));
        assertNull(validate(with("application/sdp", "APPLICATION/SDP;charset=utf-8")));
    }

    @Test
    void anInviteThatAcceptsNoSdpAnswer() {
        assertEquals(Rejection.of(406, "Not Acceptable"),
                validate(with("Max-Forwards: 70", "Max-Forwards: 70\r\nAccept: text/plain")));
        assertNull(validate(with("Max-Forwards: 70", "Max-Forwards: 70\r\nAccept: application/*")));
        assertNull(validate(with("Max-Forwards: 70", "Max-Forwards: 70\r\nAccept: text/plain, */*;q=0.1")));
    }

    @Test
    void rejectionsCheckTheirStatus() {
        assertThrows(IllegalArgumentException.class, () -> Rejection.of(200, "OK"));
    }
}
