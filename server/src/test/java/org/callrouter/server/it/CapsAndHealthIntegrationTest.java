package org.callrouter.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.callrouter.server.Await;
import org.callrouter.server.sipua.Behaviour;
import org.callrouter.server.sipua.Carrier;
import org.callrouter.server.sipua.CarrierCall;
import org.callrouter.server.sipua.Handler;
import org.callrouter.server.sipua.Ports;
import org.callrouter.server.transaction.MessageCounters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Caps that survive a restart, and handler health from OPTIONS probes, through a real router. */
class CapsAndHealthIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private static String routing(String firstUri, String firstExtra, String secondUri) {
        return """
                sources:
                  - id: web
                handlers:
                  - { id: first, uri: "%s", timeout_seconds: 2 %s }
                  - { id: second, uri: "%s", priority: 2 }
                campaigns:
                  - id: sales
                    handlers: [first, second]
                numbers:
                  - { number: "+18005550100", campaign: sales, source: web }
                """.formatted(firstUri, firstExtra, secondUri);
    }

    @Test
    void hourlyCapPersistsAcrossARestart() {
        // A fixed wall clock mid-hour: the cap window cannot roll over during the test.
        final Clock clock = Clock.fixed(Instant.parse("2026-11-23T15:10:00Z"), ZoneOffset.UTC);
        final RecordingEvents events = new RecordingEvents();
        try (Handler first = Handler.open(Ports.free(45000, 45999));
             Handler second = Handler.open(Ports.free(45000, 45999));
             Carrier carrier = Carrier.open(Ports.free(45000, 45999));
             RouterFixture router = RouterFixture.start(dir.resolve("data"),
                     routing(first.uri(), ", caps: { hourly: 1 }", second.uri()), "", "", clock, events,
                     MessageCounters.NONE)) {
            first.behaviour(Behaviour.answer());
            second.behaviour(Behaviour.answer());
            final CarrierCall one = carrier.call(router.hostPort(), "18005550100");
            assertEquals(200, one.awaitFinal(WAIT).status());
            one.bye(WAIT);
            assertEquals(1, first.inviteCount());

            router.restart();

            final CarrierCall two = carrier.call(router.hostPort(), "18005550100");
            assertEquals(200, two.awaitFinal(WAIT).status());
            two.bye(WAIT);
            assertEquals(1, first.inviteCount(), "the hourly cap counted before the restart still holds");
            assertEquals(1, second.inviteCount());
            assertTrue(events.lines().contains("skipped first cap: hourly"), events.lines().toString());
        }
    }

    @Test
    void unansweredProbesMakeAHandlerUnhealthyAndAnAnswerHealthyAgain() {
        final int deadPort = Ports.free(45000, 45999);
        final RecordingEvents events = new RecordingEvents();
        try (Handler second = Handler.open(Ports.free(45000, 45999));
             Carrier carrier = Carrier.open(Ports.free(45000, 45999));
             RouterFixture router = RouterFixture.start(dir.resolve("data"),
                     routing("sip:127.0.0.1:" + deadPort, "", second.uri()), "",
                     "  health: { enabled: true, probe_interval_seconds: 1, failure_threshold: 2 }",
                     Clock.systemUTC(), events, MessageCounters.NONE)) {
            second.behaviour(Behaviour.answer());
            final var health = router.server().router().health();
            Await.until(WAIT, () -> !health.healthy("first"), () -> "first still healthy");

            final CarrierCall call = carrier.call(router.hostPort(), "18005550100");
            assertEquals(200, call.awaitFinal(WAIT).status());
            call.bye(WAIT);
            assertTrue(events.lines().contains("skipped first unhealthy"), events.lines().toString());
            assertTrue(events.lines().stream().noneMatch(l -> l.equals("attempt first")), events.lines().toString());

            try (Handler revived = Handler.open(deadPort)) {
                revived.behaviour(Behaviour.answer());
                Await.until(WAIT, () -> health.healthy("first"), () -> "first still unhealthy");
                final CarrierCall again = carrier.call(router.hostPort(), "18005550100");
                assertEquals(200, again.awaitFinal(WAIT).status());
                again.bye(WAIT);
                assertEquals(1, revived.inviteCount());
            }
        }
    }
}
