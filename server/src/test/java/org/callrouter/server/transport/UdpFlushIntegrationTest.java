package org.callrouter.server.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.callrouter.sip.codec.SipLimits;
import org.callrouter.server.DistinctErrorHandler;
import org.callrouter.server.sipua.Ports;
import org.callrouter.server.sipua.RawUdpPeer;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 item 16: datagrams written in one loop iteration leave in one flush (one
 * {@code sendmmsg} under epoll); a destination the kernel refuses ({@code 0.0.0.1}: EINVAL)
 * in the middle of that batch must not take the other datagrams down with it.
 */
class UdpFlushIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final InetSocketAddress REFUSED = new InetSocketAddress("0.0.0.1", 5093);

    @Test
    void aRefusedDestinationInABatchDoesNotDropTheOthers() throws Exception {
        final DistinctErrorHandler errors = new DistinctErrorHandler();
        final List<Throwable> failures = new CopyOnWriteArrayList<>();
        final List<RawUdpPeer> peers = new ArrayList<>();
        try (SipNetty netty = SipNetty.start(true)) {
            final NettySipTransport transport = new NettySipTransport(netty,
                    List.of(new SipSocket(Transport.UDP, new InetSocketAddress("127.0.0.1", 0))), new SipLimits(),
                    errors);
            transport.bind();
            transport.serve();
            try {
                for (int i = 0; i < 4; i++) {
                    peers.add(RawUdpPeer.open(Ports.free(45000, 45999)));
                }
                // One task on the SIP loop: every write below goes out in the same flush.
                netty.loop().submit(() -> {
                    for (int i = 0; i < peers.size(); i++) {
                        if (i % 2 == 1) {
                            transport.send(Destination.of(Transport.UDP, REFUSED), bytes("refused " + i),
                                    (destination, cause) -> failures.add(cause));
                        }
                        if (i == 2) {
                            // A response or an ACK: written without a listener.
                            transport.send(Destination.of(Transport.UDP, REFUSED), bytes("refused too"), null);
                        }
                        transport.send(Destination.of(Transport.UDP,
                                new InetSocketAddress("127.0.0.1", peers.get(i).port())), bytes("datagram " + i), null);
                    }
                }).get(5, TimeUnit.SECONDS);
                for (int i = 0; i < peers.size(); i++) {
                    final RawUdpPeer.Datagram got = peers.get(i).receive(WAIT)
                            .orElseThrow(() -> new AssertionError("a datagram of the batch was dropped; epoll "
                                    + netty.epoll() + ", errors " + errors.total()));
                    assertEquals("datagram " + i, got.text());
                }
            } finally {
                transport.close();
                peers.forEach(RawUdpPeer::close);
            }
            // Each refused datagram is reported to whoever sent it, not counted as a router fault.
            netty.loop().submit(() -> { }).get(5, TimeUnit.SECONDS);
            assertEquals(2, failures.size(), failures.toString());
            assertEquals(3, netty.loop().submit(transport::udpSendFailures).get(5, TimeUnit.SECONDS));
            assertEquals(0, errors.total(), "a peer's bad address is not an internal error");
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
