package org.callrouter.sip.codec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.util.List;
import org.callrouter.sip.message.HeaderName;
import org.callrouter.sip.message.SipMessage;
import org.callrouter.sip.message.SipRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SipMessageEditorTest {

    static List<Path> corpus() {
        return CorpusFiles.corpus();
    }

    private static SipMessage parse(String text) {
        byte[] b = text.getBytes(UTF_8);
        return SipParser.parse(b, 0, b.length);
    }

    private static SipMessage corpus(String name) {
        byte[] b = CorpusFiles.message(name);
        return SipParser.parse(b, 0, b.length);
    }

    private static String text(SipMessageEditor editor) {
        return new String(editor.toBytes(), UTF_8);
    }

    /** The message's text with {@code from} replaced by {@code to} exactly once. */
    private static String replaced(SipMessage m, String from, String to) {
        return replaced(m.toString(), from, to);
    }

    private static String replaced(String s, String from, String to) {
        int i = s.indexOf(from);
        if (i < 0 || s.indexOf(from, i + 1) >= 0) {
            throw new IllegalArgumentException("not exactly once: " + from);
        }
        return s.substring(0, i) + to + s.substring(i + from.length());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void withoutEditsEveryMessageIsWrittenByteForByte(Path file) {
        byte[] bytes = CorpusFiles.read(file);
        SipMessage m = SipParser.parse(bytes, 0, bytes.length);
        assertArrayEquals(bytes, SipMessageEditor.of(m).toBytes());
        ByteBuf out = Unpooled.buffer();
        SipMessageEditor.of(m).encode(out);
        assertArrayEquals(bytes, io.netty.buffer.ByteBufUtil.getBytes(out));
        assertEquals(1, out.refCnt());
        out.release();
        assertEquals(0, out.refCnt());
    }

    @Test
    void removeTopViaDropsTheFirstViaLine() {
        SipMessage m = corpus("twilio-invite");
        String expected = replaced(m, "Via: SIP/2.0/UDP 54.172.60.0:5060;branch=z9hG4bK2b5a.a0f1e7a1.0\r\n", "");
        assertEquals(expected, text(SipMessageEditor.of(m).removeTopVia()));
    }

    @Test
    void removeTopViaSplitsAViaListAndKeepsTheRestAsWritten() {
        SipMessage m = corpus("tls-invite-multivia");
        String expected = replaced(m, "Via: SIP/2.0/TLS edge.example.net:5061;branch=z9hG4bKtls01, SIP",
                "Via: SIP");
        assertEquals(expected, text(SipMessageEditor.of(m).removeTopVia()));
    }

    @Test
    void addTopViaGoesAboveTheOthers() {
        SipMessage m = corpus("twilio-invite");
        String via = "SIP/2.0/UDP 198.51.100.20:5060;branch=z9hG4bKb2bua1";
        String expected = replaced(m, "Via: SIP/2.0/UDP 54.172.60.0", "Via: " + via + "\r\nVia: SIP/2.0/UDP 54.172.60.0");
        SipMessage edited = parse(text(SipMessageEditor.of(m).addTopVia(via)));
        assertEquals(expected, edited.toString());
        assertEquals("z9hG4bKb2bua1", edited.topVia().branch());
        assertEquals(3, edited.vias().size());
        assertThrows(IllegalArgumentException.class, () -> SipMessageEditor.of(m).addTopVia("SIP/2.0/UDP"));
        assertThrows(IllegalArgumentException.class, () -> SipMessageEditor.of(m).addTopVia("x\r\nEvil: 1"));
    }

    @Test
    void setTopViaReceivedFillsAnEmptyRportInPlaceAndAppendsReceived() {
        SipMessage m = corpus("asterisk-invite");
        String expected = replaced(m, "5060;rport;branch=z9hG4bKPj3c5d6e7f-8a9b-4c0d-a1e2-f3a4b5c6d7e8\r\n",
                "5060;rport=6072;branch=z9hG4bKPj3c5d6e7f-8a9b-4c0d-a1e2-f3a4b5c6d7e8;received=192.0.2.99\r\n");
        SipMessage edited = parse(text(SipMessageEditor.of(m).setTopViaReceived("192.0.2.99", 6072)));
        assertEquals(expected, edited.toString());
        assertEquals(6072, edited.topVia().rport());
        assertEquals("192.0.2.99", edited.topVia().received());
    }

    @Test
    void setTopViaReceivedReplacesAnExistingReceived() {
        SipMessage m = parse("SIP/2.0 200 OK\r\nv: SIP/2.0/UDP h.example.com;received=10.0.0.1;branch=z9hG4bK1, "
                + "SIP/2.0/UDP other.example.com;branch=z9hG4bK0\r\nf: <sip:a@b>;tag=1\r\nt: <sip:c@d>;tag=2\r\n"
                + "i: x@y\r\nCSeq: 1 INVITE\r\nl: 0\r\n\r\n");
        assertEquals(replaced(m, ";received=10.0.0.1;branch=z9hG4bK1,", ";branch=z9hG4bK1;received=2001:db8::1,"),
                text(SipMessageEditor.of(m).setTopViaReceived("2001:db8::1", -1)));
        assertThrows(IllegalArgumentException.class, () -> SipMessageEditor.of(m).setTopViaReceived("host", -1));
    }

    @Test
    void setTopViaSentByChangesTransportAndSentByOnly() {
        SipMessage m = corpus("asterisk-invite");
        String expected = replaced(m, "Via: SIP/2.0/UDP 203.0.113.10:5060;rport;branch=",
                "Via: SIP/2.0/TCP [2001:db8::7]:5062;rport;branch=");
        SipMessage edited = parse(text(SipMessageEditor.of(m).setTopViaSentBy("TCP", "[2001:db8::7]:5062")));
        assertEquals(expected, edited.toString());
        assertEquals("TCP", edited.topVia().transport());
        assertEquals(5062, edited.topVia().port());

        SipMessage twoVias = parse("SIP/2.0 200 OK\r\nv: SIP/2.0/UDP a.example.com;branch=z9hG4bK1, "
                + "SIP/2.0/UDP other.example.com;branch=z9hG4bK0\r\nf: <sip:a@b>;tag=1\r\nt: <sip:c@d>;tag=2\r\n"
                + "i: x@y\r\nCSeq: 1 INVITE\r\nl: 0\r\n\r\n");
        assertEquals(replaced(twoVias, "v: SIP/2.0/UDP a.example.com;branch=z9hG4bK1,",
                        "v: SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bK1,"),
                text(SipMessageEditor.of(twoVias).setTopViaSentBy("TCP", "10.0.0.1:5060")));
        assertThrows(IllegalArgumentException.class, () -> SipMessageEditor.of(m).setTopViaSentBy("TCP", "a b"));
    }

    @Test
    void setRequestUriRewritesOnlyTheRequestLine() {
        SipMessage m = corpus("telnyx-invite");
        String expected = replaced(m, "INVITE sip:+15551234567@pbx.example.com SIP/2.0",
                "INVITE sip:+15551234567@10.1.2.3:5080;transport=udp SIP/2.0");
        SipRequest edited = (SipRequest) parse(
                text(SipMessageEditor.of(m).setRequestUri("sip:+15551234567@10.1.2.3:5080;transport=udp")));
        assertEquals(expected, edited.toString());
        assertThrows(IllegalArgumentException.class, () -> SipMessageEditor.of(m).setRequestUri("<sip:x@y>"));
        assertThrows(IllegalStateException.class,
                () -> SipMessageEditor.of(corpus("telnyx-183")).setRequestUri("sip:x@y"));
    }

    @Test
    void headersAreRemovedAndAddedInPlace() {
        SipMessage m = corpus("telnyx-invite");
        String rr = "<sip:198.51.100.20;lr>";
        String expected = replaced(replaced(replaced(m,
                "Record-Route: <sip:192.76.120.10", "Record-Route: " + rr + "\r\nRecord-Route: <sip:192.76.120.10"),
                "X-Telnyx-Session-ID: 4f1c7e4e-9c55-11ee-b2a6-02420a0d0014\r\n", ""),
                "\r\n\r\n", "\r\nX-Call-Id: 42\r\n\r\n");
        SipMessageEditor editor = SipMessageEditor.of(m)
                .addHeaderFirst(HeaderName.RECORD_ROUTE, rr)
                .removeHeaders(HeaderName.of("x-telnyx-session-id"))
                .addHeader(HeaderName.of("X-Call-Id"), "42");
        assertEquals(expected, text(editor));
        assertThrows(IllegalArgumentException.class, () -> editor.addHeader(HeaderName.SUBJECT, "a\nb"));
    }

    @Test
    void decrementMaxForwardsKeepsTheFieldNameAsWritten() {
        SipMessage m = corpus("twilio-invite");
        assertEquals(replaced(m, "Max-Forwards: 68", "Max-Forwards: 67"),
                text(SipMessageEditor.of(m).decrementMaxForwards()));
        SipMessage zero = parse(replaced(m, "Max-Forwards: 68", "Max-Forwards: 0"));
        assertThrows(IllegalStateException.class, () -> SipMessageEditor.of(zero).decrementMaxForwards());
    }

    @Test
    void decrementMaxForwardsAddsSeventyWhenAbsent() {
        SipMessage m = parse("OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\n"
                + "To: <sip:c@d>\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
        assertEquals(70, parse(text(SipMessageEditor.of(m).decrementMaxForwards())).maxForwards());
    }

    @Test
    void aNewBodyFixesContentTypeAndContentLengthInPlace() {
        SipMessage m = corpus("asterisk-invite");
        byte[] body = "Signal=1\r\nDuration=100\r\n".getBytes(UTF_8);
        String expected = replaced(replaced(m, "Content-Type: application/sdp", "Content-Type: application/dtmf-relay"),
                "Content-Length: 238", "Content-Length: " + body.length);
        expected = expected.substring(0, expected.indexOf("\r\n\r\n") + 4) + new String(body, UTF_8);
        assertEquals(expected, text(SipMessageEditor.of(m).body("application/dtmf-relay", body, 0, body.length)));
    }

    @Test
    void removingTheBodyRemovesContentType() {
        SipMessage m = corpus("asterisk-invite");
        SipMessage edited = parse(text(SipMessageEditor.of(m).body(null, new byte[0], 0, 0)));
        assertEquals(null, edited.contentType());
        assertEquals(0, edited.contentLength());
        assertEquals(0, edited.bodyLength());
    }

    @Test
    void aMissingContentLengthIsAdded() {
        byte[] b = org.callrouter.sip.torture.Rfc4475.INV2543.bytes();
        SipMessage m = SipParser.parse(b, 0, b.length);
        SipMessage edited = parse(text(SipMessageEditor.of(m)));
        assertEquals(m.bodyLength(), edited.contentLength());
        assertArrayEquals(m.body(), edited.body());
    }
}
