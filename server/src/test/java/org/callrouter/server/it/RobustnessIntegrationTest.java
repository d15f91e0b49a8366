package org.callrouter.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import org.callrouter.sip.message.SipMethod;
import org.callrouter.sip.torture.Rfc4475;
import org.callrouter.server.records.CallEvents;
import org.callrouter.server.sipua.Behaviour;
import org.callrouter.server.sipua.Carrier;
import org.callrouter.server.sipua.CarrierCall;
import org.callrouter.server.sipua.Handler;
import org.callrouter.server.sipua.Ports;
import org.callrouter.server.sipua.RawUdpPeer;
import org.callrouter.server.transaction.MessageCounters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing a peer sends can crash or wedge the router: the RFC 4475 torture messages and
 * 100,000 random or mutated datagrams over UDP, each followed by a normal call.
 */
class RobustnessIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;


    @Test
    void tortureMessagesNeverCrashTheRouterAndInvalidOnesGetTheirAnswer() {
        final StatusCounter sent = new StatusCounter();
        try (Handler handler = Handler.open(Ports.free(45000, 45999));
             RouterFixture router = RouterFixture.start(dir.resolve("data"), Routing.oneHandler(handler.uri()), "", "",
                     Clock.systemUTC(), CallEvents.NONE, sent);
             RawUdpPeer peer = RawUdpPeer.open(Ports.free(45000, 45999))) {
            handler.behaviour(Behaviour.answer());
            final InetSocketAddress to = new InetSocketAddress("127.0.0.1", router.port());
            for (Rfc4475 message : Rfc4475.values()) {
                final int before = sent.count(message.status());
                peer.send(to, message.bytes());
                if (!message.valid() && isRequest(message)) {
                    // The answer may go to the Via's sent-by port rather than ours (RFC 3261
                    // 18.2.2), so the router's own count of responses sent is what is checked.
                    awaitCount(sent, message.status(), before + 1, message);
                }
            }
            assertEquals(0, router.server().errors().total(), "internal errors");
            assertNormalCallWorks(router, handler);
        }
    }

    @Test
    void hundredThousandRandomAndMutatedDatagramsThenANormalCall() {
        final long seed = Long.getLong("fuzz.seed", System.nanoTime());
        System.out.println("RobustnessIntegrationTest seed = " + seed + " (rerun with -Dfuzz.seed=" + seed + ")");
        final SplittableRandom random = new SplittableRandom(seed);
        try (Handler handler = Handler.open(Ports.free(45000, 45999));
             RouterFixture router = RouterFixture.start(dir.resolve("data"), Routing.oneHandler(handler.uri()));
             RawUdpPeer peer = RawUdpPeer.open(Ports.free(45000, 45999))) {
            handler.behaviour(Behaviour.answer());
            final InetSocketAddress to = new InetSocketAddress("127.0.0.1", router.port());
            final List<byte[]> seeds = new ArrayList<>();
            for (Rfc4475 message : Rfc4475.values()) {
                seeds.add(message.bytes());
            }
            seeds.add(invite(peer.port()).getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 100_000; i++) {
                peer.send(to, datagram(random, seeds));
                if ((i & 255) == 255) {
                    drain(peer);
                }
            }
            awaitCaughtUp(peer, to);
            assertNormalCallWorks(router, handler);
            assertEquals(0, router.server().errors().total(), "internal errors");
        }
    }

    private static void assertNormalCallWorks(RouterFixture router, Handler handler) {
        try (Carrier carrier = Carrier.open(Ports.free(45000, 45999))) {
            final CarrierCall call = carrier.call(router.hostPort(), "18005550100");
            assertEquals(200, call.awaitFinal(WAIT).status());
            assertEquals(200, call.bye(WAIT).status());
        }
    }

    private static byte[] datagram(SplittableRandom random, List<byte[]> seeds) {
        final byte[] base = seeds.get(random.nextInt(seeds.size()));
        return switch (random.nextInt(5)) {
            case 0 -> { // random bytes
                final byte[] b = new byte[random.nextInt(1, 1500)];
                random.nextBytes(b);
                yield b;
            }
            case 1 -> java.util.Arrays.copyOf(base, random.nextInt(base.length + 1)); // truncated
            case 2 -> { // flipped bytes
                final byte[] b = base.clone();
                for (int n = random.nextInt(1, 8); n > 0; n--) {
                    b[random.nextInt(b.length)] ^= (byte) random.nextInt(1, 256);
                }
                yield b;
            }
            case 3 -> { // a run of the message duplicated in place
                final int from = random.nextInt(base.length);
                final int len = random.nextInt(0, base.length - from + 1);
                final byte[] b = new byte[base.length + len];
                System.arraycopy(base, 0, b, 0, from + len);
                System.arraycopy(base, from, b, from + len, base.length - from);
                yield b;
            }
            default -> { // random bytes inserted
                final int at = random.nextInt(base.length + 1);
                final byte[] insert = new byte[random.nextInt(1, 32)];
                random.nextBytes(insert);
                final byte[] b = new byte[base.length + insert.length];
                System.arraycopy(base, 0, b, 0, at);
                System.arraycopy(insert, 0, b, at, insert.length);
                System.arraycopy(base, at, b, at + insert.length, base.length - at);
                yield b;
            }
        };
    }

    /** An INVITE to an untracked number whose answers come back to the peer. */
    private static String invite(int peerPort) {
        final String sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio 4000 RTP/AVP 0\r\n";
        return "INVITE sip:18005559999@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + peerPort + ";branch=z9hG4bKfuzz\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: \"Fuzz\" <sip:+14155550000@127.0.0.1>;tag=f1\r\n"
                + "To: <sip:18005559999@127.0.0.1>\r\n"
                + "Call-ID: fuzz@127.0.0.1\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:fuzz@127.0.0.1:" + peerPort + ">\r\n"
                + "Content-Type: application/sdp\r\n"
                + "Content-Length: " + sdp.length() + "\r\n\r\n" + sdp;
    }

    /**
     * Waits until the router has read everything the peer sent: most of the flood gets no answer,
     * so a quiet peer does not mean that, and a call placed while the router still works through
     * its socket is rightly refused as an overload. An OPTIONS after the flood is answered once
     * all before it was read (one socket, in order); it is resent every 500 ms (T1), as a full
     * socket buffer drops what arrives.
     */
    private static void awaitCaughtUp(RawUdpPeer peer, InetSocketAddress router) {
        final String callId = "caught-up-" + System.nanoTime() + "@127.0.0.1";
        final String options = "OPTIONS sip:router@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + peer.port() + ";branch=z9hG4bKcaughtup\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:probe@127.0.0.1>;tag=c1\r\n"
                + "To: <sip:router@127.0.0.1>\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Content-Length: 0\r\n\r\n";
        final long deadline = System.nanoTime() + WAIT.toNanos();
        long resendAt = 0;
        while (System.nanoTime() < deadline) {
            if (System.nanoTime() - resendAt >= 0) {
                peer.send(router, options);
                resendAt = System.nanoTime() + 500_000_000L;
            }
            final Optional<RawUdpPeer.Datagram> d = peer.receive(Duration.ofMillis(50));
            if (d.isPresent() && d.get().text().contains(callId)) {
                return;
            }
        }
        throw new AssertionError("the router did not answer an OPTIONS sent after the flood within " + WAIT);
    }

    private static void drain(RawUdpPeer peer) {
        Optional<RawUdpPeer.Datagram> d;
        do {
            d = peer.receive(Duration.ofMillis(1));
        } while (d.isPresent());
    }

    private static boolean isRequest(Rfc4475 message) {
        return !new String(message.bytes(), 0, 8, StandardCharsets.US_ASCII).startsWith("SIP/");
    }

    private static void awaitCount(StatusCounter counter, int status, int expected, Rfc4475 message) {
        if (!counter.await(status, expected, WAIT)) {
            throw new AssertionError(message.file() + ": no " + status + " sent; sent so far " + counter);
        }
    }

    /** Counts the responses the router sends, by status. */
    private static final class StatusCounter implements MessageCounters {
        private final List<Integer> statuses = new ArrayList<>();

        @Override
        public void requestReceived(SipMethod method) {
        }

        @Override
        public synchronized void responseSent(int status) {
            statuses.add(status);
            notifyAll();
        }

        synchronized int count(int status) {
            return (int) statuses.stream().filter(s -> s == status).count();
        }

        synchronized boolean await(int status, int expected, Duration timeout) {
            final long deadline = System.nanoTime() + timeout.toNanos();
            while (count(status) < expected) {
                final long leftMs = (deadline - System.nanoTime()) / 1_000_000;
                if (leftMs <= 0) {
                    return false;
                }
                try {
                    wait(leftMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }

        @Override
        public synchronized String toString() {
            return statuses.toString();
        }
    }
}
