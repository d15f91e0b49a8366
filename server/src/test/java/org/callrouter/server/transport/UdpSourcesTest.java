package org.callrouter.server.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class UdpSourcesTest {

    private final UdpSources sources = new UdpSources();

    @Test
    void datagramsFromOneAddressShareTheirDestination() {
        final Destination first = sources.of(new InetSocketAddress("127.0.0.1", 5080));
        assertSame(first, sources.of(new InetSocketAddress("127.0.0.1", 5080)));
        assertEquals(Destination.of(Transport.UDP, new InetSocketAddress("127.0.0.1", 5080)), first);
    }

    @Test
    void addressesInTheSameSlotGetTheirOwnDestination() {
        // 256 ports apart: same hash slot.
        final InetSocketAddress a = new InetSocketAddress("127.0.0.1", 5080);
        final InetSocketAddress b = new InetSocketAddress("127.0.0.1", 5080 + 256);
        final Destination da = sources.of(a);
        final Destination db = sources.of(b);
        assertNotSame(da, db);
        assertEquals(a, da.address());
        assertEquals(b, db.address());
        assertEquals(a, sources.of(a).address());
        assertEquals(Transport.UDP, sources.of(b).transport());
    }
}
