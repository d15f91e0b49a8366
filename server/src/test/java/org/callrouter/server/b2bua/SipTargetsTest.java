package org.callrouter.server.b2bua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;

import org.callrouter.server.transport.Destination;
import org.callrouter.server.transport.Transport;
import org.callrouter.sip.uri.Uri;
import org.junit.jupiter.api.Test;

/**
 * The transport, port and TLS server name a URI means (RFC 3261 26.2.2, RFC 3263 4.2); addresses
 * no datagram can go to are refused wherever a URI becomes a destination.
 */
class SipTargetsTest {

    private static Destination resolve(String uri) {
        final SipTargets targets = new SipTargets();
        targets.prepare(List.of(uri)).join();
        return targets.cached(uri);
    }

    @Test
    void aSipsUriIsReachedOverTlsOn5061ByDefault() {
        final Destination d = resolve("sips:+15551230001@127.0.0.1");
        assertEquals(Transport.TLS, d.transport());
        assertEquals(new InetSocketAddress("127.0.0.1", 5061), d.address());
        assertEquals("127.0.0.1", d.serverName());
    }

    @Test
    void aSipsUriIgnoresATransportParameterThatIsNotTls() {
        assertEquals(Transport.TLS, resolve("sips:127.0.0.1:5071;transport=tcp").transport());
    }

    @Test
    void aTlsTransportParameterMeansTlsWithTheUriHostAsServerName() {
        final Destination d = resolve("sip:intake@127.0.0.1:5071;transport=tls");
        assertEquals(Transport.TLS, d.transport());
        assertEquals(5071, d.address().getPort());
        assertEquals("127.0.0.1", d.serverName(), "the certificate must name the host the configuration gave");
    }

    @Test
    void plainUrisKeepTheirTransportAndHaveNoServerName() {
        final Destination udp = resolve("sip:127.0.0.1");
        assertEquals(Transport.UDP, udp.transport());
        assertEquals(5060, udp.address().getPort());
        assertNull(udp.serverName());
        assertEquals(Transport.TCP, resolve("sip:127.0.0.1:5080;transport=tcp").transport());
    }

    @Test
    void aContactWithASipsLiteralIsTls() {
        final Destination d = SipTargets.literal(Uri.parse("sips:handler@[::1]:5099"));
        assertEquals(Transport.TLS, d.transport());
        assertEquals("::1", d.serverName());
    }

    private static final String[] REFUSED = {"sip:x@0.0.0.1:5093", "sip:x@0.0.0.0", "sip:x@224.0.0.1",
        "sip:x@239.1.2.3:5060", "sip:x@240.0.0.1", "sip:x@255.255.255.255", "sip:x@[::]", "sip:x@[ff02::1]"};

    @Test
    void peerUrisWithRefusedAddressesGiveNoDestinationAndSayWhy() {
        for (String text : REFUSED) {
            final Uri uri = Uri.parse(text);
            assertNull(SipTargets.literal(uri), text);
            assertNotNull(SipTargets.refusal(uri), text);
        }
        assertTrue(SipTargets.refusal(Uri.parse("sip:x@0.0.0.1:5093")).startsWith("0.0.0.1:5093 is in 0.0.0.0/8"));
        for (String text : new String[] {"sip:x@127.0.0.1:5093", "sip:x@10.1.2.3", "sip:x@[::1]:5070",
            "sip:x@carrier.example.test"}) {
            assertNull(SipTargets.refusal(Uri.parse(text)), text);
        }
        assertEquals(5093, SipTargets.literal(Uri.parse("sip:x@127.0.0.1:5093")).address().getPort());
    }

    @Test
    void aConfiguredHandlerAtARefusedAddressIsAConfigurationError() {
        final SipTargets targets = new SipTargets();
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> targets.prepare(List.of("sip:0.0.0.1:5093")));
        assertTrue(e.getMessage().contains("0.0.0.1:5093 is in 0.0.0.0/8"), e.getMessage());
        assertNotNull(resolve("sip:127.0.0.1:5093"));
    }
}
