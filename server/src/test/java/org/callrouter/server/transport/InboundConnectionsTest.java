package org.callrouter.server.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

class InboundConnectionsTest {

    private static final InetAddress A = InetAddress.getLoopbackAddress();
    private static final InetAddress B = address(10, 0, 0, 2);
    private static final InetAddress C = address(10, 0, 0, 3);

    private static InetAddress address(int... bytes) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) bytes[0], (byte) bytes[1], (byte) bytes[2], (byte) bytes[3]});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void perAddressBoundRefusesOnlyThatAddress() {
        final InboundConnections connections = new InboundConnections(10, 2);
        assertEquals(InboundConnections.Refusal.NONE, connections.opened(A));
        assertEquals(InboundConnections.Refusal.NONE, connections.opened(A));
        assertEquals(InboundConnections.Refusal.PER_ADDRESS, connections.opened(A));
        assertEquals(InboundConnections.Refusal.NONE, connections.opened(B));
        assertEquals(1, connections.refusedPerAddress());
        assertEquals(3, connections.open());
        connections.closed(A);
        assertEquals(InboundConnections.Refusal.NONE, connections.opened(A), "a closed connection frees its place");
    }

    @Test
    void totalBoundRefusesEveryAddress() {
        final InboundConnections connections = new InboundConnections(2, 2);
        connections.opened(A);
        connections.opened(B);
        assertEquals(InboundConnections.Refusal.TOTAL, connections.opened(C));
        assertEquals(1, connections.refusedTotal());
        connections.closed(B);
        assertEquals(InboundConnections.Refusal.NONE, connections.opened(C));
    }

    @Test
    void lowerBoundsOnReloadLeaveOpenConnectionsAndRefuseNewOnes() {
        final InboundConnections connections = new InboundConnections(10, 3);
        connections.opened(A);
        connections.opened(A);
        connections.limits(10, 1);
        assertEquals(2, connections.open());
        assertEquals(InboundConnections.Refusal.PER_ADDRESS, connections.opened(A));
        connections.closed(A);
        assertEquals(InboundConnections.Refusal.PER_ADDRESS, connections.opened(A));
        connections.closed(A);
        assertEquals(InboundConnections.Refusal.NONE, connections.opened(A));
    }
}
