package org.callrouter.server.b2bua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetSocketAddress;
import java.util.List;

import org.callrouter.server.transport.Destination;
import org.callrouter.server.transport.Transport;
import org.callrouter.sip.uri.Uri;
import org.junit.jupiter.api.Test;

/** The transport, port and TLS server name a URI means (RFC 3261 26.2.2, RFC 3263 4.2). */
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
}
