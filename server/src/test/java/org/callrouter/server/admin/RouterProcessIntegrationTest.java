package org.callrouter.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.callrouter.server.Await;
import org.callrouter.server.RouterProcess;
import org.callrouter.server.TestConfig;
import org.callrouter.server.sipua.Behaviour;
import org.callrouter.server.sipua.Carrier;
import org.callrouter.server.sipua.CarrierCall;
import org.callrouter.server.sipua.Handler;
import org.callrouter.server.sipua.Ports;
import org.callrouter.server.webhook.HookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What survives the router process being killed ({@code kill -9}) or stopped (SIGTERM). */
class RouterProcessIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String NUMBER = "+18005550100";

    @TempDir
    Path dir;

    private final int sipPort = Ports.free(48500, 48599);
    private final int adminPort = Ports.free(48500, 48599);
    private Handler handler;
    private Carrier carrier;

    @BeforeEach
    void peers() {
        handler = Handler.open(Ports.free(48500, 48599));
        handler.behaviour(Behaviour.answer());
        carrier = Carrier.open(Ports.free(48500, 48599));
    }

    @AfterEach
    void close() {
        carrier.close();
        handler.close();
    }

    private Path config(String serverExtra, String campaignExtra) {
        TestConfig.load(dir, """
                server:
                  data_dir: %s
                  sip:
                    listen: ["udp:127.0.0.1:%d"]
                    t1_ms: 100
                  health: { enabled: false }
                  drain_timeout_seconds: 2
                  admin: { listen: "127.0.0.1:%d" }
                %s
                sources: [ { id: web } ]
                handlers:
                  - { id: first, uri: "%s" }
                campaigns:
                  - id: sales
                    handlers: [first]
                %s
                numbers:
                  - { number: "%s", campaign: sales, source: web }
                """.formatted(dir.resolve("data"), sipPort, adminPort, serverExtra.stripTrailing(), handler.uri(),
                campaignExtra.stripTrailing(), NUMBER));
        return dir.resolve("router.yaml");
    }

    private String adminBase() {
        return "http://127.0.0.1:" + adminPort;
    }

    private CarrierCall completedCall() {
        final CarrierCall call = carrier.call("127.0.0.1:" + sipPort, NUMBER);
        assertEquals(200, call.awaitFinal(WAIT).status());
        assertEquals(200, call.bye(WAIT).status());
        return call;
    }

    @Test
    void pendingWebhooksAreDeliveredAfterAKillAndARestart() {
        try (HookReceiver receiver = HookReceiver.start(48600, 48699)) {
            receiver.answer(500);
            final Path config = config("""
                      webhook_delivery: { max_attempts: 100, initial_backoff_ms: 100, max_backoff_ms: 300, timeout_ms: 2000 }
                    """, """
                        webhooks:
                          - on: [ended]
                            url: "%s/ended/[call_id]"
                            secret: "kill-test-secret"
                    """.formatted(receiver.base()));
            final String key;
            try (RouterProcess router = RouterProcess.start(config, adminBase(), dir.resolve("first.log"))) {
                completedCall();
                final List<HookReceiver.Received> failing = receiver.await(2, r -> true, WAIT);
                key = failing.get(0).header("Idempotency-Key");
                router.kill();
            }
            final int triedBeforeKill = receiver.received().size();
            assertTrue(journalLines().size() == 1, "the record was written before the kill: " + journalLines());
            receiver.answer(200);
            try (RouterProcess router = RouterProcess.start(config, adminBase(), dir.resolve("second.log"))) {
                final List<HookReceiver.Received> all = receiver.await(triedBeforeKill + 1, r -> true, WAIT);
                final HookReceiver.Received delivered = all.get(all.size() - 1);
                assertEquals(key, delivered.header("Idempotency-Key"), "the same request, not a new one");
                assertEquals(all.get(0).body(), delivered.body());
                assertTrue(Integer.parseInt(delivered.header("X-Webhook-Attempt")) > 1,
                        "the tries before the kill count: " + delivered);
                Await.until(WAIT, () -> webhookPending(router) == 0, () -> "outbox not empty:\n" + router.output());
                assertEquals(0, router.terminate(), router.output());
            }
            final Set<String> keys = new HashSet<>();
            receiver.received().forEach(r -> keys.add(r.header("Idempotency-Key")));
            assertEquals(Set.of(key), keys, "one request, tried until delivered");
        }
    }

    private long webhookPending(RouterProcess router) {
        try {
            final String page = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(adminBase() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            for (String line : page.split("\n")) {
                if (line.startsWith("webhook_pending ")) {
                    return (long) Double.parseDouble(line.substring("webhook_pending ".length()));
                }
            }
            return -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Test
    void theJournalHoldsEveryCallAcknowledgedBeforeASigterm() throws IOException {
        final Path config = config("", "");
        final Set<String> callers = new HashSet<>();
        final int exit;
        try (RouterProcess router = RouterProcess.start(config, adminBase(), dir.resolve("router.log"))) {
            for (int i = 0; i < 24; i++) {
                callers.add(completedCall().callerNumber());
            }
            // SIGHUP reloads the file: a number added to it is routed without a restart.
            Files.writeString(config, Files.readString(config)
                    + "  - { number: \"+18005550177\", campaign: sales, source: web }\n");
            router.hangUp();
            Await.until(WAIT, () -> router.output().contains("configuration reloaded"), router::output);
            final CarrierCall added = carrier.call("127.0.0.1:" + sipPort, "+18005550177");
            assertEquals(200, added.awaitFinal(WAIT).status());
            assertEquals(200, added.bye(WAIT).status());
            callers.add(added.callerNumber());
            final List<CarrierCall> live = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                final CarrierCall call = carrier.call("127.0.0.1:" + sipPort, NUMBER);
                assertEquals(200, call.awaitFinal(WAIT).status());
                live.add(call);
                callers.add(call.callerNumber());
            }
            exit = router.terminate();
            assertEquals(0, exit, router.output());
            for (CarrierCall call : live) {
                call.awaitBye(WAIT);
            }
        }
        final List<JsonNode> lines = journalLines();
        assertEquals(28, lines.size());
        final Set<String> journaled = new HashSet<>();
        for (JsonNode line : lines) {
            assertEquals("call", line.path("record").asText());
            assertEquals("completed", line.path("status").asText(), line::toString);
            journaled.add(line.path("caller").asText());
        }
        assertEquals(callers, journaled);
    }

    private List<JsonNode> journalLines() {
        final List<JsonNode> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir.resolve("data").resolve("journal"), "calls-*")) {
            for (Path file : files) {
                for (String line : Files.readAllLines(file)) {
                    out.add(ServiceFixture.json(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
