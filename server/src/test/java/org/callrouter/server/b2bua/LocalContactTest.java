package org.callrouter.server.b2bua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.Map;

import org.callrouter.server.transport.Transport;
import org.junit.jupiter.api.Test;

/** How the router writes its own addresses: IPv6 in brackets and RFC 5952 form, advertised hosts too. */
class LocalContactTest {

    @Test
    void ipv6SocketsAreWrittenInBracketsInTheirShortForm() {
        final LocalContact local = new LocalContact(null, bound(new InetSocketAddress("0:0:0:0:0:0:0:1", 5070)));
        assertTrue(local.newVia(Transport.UDP).startsWith("SIP/2.0/UDP [::1]:5070;branch=z9hG4bK"),
                local.newVia(Transport.UDP));
        assertTrue(local.newVia(Transport.UDP).endsWith(";rport"), "the router asks for rport (RFC 3581)");
        assertEquals("<sip:[::1]:5070>", local.contact(Transport.UDP));
        assertEquals("<sip:[::1]:5070;transport=tcp>", local.contact(Transport.TCP));
        assertEquals("[::1]:5070", local.sentBy(Transport.TCP));
        assertNull(local.sentBy(Transport.TLS), "not listening on TLS");
    }

    @Test
    void anAdvertisedIpv6HostGetsItsBrackets() {
        for (String advertised : new String[] {"2001:db8::7", "[2001:db8::7]"}) {
            final LocalContact local = new LocalContact(advertised, bound(new InetSocketAddress("::1", 5070)));
            assertEquals("<sip:[2001:db8::7]:5070>", local.contact(Transport.UDP), advertised);
            assertEquals("[2001:db8::7]:5070", local.sentBy(Transport.UDP), advertised);
        }
        assertEquals("sip.example.com:5070",
                new LocalContact("sip.example.com", bound(new InetSocketAddress("::1", 5070))).sentBy(Transport.UDP));
    }

    private static Map<Transport, InetSocketAddress> bound(InetSocketAddress address) {
        final Map<Transport, InetSocketAddress> bound = new EnumMap<>(Transport.class);
        bound.put(Transport.UDP, address);
        bound.put(Transport.TCP, address);
        return bound;
    }
}
