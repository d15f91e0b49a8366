package org.callrouter.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import org.callrouter.server.Await;
import org.callrouter.server.resolve.TestDnsServer;
import org.callrouter.server.sipua.Behaviour;
import org.callrouter.server.sipua.Carrier;
import org.callrouter.server.sipua.CarrierCall;
import org.callrouter.server.sipua.Handler;
import org.callrouter.server.sipua.Ports;
import org.callrouter.server.transaction.MessageCounters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 3263 handler resolution through a real router: a handler {@code sip:handlers.example.test}
 * whose NAPTR and SRV records (served by {@link TestDnsServer} on loopback) name two targets at
 * different priorities: the call goes to the first, and to the second when the first answers
 * 503 or its INVITE transaction times out; a name that does not exist skips its handler with
 * the reason.
 */
class DnsIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String NAME = "handlers.example.test";

    @TempDir
    Path dir;

    private static String routing(String firstUri, String secondUri) {
        return """
                sources:
                  - id: web
                handlers:
                  - { id: pool, uri: "%s", timeout_seconds: 30 }
                  - { id: backup, uri: "%s", priority: 2 }
                campaigns:
                  - id: sales
                    handlers: [pool, backup]
                numbers:
                  - { number: "+18005550100", campaign: sales, source: web }
                """.formatted(firstUri, secondUri);
    }

    private static void twoTargets(TestDnsServer dns, int firstPort, int secondPort) {
        dns.naptr(NAME, 300, 10, 10, "SIP+D2U", "_sip._udp." + NAME)
                .srv("_sip._udp." + NAME, 300, 10, 1, firstPort, "a.example.test")
                .srv("_sip._udp." + NAME, 300, 20, 1, secondPort, "b.example.test")
                .a("a.example.test", 300, "127.0.0.1")
                .a("b.example.test", 300, "127.0.0.1");
    }

    private static String dnsSettings(TestDnsServer dns) {
        return "  dns: { servers: [\"" + dns.hostPort() + "\"] }";
    }

    @Test
    void a503FromTheFirstSrvTargetSendsTheCallToTheSecond() {
        final RecordingEvents events = new RecordingEvents();
        try (TestDnsServer dns = TestDnsServer.start();
             Handler first = Handler.open(Ports.free(45000, 45999));
             Handler second = Handler.open(Ports.free(45000, 45999));
             Handler backup = Handler.open(Ports.free(45000, 45999));
             Carrier carrier = Carrier.open(Ports.free(45000, 45999))) {
            twoTargets(dns, first.port(), second.port());
            first.behaviour(Behaviour.reject(503));
            second.behaviour(Behaviour.answer());
            backup.behaviour(Behaviour.answer());
            try (RouterFixture router = RouterFixture.start(dir.resolve("data"), routing("sip:" + NAME, backup.uri()),
                    "", dnsSettings(dns), Clock.systemUTC(), events, MessageCounters.NONE)) {
                final CarrierCall call = carrier.call(router.hostPort(), "18005550100");
                assertEquals(200, call.awaitFinal(WAIT).status());
                assertEquals(200, call.bye(WAIT).status());
                second.awaitRequest("BYE", WAIT);
            }
            assertEquals(1, first.inviteCount(), "the priority-10 target was tried first");
            assertEquals(1, second.inviteCount());
            assertEquals(0, backup.inviteCount(), "the next SRV target is the same handler, not the next handler");
            assertTrue(events.lines().contains("attempt-ended pool answered 200"), events.lines().toString());
            assertEquals(1, events.lines().stream().filter(l -> l.startsWith("attempt ")).count(),
                    events.lines().toString());
        }
    }

    @Test
    void anInviteTimeoutAtTheFirstSrvTargetSendsTheCallToTheSecond() {
        final int deadPort = Ports.free(45000, 45999);
        try (TestDnsServer dns = TestDnsServer.start();
             Handler second = Handler.open(Ports.free(45000, 45999));
             Handler backup = Handler.open(Ports.free(45000, 45999));
             Carrier carrier = Carrier.open(Ports.free(45000, 45999))) {
            twoTargets(dns, deadPort, second.port());
            second.behaviour(Behaviour.answer());
            backup.behaviour(Behaviour.answer());
            try (RouterFixture router = RouterFixture.start(dir.resolve("data"), routing("sip:" + NAME, backup.uri()),
                    "", dnsSettings(dns), Clock.systemUTC(), new RecordingEvents(), MessageCounters.NONE)) {
                // Nothing listens on the first target: timer B (64 * t1_ms = 6.4 s) ends its INVITE.
                final CarrierCall call = carrier.call(router.hostPort(), "18005550100");
                assertEquals(200, call.awaitFinal(WAIT).status());
                assertEquals(200, call.bye(WAIT).status());
            }
            assertEquals(1, second.inviteCount());
            assertEquals(0, backup.inviteCount());
        }
    }

    @Test
    void aNameThatStartsToResolveIsUsedOnceItsNegativeTtlHasRunOut() {
        final RecordingEvents events = new RecordingEvents();
        try (TestDnsServer dns = TestDnsServer.start();
             Handler pool = Handler.open(Ports.free(45000, 45999));
             Handler backup = Handler.open(Ports.free(45000, 45999));
             Carrier carrier = Carrier.open(Ports.free(45000, 45999))) {
            pool.behaviour(Behaviour.answer());
            backup.behaviour(Behaviour.answer());
            final String uri = "sip:later.example.test:" + pool.port();
            try (RouterFixture router = RouterFixture.start(dir.resolve("data"), routing(uri, backup.uri()), "",
                    "  dns: { servers: [\"" + dns.hostPort() + "\"], negative_ttl_seconds: 1 }", Clock.systemUTC(),
                    events, MessageCounters.NONE)) {
                final CarrierCall first = carrier.call(router.hostPort(), "18005550100");
                assertEquals(200, first.awaitFinal(WAIT).status());
                assertEquals(200, first.bye(WAIT).status());
                assertEquals(1, backup.inviteCount());

                dns.a("later.example.test", 60, "127.0.0.1");
                // Each look-up after the negative TTL starts one query; the answer replaces the failure.
                Await.until(WAIT, () -> router.server().unreachable(uri) == null, () -> router.server().unreachable(uri));
                final CarrierCall second = carrier.call(router.hostPort(), "18005550100");
                assertEquals(200, second.awaitFinal(WAIT).status());
                assertEquals(200, second.bye(WAIT).status());
                assertEquals(1, pool.inviteCount());
                assertEquals(1, backup.inviteCount());
            }
            assertTrue(events.lines().contains("skipped pool dns: later.example.test: NXDOMAIN"),
                    events.lines().toString());
        }
    }

    @Test
    void aNameThatDoesNotExistSkipsItsHandlerWithTheReason() {
        final RecordingEvents events = new RecordingEvents();
        try (TestDnsServer dns = TestDnsServer.start();
             Handler backup = Handler.open(Ports.free(45000, 45999));
             Carrier carrier = Carrier.open(Ports.free(45000, 45999))) {
            backup.behaviour(Behaviour.answer());
            try (RouterFixture router = RouterFixture.start(dir.resolve("data"),
                    routing("sip:missing.example.test", backup.uri()), "", dnsSettings(dns), Clock.systemUTC(),
                    events, MessageCounters.NONE)) {
                assertEquals("dns: missing.example.test: NXDOMAIN", router.server().unreachable("sip:missing.example.test"),
                        "what the admin explain shows for the candidate");
                final CarrierCall call = carrier.call(router.hostPort(), "18005550100");
                assertEquals(200, call.awaitFinal(WAIT).status());
                assertEquals(200, call.bye(WAIT).status());
            }
            assertEquals(1, backup.inviteCount());
            assertTrue(events.lines().contains("skipped pool dns: missing.example.test: NXDOMAIN"),
                    events.lines().toString());
        }
    }
}
