package org.callrouter.server.admin;

import static org.callrouter.server.admin.ServiceFixture.WAIT;
import static org.callrouter.server.admin.ServiceFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.callrouter.routing.HandlerHealth;
import org.callrouter.server.Await;
import org.callrouter.server.sipua.Behaviour;
import org.callrouter.server.sipua.CarrierCall;
import org.callrouter.server.sipua.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Passive health (issue 14 item 12) through a real router: a jain-sip-ri handler answering 503
 * to {@code passive_failure_threshold} INVITEs in a row is marked unhealthy (skipped with
 * reason {@code unhealthy}, shown in explain and the metrics), and its probes bring it back.
 */
class PassiveHealthIntegrationTest {

    private static final String NUMBER = "+18005550100";

    @TempDir
    Path dir;

    @Test
    void consecutive503sMarkAHandlerUnhealthyAndProbesBringItBack() {
        try (Peers peers = Peers.open(48000, 48399)) {
            // Probes every second, but 10 good ones in a row are needed to recover: the handler
            // stays unhealthy for at least 9 s after it is marked, far longer than one call takes.
            try (ServiceFixture router = ServiceFixture.start(dir, routing(peers), """
                      health: { enabled: true, probe_interval_seconds: 1, failure_threshold: 3,
                                recovery_threshold: 10, passive_failure_threshold: 2 }
                    """)) {
                peers.first().behaviour(Behaviour.reject(503));
                peers.second().behaviour(Behaviour.answer());
                final HandlerHealth health = router.service().health();

                call(peers, router);
                assertTrue(health.healthy("first"), "one 503 is below the threshold");
                call(peers, router);
                assertFalse(health.healthy("first"), "two 503s in a row");
                assertEquals(2, peers.first().inviteCount());

                final JsonNode plan = json(router.get("/v1/explain?number=" + NUMBER));
                final JsonNode skip = plan.path("skipped").get(0);
                assertEquals("first", skip.path("handler").asText(), plan::toString);
                assertEquals("unhealthy", skip.path("reason").asText(), plan::toString);
                assertEquals("2 consecutive INVITEs failed (last: 503); probes bring it back",
                        skip.path("health").asText(), plan::toString);
                final String metrics = router.get("/metrics").body();
                assertEquals(0.0, sample(metrics, "handler_healthy{handler=\"first\""));
                assertEquals(1.0, sample(metrics, "handler_marked_unhealthy_total{cause=\"invites\",handler=\"first\""));
                assertEquals(0.0, sample(metrics, "handler_marked_unhealthy_total{cause=\"probes\",handler=\"first\""));
                assertEquals(2.0, sample(metrics, "handler_consecutive_invite_failures{handler=\"first\""));

                call(peers, router);
                assertEquals(2, peers.first().inviteCount(), "the unhealthy handler was skipped");
                final List<JsonNode> calls = router.awaitCalls(3);
                final JsonNode third = calls.get(2);
                assertEquals("unhealthy", third.path("skipped").get(0).path("reason").asText(), third::toString);
                assertEquals("second", third.path("attempts").get(0).path("handler").asText(), third::toString);

                peers.first().behaviour(Behaviour.answer());
                Await.until(Duration.ofSeconds(30), () -> health.healthy("first"), () -> "first still unhealthy");
                assertEquals(1.0, sample(router.get("/metrics").body(), "handler_healthy{handler=\"first\""));
                call(peers, router);
                assertEquals(3, peers.first().inviteCount(), "recovered through probes");
            }
            assertTrue(peers.carrier().errors().isEmpty(), () -> "carrier: " + peers.carrier().errors());
        }
    }

    private static void call(Peers peers, ServiceFixture router) {
        final CarrierCall call = peers.carrier().call(router.sipHostPort(), NUMBER);
        assertEquals(200, call.awaitFinal(WAIT).status());
        assertEquals(200, call.bye(WAIT).status());
    }

    private static String routing(Peers peers) {
        return """
                sources:
                  - id: web
                handlers:
                  - { id: first, uri: "%s", timeout_seconds: 5 }
                  - { id: second, uri: "%s", priority: 2, timeout_seconds: 5 }
                campaigns:
                  - id: sales
                    handlers: [first, second]
                numbers:
                  - { number: "%s", campaign: sales, source: web }
                """.formatted(peers.first().uri(), peers.second().uri(), NUMBER);
    }

    /** The value of the series whose name and labels start with {@code prefix} (Prometheus text format). */
    private static double sample(String page, String prefix) {
        final Matcher m = Pattern.compile("(?m)^" + Pattern.quote(prefix) + "[^}]*} (\\S+)$").matcher(page);
        assertTrue(m.find(), () -> "no series " + prefix + " in\n" + page);
        return Double.parseDouble(m.group(1));
    }
}
