package org.callrouter.routing.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.junit.jupiter.api.Test;

/** Address blocks of {@code server.sip.trusted}, IPv6 ones in particular (issue 15 item 6). */
class CidrTest {

    @Test
    void ipv6BlocksMatchByPrefix() {
        final Cidr block = Cidr.parse("2001:db8::/32");
        assertTrue(block.contains(ip("2001:db8::5")));
        assertTrue(block.contains(ip("2001:db8:ffff:ffff::1")));
        assertFalse(block.contains(ip("2001:db9::1")));
        assertFalse(block.contains(ip("32.1.13.184")), "an IPv4 address is never in an IPv6 block");
        assertTrue(Cidr.parse("::1").contains(ip("0:0:0:0:0:0:0:1")), "a bare address is a block of one");
        assertFalse(Cidr.parse("::1/128").contains(ip("127.0.0.1")));
        assertTrue(Cidr.parse("fe80::/10").contains(ip("febf::1")));
        assertFalse(Cidr.parse("fe80::/10").contains(ip("fec0::1")));
    }

    @Test
    void badIpv6BlocksAreRefusedWithTheReason() {
        assertEquals("prefix length must be between 0 and 128, got 129",
                assertThrows(IllegalArgumentException.class, () -> Cidr.parse("2001:db8::/129")).getMessage());
        assertEquals("\"2001:db8::1/32\" has host bits set; did you mean 2001:db8:0:0:0:0:0:0/32?",
                assertThrows(IllegalArgumentException.class, () -> Cidr.parse("2001:db8::1/32")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("2001:db8::g/32"));
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
