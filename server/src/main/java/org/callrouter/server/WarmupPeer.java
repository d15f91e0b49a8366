package org.callrouter.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.function.BooleanSupplier;

import org.callrouter.sip.codec.SipParser;
import org.callrouter.sip.codec.SipRequestBuilder;
import org.callrouter.sip.codec.SipResponseBuilder;
import org.callrouter.sip.message.HeaderName;
import org.callrouter.sip.message.SipMessage;
import org.callrouter.sip.message.SipMethod;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.sip.message.SipResponse;

/**
 * The far ends of the warm-up's calls, on two loopback UDP sockets of their own and the thread
 * that runs them: a carrier that places calls to a tracked number, acknowledges the answer and
 * hangs up at once, and a handler that answers every INVITE at once and every other request
 * with {@code 200}. At most {@link #WINDOW} calls are under way at a time, so the router sees a
 * steady stream, not a flood that would overrun its socket and count as an overload.
 * <p>
 * Calls are numbered; the Call-ID, branch and From tag of call {@code n} are derived from
 * {@code n}, so a retransmitted answer finds its call and a call counts once however many
 * copies of its last {@code 200} arrive.
 */
final class WarmupPeer implements AutoCloseable {

    /** Calls under way at once: a few hundred datagrams, well inside the sockets' buffers. */
    private static final int WINDOW = 16;
    private static final int BUFFER_BYTES = 4 << 20;
    private static final String CALL_PREFIX = "warm-";
    private static final String SDP = "v=0\r\no=user1 53655765 2353687637 IN IP4 127.0.0.1\r\ns=-\r\n"
            + "c=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 21000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
    private static final byte[] SDP_BYTES = SDP.getBytes(StandardCharsets.US_ASCII);

    private final Selector selector;
    private final DatagramChannel carrier;
    private final DatagramChannel handler;
    private final InetSocketAddress carrierAddress;
    private final InetSocketAddress handlerAddress;
    private final ByteBuffer in = ByteBuffer.allocate(65_536);
    /** Calls placed and not yet ended (by their BYE's 200, or a refusal). */
    private final BitSet open = new BitSet();
    private int underWay;
    private InetSocketAddress router;
    private String number;
    private int placed;
    private int completed;

    private WarmupPeer() throws IOException {
        selector = Selector.open();
        carrier = bind();
        handler = bind();
        carrierAddress = (InetSocketAddress) carrier.getLocalAddress();
        handlerAddress = (InetSocketAddress) handler.getLocalAddress();
    }

    /** Binds the carrier's and the handler's sockets on loopback ports the kernel picks. */
    static WarmupPeer open() {
        try {
            return new WarmupPeer();
        } catch (IOException e) {
            throw new UncheckedIOException("the warm-up cannot bind its loopback sockets", e);
        }
    }

    private DatagramChannel bind() throws IOException {
        final DatagramChannel channel = DatagramChannel.open();
        channel.setOption(StandardSocketOptions.SO_RCVBUF, BUFFER_BYTES);
        channel.setOption(StandardSocketOptions.SO_SNDBUF, BUFFER_BYTES);
        channel.bind(new InetSocketAddress("127.0.0.1", 0));
        channel.configureBlocking(false);
        channel.register(selector, SelectionKey.OP_READ);
        return channel;
    }

    /** Where the handler listens, for the warm-up's configuration. */
    InetSocketAddress handlerAddress() {
        return handlerAddress;
    }

    /** Where the calls go: the router's socket and the tracked number it routes. */
    void target(InetSocketAddress router, String number) {
        this.router = router;
        this.number = number;
    }

    /**
     * Places calls to the {@link #target}, no more than {@link #WINDOW} under way and no more
     * than one every {@code intervalNs} (0: as fast as they end), while {@code more} says so and
     * fewer than {@code calls} have been placed in all; then gives the calls under way a second
     * to end.
     *
     * @return the calls that ended with the carrier's BYE answered, in all runs so far.
     */
    int run(int calls, long intervalNs, BooleanSupplier more) throws IOException {
        long nextPlaceNs = System.nanoTime();
        long giveUpNs = Long.MAX_VALUE;
        boolean placing = true;
        while (true) {
            final long now = System.nanoTime();
            if (placing && (placed >= calls || !more.getAsBoolean())) {
                placing = false;
                giveUpNs = now + 1_000_000_000L;
            }
            while (placing && underWay < WINDOW && now - nextPlaceNs >= 0) {
                place(placed++);
                nextPlaceNs = intervalNs == 0 ? now : nextPlaceNs + intervalNs;
            }
            if (now - nextPlaceNs > intervalNs) {
                nextPlaceNs = now; // a full window held the calls back: no burst to catch up
            }
            if (!placing && (underWay == 0 || now - giveUpNs > 0)) {
                return completed;
            }
            // Paced, wake up for the next call; the selector's own wait otherwise.
            final long waitMs = placing && intervalNs > 0 ? Math.max(1, (nextPlaceNs - now) / 1_000_000) : 100;
            if (selector.select(waitMs) == 0) {
                continue;
            }
            for (SelectionKey key : selector.selectedKeys()) {
                drain((DatagramChannel) key.channel());
            }
            selector.selectedKeys().clear();
        }
    }

    private void drain(DatagramChannel channel) throws IOException {
        InetSocketAddress from;
        while ((from = (InetSocketAddress) channel.receive(in.clear())) != null) {
            in.flip();
            final SipMessage message = SipParser.parse(in.array(), 0, in.limit());
            if (message instanceof SipRequest request) {
                answer(channel, from, request);
            } else if (channel == carrier) {
                onCarrierResponse((SipResponse) message);
            }
        }
    }

    /**
     * Both ends answer requests at once: INVITE with an answer (every other one after a 180, with
     * the headers a softswitch adds), ACK not at all, the rest with 200.
     */
    private void answer(DatagramChannel channel, InetSocketAddress from, SipRequest request) throws IOException {
        final SipMethod method = request.method();
        if (method.equals(SipMethod.ACK)) {
            return;
        }
        final SipResponseBuilder ok = SipResponseBuilder.forRequest(request, 200, "OK");
        if (method.equals(SipMethod.INVITE)) {
            final InetSocketAddress me = channel == carrier ? carrierAddress : handlerAddress;
            final String tag = "h" + Integer.toHexString(request.callId().hashCode());
            final String contact = "<sip:" + me.getHostString() + ":" + me.getPort() + ">";
            if ((request.callId().hashCode() & 1) == 0) {
                send(channel, from, SipResponseBuilder.forRequest(request, 180, "Ringing").toTag(tag)
                        .header(HeaderName.CONTACT, contact).toBytes());
                ok.header(HeaderName.ALLOW, "INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE")
                        .header(HeaderName.SUPPORTED, "timer, replaces")
                        .header(HeaderName.SERVER, "warm-up handler");
            }
            ok.toTag(tag).header(HeaderName.CONTACT, contact).body("application/sdp", SDP_BYTES, 0, SDP_BYTES.length);
        }
        send(channel, from, ok.toBytes());
    }

    private void onCarrierResponse(SipResponse response) throws IOException {
        final int call = callNumber(response.callId());
        if (call < 0 || response.statusCode() < 200 || !open.get(call)) {
            return;
        }
        final SipMethod method = response.cseq().method();
        if (method.equals(SipMethod.BYE)) {
            end(call);
            completed++;
        } else if (method.equals(SipMethod.INVITE) && response.statusCode() < 300) {
            final String target = response.contacts().get(0).uri().toString();
            send(carrier, router, inDialog(SipMethod.ACK, 1, target, response));
            send(carrier, router, inDialog(SipMethod.BYE, 2, target, response));
        } else if (method.equals(SipMethod.INVITE)) {
            final byte[] placedInvite = invite(call);
            final SipRequest invite = (SipRequest) SipParser.parse(placedInvite, 0, placedInvite.length);
            send(carrier, router, SipRequestBuilder.ackForNon2xx(invite, response).toBytes());
            end(call);
        }
    }

    /** The calls that ended with the carrier's BYE answered, in all runs so far. */
    int completed() {
        return completed;
    }

    private void place(int call) throws IOException {
        open.set(call);
        underWay++;
        send(carrier, router, invite(call));
    }

    private void end(int call) {
        open.clear(call);
        underWay--;
    }

    /**
     * Call {@code n}'s INVITE, in one of two carriers' styles: the bare minimum, or what a
     * softswitch sends (rport, a display name, Allow, Supported, User-Agent, P-Asserted-Identity),
     * so that the JIT sees both branches of what real carriers vary.
     */
    private byte[] invite(int call) {
        final int port = carrierAddress.getPort();
        final String caller = "+1415" + (2_000_000 + call % 8_000_000);
        final String routerHost = router.getHostString() + ":" + router.getPort();
        final SipRequestBuilder invite = SipRequestBuilder.request(SipMethod.INVITE, "sip:" + number + "@" + routerHost);
        if ((call & 1) == 0) {
            invite.header(HeaderName.VIA, "SIP/2.0/UDP 127.0.0.1:" + port + ";branch=z9hG4bKwarm" + call)
                    .header(HeaderName.FROM, "<sip:" + caller + "@127.0.0.1>;tag=c" + call);
        } else {
            invite.header(HeaderName.VIA, "SIP/2.0/UDP 127.0.0.1:" + port + ";branch=z9hG4bKwarm" + call + ";rport")
                    .header(HeaderName.FROM, "\"caller\" <sip:" + caller + "@127.0.0.1:" + port + ";user=phone>;tag=c"
                            + call)
                    .header(HeaderName.ALLOW, "INVITE, ACK, CANCEL, BYE, OPTIONS, PRACK, UPDATE")
                    .header(HeaderName.SUPPORTED, "timer")
                    .header(HeaderName.USER_AGENT, "warm-up carrier")
                    .header(HeaderName.P_ASSERTED_IDENTITY, "<sip:" + caller + "@127.0.0.1>");
        }
        return invite.header(HeaderName.TO, "<sip:" + number + "@" + routerHost + ">")
                .header(HeaderName.CALL_ID, CALL_PREFIX + call + "@127.0.0.1")
                .header(HeaderName.CSEQ, "1 INVITE")
                .header(HeaderName.CONTACT, "<sip:caller@127.0.0.1:" + port + ">")
                .header(HeaderName.MAX_FORWARDS, "70")
                .body("application/sdp", SDP_BYTES, 0, SDP_BYTES.length)
                .toBytes();
    }

    private byte[] inDialog(SipMethod method, long cseq, String target, SipResponse answer) {
        return SipRequestBuilder.request(method, target)
                .header(HeaderName.VIA, "SIP/2.0/UDP 127.0.0.1:" + carrierAddress.getPort() + ";branch=z9hG4bKw"
                        + method.name() + answer.callId().hashCode() + cseq + ";rport")
                .header(HeaderName.MAX_FORWARDS, "70")
                .header(HeaderName.FROM, answer.header(HeaderName.FROM))
                .header(HeaderName.TO, answer.header(HeaderName.TO))
                .header(HeaderName.CALL_ID, answer.callId())
                .header(HeaderName.CSEQ, cseq + " " + method.name())
                .toBytes();
    }

    /** The number of a call this carrier placed, from its Call-ID; -1 for any other. */
    private static int callNumber(String callId) {
        if (!callId.startsWith(CALL_PREFIX)) {
            return -1;
        }
        final int at = callId.indexOf('@');
        try {
            return Integer.parseInt(callId, CALL_PREFIX.length(), at < 0 ? callId.length() : at, 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void send(DatagramChannel channel, InetSocketAddress to, byte[] bytes) throws IOException {
        // Loopback with 4 MiB buffers and a bounded window: a send that does not fit is lost like
        // any datagram, and the router's retransmission brings the call on.
        channel.send(ByteBuffer.wrap(bytes), to);
    }

    @Override
    public void close() {
        try {
            selector.close();
            carrier.close();
            handler.close();
        } catch (IOException e) {
            // Closing loopback sockets at the end of the warm-up: nothing to do about a failure.
        }
    }
}
