package org.callrouter.server.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import org.callrouter.routing.config.Cidr;
import org.junit.jupiter.api.Test;

class ClientAddressTest {

    private static final List<Cidr> PROXIES = List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("fd00::/8"));

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    @Test
    void withoutTrustedProxiesTheSocketPeerIsTheClient() throws UnknownHostException {
        assertEquals("203.0.113.7", ClientAddress.of(ip("203.0.113.7"), "198.51.100.1", List.of()));
        assertEquals("203.0.113.7", ClientAddress.of(ip("203.0.113.7"), null, PROXIES));
    }

    @Test
    void anUntrustedPeerCannotChooseItsAddressWithTheHeader() throws UnknownHostException {
        assertEquals("203.0.113.7", ClientAddress.of(ip("203.0.113.7"), "198.51.100.1", PROXIES));
    }

    @Test
    void behindTrustedProxiesTheRightmostUntrustedHopIsTheClient() throws UnknownHostException {
        assertEquals("198.51.100.1", ClientAddress.of(ip("10.1.2.3"), "198.51.100.1", PROXIES));
        // The client wrote "1.1.1.1" itself; the proxies appended what they saw.
        assertEquals("198.51.100.9", ClientAddress.of(ip("10.1.2.3"), "1.1.1.1, 198.51.100.9, 10.9.9.9", PROXIES));
        assertEquals("198.51.100.9", ClientAddress.of(ip("10.1.2.3"), "198.51.100.9:4711", PROXIES));
    }

    @Test
    void garbageInTheHeaderStopsTheWalkAtTheLastGoodHop() throws UnknownHostException {
        assertEquals("10.9.9.9", ClientAddress.of(ip("10.1.2.3"), "198.51.100.1, evil.example, 10.9.9.9", PROXIES));
        assertEquals("10.1.2.3", ClientAddress.of(ip("10.1.2.3"), "not-an-address", PROXIES));
        assertEquals("10.1.2.3", ClientAddress.of(ip("10.1.2.3"), "", PROXIES));
    }

    @Test
    void ipv6ClientsAreCountedByTheirSlash64() throws UnknownHostException {
        assertEquals("2001:db8:1:2::/64", ClientAddress.of(ip("2001:db8:1:2::17"), null, PROXIES));
        assertEquals("2001:db8:1:2::/64", ClientAddress.of(ip("2001:db8:1:2:ffff::1"), null, PROXIES));
        assertEquals("2001:db8:0:0::/64", ClientAddress.of(ip("fd00::1"), "[2001:db8::5]:443", PROXIES));
        assertEquals("192.0.2.4", ClientAddress.of(ip("fd00::1"), "::ffff:192.0.2.4", PROXIES));
    }
}
