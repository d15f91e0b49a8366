package org.callrouter.server.b2bua;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import org.callrouter.server.transport.Destination;
import org.callrouter.server.transport.Transport;
import org.junit.jupiter.api.Test;

/** Which carrier Contacts are taken for a NAT's private side, and what the router sends to instead. */
class CarrierNatTest {

    private static final Destination SOURCE = udp("203.0.113.7", 40123);

    @Test
    void aPrivateContactOfACarrierAskingForRportIsReplacedByTheSource() {
        for (String contact : new String[] {"10.0.0.5", "172.16.9.1", "192.168.1.20", "100.64.3.3", "fd00::5"}) {
            assertSame(SOURCE, CarrierNat.target(true, udp(contact, 5060), SOURCE), contact);
        }
    }

    @Test
    void aPublicContactNoRportOrAPrivateSourceKeepTheContact() {
        final Destination publicContact = udp("198.51.100.9", 5060);
        assertSame(publicContact, CarrierNat.target(true, publicContact, SOURCE), "a public Contact is followed");
        final Destination privateContact = udp("10.0.0.5", 5060);
        assertSame(privateContact, CarrierNat.target(false, privateContact, SOURCE), "no rport: no NAT said");
        assertSame(privateContact, CarrierNat.target(true, privateContact, udp("10.0.0.9", 5060)),
                "a carrier on the router's own private network is reached at its Contact");
    }

    @Test
    void privateRanges() {
        assertTrue(CarrierNat.isPrivate(ip("100.127.255.255")));
        assertFalse(CarrierNat.isPrivate(ip("100.128.0.1")));
        assertFalse(CarrierNat.isPrivate(ip("100.63.255.255")));
        assertTrue(CarrierNat.isPrivate(ip("fc00::1")));
        assertFalse(CarrierNat.isPrivate(ip("2001:db8::1")));
        assertFalse(CarrierNat.isPrivate(ip("127.0.0.1")));
    }

    private static Destination udp(String ip, int port) {
        return Destination.of(Transport.UDP, new InetSocketAddress(ip(ip), port));
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
