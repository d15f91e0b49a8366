package org.callrouter.sip.codec;

import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.StringMsgParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.concurrent.TimeUnit;
import javax.sip.InvalidArgumentException;
import javax.sip.SipException;
import javax.sip.address.URI;
import org.callrouter.sip.message.HeaderName;
import org.callrouter.sip.message.SipMessage;
import org.callrouter.sip.message.SipMethod;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.sip.uri.SipUri;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parses, and parses and re-encodes, a typical carrier INVITE with SDP (about 900 bytes) with
 * this codec and with jain-sip-ri in the same run. Run with {@code -prof gc} for the bytes
 * allocated per operation ({@code gc.alloc.rate.norm}).
 *
 * <ul>
 *   <li>{@code *Parse}: bytes to a message.</li>
 *   <li>{@code *ParseRead}: and read what a B2BUA reads on every INVITE: Call-ID, CSeq, top Via
 *       branch, From tag, Request-URI user, Max-Forwards.</li>
 *   <li>{@code *ParseEncode}: parse and write the message back out unchanged.</li>
 *   <li>{@code *ParseEditEncode}: parse, push a Via, decrement Max-Forwards, replace the
 *       Request-URI, write it out: a proxy-style relay.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SipCodecBenchmark {

    /** The INVITE: 880 bytes, 13 header fields, a 234-byte SDP offer. */
    static final String INVITE = "INVITE sip:+15551234567@pbx.example.com:5060;transport=udp SIP/2.0\r\n"
            + "Record-Route: <sip:54.172.60.0:5060;lr>\r\n"
            + "Via: SIP/2.0/UDP 54.172.60.0:5060;branch=z9hG4bK2b5a.a0f1e7a1.0;rport\r\n"
            + "From: \"+13125550100\" <sip:+13125550100@carrier.example.net>;tag=29876543_6772d868\r\n"
            + "To: <sip:+15551234567@pbx.example.com>\r\n"
            + "Call-ID: 5a9e2d1c0b8f7a6e5d4c3b2a19081726@54.172.60.0\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "Max-Forwards: 68\r\n"
            + "Contact: <sip:+13125550100@54.172.60.0:5060;transport=udp>\r\n"
            + "Allow: INVITE,ACK,CANCEL,OPTIONS,BYE,INFO,NOTIFY\r\n"
            + "User-Agent: Carrier Gateway\r\n"
            + "P-Asserted-Identity: <sip:+13125550100@carrier.example.net>\r\n"
            + "Content-Type: application/sdp\r\n"
            + "Content-Length: 234\r\n"
            + "\r\n"
            + "v=0\r\n"
            + "o=- 678901234 678901234 IN IP4 54.172.60.12\r\n"
            + "s=-\r\n"
            + "c=IN IP4 54.172.60.12\r\n"
            + "t=0 0\r\n"
            + "m=audio 13092 RTP/AVP 0 101\r\n"
            + "a=rtpmap:0 PCMU/8000\r\n"
            + "a=rtpmap:8 PCMA/8000\r\n"
            + "a=rtpmap:101 telephone-event/8000\r\n"
            + "a=fmtp:101 0-16\r\n"
            + "a=ptime:20\r\n"
            + "a=sendrecv\r\n";

    private static final String NEW_VIA = "SIP/2.0/UDP 198.51.100.20:5060;branch=z9hG4bKb2bua.1";
    private static final String NEW_URI = "sip:+15551234567@10.0.0.9:5080;transport=udp";

    private final byte[] invite = INVITE.getBytes(StandardCharsets.US_ASCII);
    /** Where the carrier INVITE's SDP starts: the body the built INVITE carries. */
    private final int sdpOffset = INVITE.indexOf("\r\n\r\n") + 4;
    private ByteBuf out;
    private URI jainUri;
    private Via jainVia;

    @Setup(Level.Trial)
    public void setUp() throws ParseException, InvalidArgumentException {
        out = PooledByteBufAllocator.DEFAULT.directBuffer(2048);
        jainUri = new AddressFactoryImpl().createURI(NEW_URI);
        jainVia = new Via();
        jainVia.setTransport("UDP");
        jainVia.setHost("198.51.100.20");
        jainVia.setPort(5060);
        jainVia.setBranch("z9hG4bKb2bua.1");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        out.release();
    }

    @Benchmark
    public SipMessage oursParse() {
        return SipParser.parse(invite, 0, invite.length);
    }

    @Benchmark
    public void oursParseRead(Blackhole bh) {
        SipRequest m = (SipRequest) SipParser.parse(invite, 0, invite.length);
        bh.consume(m.callId());
        bh.consume(m.cseq());
        bh.consume(m.topVia().branch());
        bh.consume(m.fromTag());
        bh.consume(((SipUri) m.requestUri()).user());
        bh.consume(m.maxForwards());
    }

    @Benchmark
    public int oursParseEncode() {
        SipMessage m = SipParser.parse(invite, 0, invite.length);
        out.clear();
        SipMessageEditor.of(m).encode(out);
        return out.readableBytes();
    }

    @Benchmark
    public int oursParseEditEncode() {
        SipMessage m = SipParser.parse(invite, 0, invite.length);
        out.clear();
        SipMessageEditor.of(m).addTopVia(NEW_VIA).decrementMaxForwards().setRequestUri(NEW_URI).encode(out);
        return out.readableBytes();
    }

    /**
     * A new INVITE as the B2BUA builds one towards a handler (Via, From, To, Call-ID, CSeq,
     * Contact, Allow, Supported, the SDP), encoded into one array: the encoder's own allocation.
     */
    @Benchmark
    public byte[] oursBuildInvite() {
        return SipRequestBuilder.request(SipMethod.INVITE, "sip:127.0.0.1:5080")
                .header(HeaderName.VIA, "SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKabcdef0123456789;rport")
                .header(HeaderName.MAX_FORWARDS, "70")
                .header(HeaderName.FROM, "<sip:+14155551234@127.0.0.1>;tag=0123456789abcdef")
                .header(HeaderName.TO, "<sip:18005550100@127.0.0.1:5080>")
                .header(HeaderName.CALL_ID, "0123456789abcdef0123456789abcdef@127.0.0.1")
                .header(HeaderName.CSEQ, "1 INVITE")
                .header(HeaderName.CONTACT, "<sip:127.0.0.1:5060>")
                .header(HeaderName.ALLOW, "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, PRACK")
                .header(HeaderName.SUPPORTED, "100rel, timer")
                .body("application/sdp", invite, sdpOffset, invite.length - sdpOffset)
                .toBytes();
    }

    @Benchmark
    public Object jainParse() throws ParseException {
        return new StringMsgParser().parseSIPMessage(invite, true, false, null);
    }

    @Benchmark
    public void jainParseRead(Blackhole bh) throws ParseException {
        SIPRequest m = (SIPRequest) new StringMsgParser().parseSIPMessage(invite, true, false, null);
        bh.consume(m.getCallId().getCallId());
        bh.consume(m.getCSeq().getSeqNumber());
        bh.consume(m.getTopmostVia().getBranch());
        bh.consume(m.getFromTag());
        bh.consume(((javax.sip.address.SipURI) m.getRequestURI()).getUser());
        bh.consume(m.getMaxForwards().getMaxForwards());
    }

    @Benchmark
    public int jainParseEncode() throws ParseException {
        SIPRequest m = (SIPRequest) new StringMsgParser().parseSIPMessage(invite, true, false, null);
        return m.encodeAsBytes("UDP").length;
    }

    @Benchmark
    public int jainParseEditEncode() throws ParseException, SipException {
        SIPRequest m = (SIPRequest) new StringMsgParser().parseSIPMessage(invite, true, false, null);
        m.addFirst((Via) jainVia.clone());
        m.getMaxForwards().decrementMaxForwards();
        m.setRequestURI(jainUri);
        return m.encodeAsBytes("UDP").length;
    }
}
