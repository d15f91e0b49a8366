package org.callrouter.server;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.agrona.ErrorHandler;
import org.callrouter.sip.codec.SipLimits;
import org.callrouter.server.transport.Destination;
import org.callrouter.server.transport.NettySipTransport;
import org.callrouter.server.transport.SipNetty;
import org.callrouter.server.transport.SipSocket;
import org.callrouter.server.transport.Transport;

/**
 * The second half of the warm-up: the messages of the synthetic calls sent back and forth
 * between two throwaway {@link NettySipTransport}s on loopback (ports the kernel picks, an event
 * loop of their own), in bursts like a busy carrier's, before the real sockets open.
 * <p>
 * Why: {@link Warmup} compiles the call path but hands messages over in memory. The socket side
 * (Netty's epoll reads and batched writes, the datagram decoder, the transport's handlers) was
 * still interpreted when the first calls came: at 1,000 calls/s the SIP loop fell 200 ms behind
 * in the first second after a start and refused a few calls as an overload.
 */
final class TransportWarmup {

    /** Under the transport's 64 datagrams a read: a full read would count as a backlog. */
    private static final int BURST = 32;
    private static final long TIMEOUT_NS = 1_000_000_000L;

    private TransportWarmup() {
    }

    /**
     * Sends up to {@code datagrams} messages (cycling through {@code messages}) and their echoes,
     * or stops after {@code budgetNs}.
     *
     * @return the echoes received.
     */
    static long run(List<byte[]> messages, int datagrams, long budgetNs, ErrorHandler errors) {
        if (messages.isEmpty()) {
            return 0;
        }
        final SipSocket anyPort = new SipSocket(Transport.UDP, new InetSocketAddress("127.0.0.1", 0));
        final AtomicLong echoes = new AtomicLong();
        try (SipNetty netty = SipNetty.start(true)) {
            final NettySipTransport sender = new NettySipTransport(netty, List.of(anyPort), new SipLimits(), errors);
            final NettySipTransport echo = new NettySipTransport(netty, List.of(anyPort), new SipLimits(), errors);
            try {
                sender.start();
                echo.start();
                final int[] next = new int[1];
                echo.sink((inbound, source) -> echo.send(source, messages.get(next[0]++ % messages.size()), null));
                sender.sink((inbound, source) -> echoes.incrementAndGet());
                final Destination to = Destination.of(Transport.UDP, echo.localAddress(Transport.UDP));
                final long deadline = System.nanoTime() + budgetNs;
                long sent = 0;
                while (sent < datagrams && System.nanoTime() < deadline) {
                    final long from = sent;
                    netty.loop().execute(() -> {
                        for (int i = 0; i < BURST; i++) {
                            sender.send(to, messages.get((int) ((from + i) % messages.size())), null);
                        }
                    });
                    sent += BURST;
                    // A burst at a time, its echoes back before the next: a flood would overrun the
                    // sockets' buffers and fill the transports' reads (their overload signal).
                    final long waitUntil = System.nanoTime() + TIMEOUT_NS;
                    while (echoes.get() < sent && System.nanoTime() < waitUntil) {
                        LockSupport.parkNanos(20_000);
                    }
                }
                return echoes.get();
            } finally {
                sender.close();
                echo.close();
            }
        }
    }
}
