package org.callrouter.server.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.handler.codec.dns.DnsRecordType;
import org.callrouter.routing.config.HostPort;
import org.callrouter.routing.config.ServerSettings;
import org.callrouter.server.Await;
import org.callrouter.server.b2bua.SipTargets;
import org.callrouter.server.transport.SipNetty;
import org.callrouter.server.transport.Transport;
import org.callrouter.sip.uri.SipUri;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RFC 3263 resolution against a DNS server on loopback ({@link TestDnsServer}): NAPTR, SRV and
 * A in order, SRV targets by priority, a port skipping NAPTR and SRV, NXDOMAIN, and TTLs kept
 * (time moved by a manual clock, not by sleeping).
 */
class SipResolverIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String NAME = "handlers.example.test";

    private final AtomicLong nowMs = new AtomicLong(1_000_000);
    private TestDnsServer dns;
    private SipNetty netty;
    private SipResolver resolver;

    @BeforeEach
    void start() {
        dns = TestDnsServer.start();
        netty = SipNetty.start(false);
        final HostPort server = HostPort.parse(dns.hostPort());
        resolver = SipResolver.open(netty.loop(), netty.datagramChannel(),
                new ServerSettings.Dns(List.of(server), 2000, 5, 86_400),
                EnumSet.of(Transport.UDP, Transport.TCP), nowMs::get);
    }

    @AfterEach
    void stop() {
        netty.loop().submit(resolver::close).awaitUninterruptibly(5, TimeUnit.SECONDS);
        netty.close();
        dns.close();
    }

    private Resolution resolve(String uri) {
        return resolver.resolve(SipUri.parseSip(uri)).orTimeout(10, TimeUnit.SECONDS).join();
    }

    private static List<String> where(Resolution r) {
        return r.destinations().stream().map(d -> d.transport() + " " + d.address().getAddress().getHostAddress()
                + ":" + d.address().getPort()).toList();
    }

    private void twoTargets(long ttl) {
        dns.naptr(NAME, ttl, 10, 10, "SIP+D2U", "_sip._udp." + NAME)
                .srv("_sip._udp." + NAME, ttl, 20, 1, 5071, "b.example.test")
                .srv("_sip._udp." + NAME, ttl, 10, 1, 5070, "a.example.test")
                .a("a.example.test", ttl, "127.0.0.1")
                .a("b.example.test", ttl, "127.0.0.2");
    }

    @Test
    void naptrThenSrvThenAddressesInPriorityOrder() {
        twoTargets(300);
        final Resolution r = resolve("sip:" + NAME);
        assertTrue(r.resolved(), r::toString);
        assertEquals(List.of("UDP 127.0.0.1:5070", "UDP 127.0.0.2:5071"), where(r));
        assertEquals(nowMs.get() + 300_000, r.expiresAtMs());
        assertEquals(1, dns.queries(NAME, DnsRecordType.NAPTR));
        assertEquals(1, dns.queries("_sip._udp." + NAME, DnsRecordType.SRV));
    }

    @Test
    void theSmallestTtlOfTheChainIsTheAnswersLife() {
        dns.naptr(NAME, 300, 10, 10, "SIP+D2T", "_sip._tcp." + NAME)
                .srv("_sip._tcp." + NAME, 120, 10, 1, 5070, "a.example.test")
                .a("a.example.test", 30, "127.0.0.1");
        final Resolution r = resolve("sip:" + NAME);
        assertEquals(List.of("TCP 127.0.0.1:5070"), where(r));
        assertEquals(nowMs.get() + 30_000, r.expiresAtMs());
    }

    @Test
    void withoutNaptrEachTransportsSrvIsAskedUdpFirst() {
        dns.srv("_sip._tcp." + NAME, 60, 10, 1, 5072, "a.example.test")
                .srv("_sip._udp." + NAME, 60, 10, 1, 5070, "a.example.test")
                .a("a.example.test", 60, "127.0.0.1");
        assertEquals(List.of("UDP 127.0.0.1:5070", "TCP 127.0.0.1:5072"), where(resolve("sip:" + NAME)));
    }

    @Test
    void aPortMeansAddressRecordsOnly() {
        twoTargets(60);
        dns.a(NAME, 60, "127.0.0.3");
        assertEquals(List.of("UDP 127.0.0.3:5080"), where(resolve("sip:" + NAME + ":5080")));
        assertEquals(List.of("TCP 127.0.0.3:5080"), where(resolve("sip:" + NAME + ":5080;transport=tcp")));
        assertEquals(0, dns.queries(NAME, DnsRecordType.NAPTR));
        assertEquals(0, dns.queries("_sip._udp." + NAME, DnsRecordType.SRV));
    }

    @Test
    void noSrvMeansTheHostOnPort5060() {
        dns.a(NAME, 60, "127.0.0.1");
        assertEquals(List.of("UDP 127.0.0.1:5060"), where(resolve("sip:" + NAME)));
    }

    @Test
    void sipsWithoutATlsSocketFailsWithTheReason() {
        twoTargets(60);
        final Resolution r = resolve("sips:" + NAME);
        assertEquals(NAME + ": a sips: URI needs a TLS socket, and the router has none", r.reason());
        assertEquals(0, dns.queries());
    }

    @Test
    void aTlsTargetKeepsTheUriHostForItsCertificateNotTheSrvTarget() {
        dns.srv("_sips._tcp." + NAME, 60, 10, 1, 5071, "a.example.test").a("a.example.test", 60, "127.0.0.1");
        final SipResolver tls = SipResolver.open(netty.loop(), netty.datagramChannel(),
                new ServerSettings.Dns(List.of(HostPort.parse(dns.hostPort())), 2000, 5, 86_400),
                EnumSet.of(Transport.UDP, Transport.TCP, Transport.TLS), nowMs::get);
        try {
            final Resolution r = tls.resolve(SipUri.parseSip("sips:" + NAME)).orTimeout(10, TimeUnit.SECONDS).join();
            assertEquals(List.of("TLS 127.0.0.1:5071"), where(r));
            assertEquals(NAME, r.destinations().get(0).serverName(), "RFC 5922 7: the certificate names the domain");
        } finally {
            netty.loop().submit(tls::close).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void nxdomainFailsWithTheReasonAndANegativeTtl() {
        final Resolution r = resolve("sip:missing.example.test");
        assertFalse(r.resolved());
        assertEquals("missing.example.test: NXDOMAIN", r.reason());
        assertEquals(nowMs.get() + 5_000, r.expiresAtMs());
    }

    @Test
    void answersAreCachedForTheirTtlAndAskedAgainAfter() {
        twoTargets(60);
        final SipTargets targets = new SipTargets(resolver, nowMs::get);
        targets.prepare(List.of("sip:" + NAME)).orTimeout(10, TimeUnit.SECONDS).join();
        final int asked = dns.queries();
        assertEquals(4, asked, "NAPTR, SRV and two A");
        assertEquals(List.of("UDP 127.0.0.1:5070", "UDP 127.0.0.2:5071"), where(targets.lookup("sip:" + NAME)));

        nowMs.addAndGet(59_999);
        for (int i = 0; i < 100; i++) {
            targets.lookup("sip:" + NAME);
        }
        assertEquals(asked, dns.queries(), "within the TTL the cache answers");

        dns.remove("a.example.test").a("a.example.test", 60, "127.0.0.4");
        nowMs.addAndGet(1);
        final Resolution stale = targets.lookup("sip:" + NAME);
        assertEquals(List.of("UDP 127.0.0.1:5070", "UDP 127.0.0.2:5071"), where(stale),
                "the expired answer serves while the refresh is out");
        Await.until(WAIT, () -> where(targets.lookup("sip:" + NAME)).get(0).equals("UDP 127.0.0.4:5070"),
                () -> "no refreshed answer: " + targets.lookup("sip:" + NAME));
        assertEquals(2 * asked, dns.queries(), "asked again once, after the TTL");
    }

    @Test
    void aNameThatStopsResolvingFailsAfterItsTtl() {
        dns.a(NAME, 10, "127.0.0.1");
        final SipTargets targets = new SipTargets(resolver, nowMs::get);
        targets.prepare(List.of("sip:" + NAME + ":5070")).orTimeout(10, TimeUnit.SECONDS).join();
        assertTrue(targets.lookup("sip:" + NAME + ":5070").resolved());
        dns.remove(NAME);
        nowMs.addAndGet(10_000);
        targets.lookup("sip:" + NAME + ":5070");
        Await.until(WAIT, () -> !targets.lookup("sip:" + NAME + ":5070").resolved(), () -> "still resolved");
        assertEquals(NAME + ": NXDOMAIN", targets.lookup("sip:" + NAME + ":5070").reason());
    }
}
