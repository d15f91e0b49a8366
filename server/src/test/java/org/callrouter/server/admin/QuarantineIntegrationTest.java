package org.callrouter.server.admin;

import static org.callrouter.server.admin.ServiceFixture.WAIT;
import static org.callrouter.server.admin.ServiceFixture.byCaller;
import static org.callrouter.server.admin.ServiceFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.callrouter.routing.config.ConfigException;
import org.callrouter.server.Await;
import org.callrouter.server.RouterProcess;
import org.callrouter.server.TestConfig;
import org.callrouter.server.cli.CliTest;
import org.callrouter.server.metrics.PrometheusText;
import org.callrouter.server.quarantine.QuarantineAudit;
import org.callrouter.server.sipua.Behaviour;
import org.callrouter.server.sipua.CarrierCall;
import org.callrouter.server.sipua.Peers;
import org.callrouter.server.sipua.Ports;
import org.callrouter.server.webhook.HookReceiver;

/**
 * Number quarantine and the canary number on a real router: jain-sip-ri carrier and handler on
 * loopback, the admin API over HTTP, a real webhook receiver. Ports 47700-47799.
 */
class QuarantineIntegrationTest {

    private static final String KEPT = "+18005550100";
    private static final String REMOVED = "+18005550101";
    private static final String CANARY = "+18005550102";
    private static final String REMOVED_LINE = "  - { number: \"" + REMOVED + "\", campaign: sales, source: web }\n";

    @TempDir
    Path dir;

    private Peers peers;
    private ServiceFixture router;

    @BeforeEach
    void peers() {
        peers = Peers.open(47700, 47749);
    }

    @AfterEach
    void close() {
        if (router != null) {
            router.close();
        }
        peers.close();
    }

    private String routing(String campaignExtra) {
        return """
                sources:
                  - id: web
                handlers:
                  - { id: first, uri: "%s", timeout_seconds: 2 }
                campaigns:
                  - id: sales
                    handlers: [first]
                %s
                number_policy: { quarantine_days: 45, quiet_days: 14, quarantine_status: 410 }
                numbers:
                  - { number: "%s", campaign: sales, source: web }
                %s  - { number: "%s", campaign: sales, source: web, canary: true }
                """.formatted(peers.first().uri(), campaignExtra.stripTrailing(), KEPT, REMOVED_LINE, CANARY);
    }

    @Test
    void aRemovedNumberIsRefusedRecordedAndKeptOutUntilAForcedAuditedRelease() throws Exception {
        final String full = routing("");
        final String without = full.replace(REMOVED_LINE, "");
        router = ServiceFixture.start(dir, 47750, 47799, full, "", "");
        peers.first().behaviour(Behaviour.answer());
        final CarrierCall before = peers.carrier().call(router.sipHostPort(), REMOVED);
        assertEquals(200, before.awaitFinal(WAIT).status());
        assertEquals(200, before.bye(WAIT).status());

        router.writeRaw(router.yaml(without, ""));
        router.service().reload();
        final JsonNode listed = json(router.get("/v1/numbers/quarantine"));
        assertEquals(1, listed.path("numbers").size(), listed::toString);
        final JsonNode entry = listed.path("numbers").get(0);
        assertEquals(REMOVED, entry.path("number").asText());
        assertEquals("sales", entry.path("campaign").asText());
        assertFalse(entry.path("releasable").asBoolean());

        final CarrierCall refused = peers.carrier().call(router.sipHostPort(), REMOVED, "+14155550177", Map.of());
        assertEquals(410, refused.awaitFinal(WAIT).status(), "number_policy.quarantine_status");
        final List<JsonNode> calls = router.awaitCalls(2);
        final JsonNode record = byCaller(calls, "+14155550177");
        assertEquals("rejected", record.path("status").asText(), record::toString);
        assertEquals("quarantined", record.path("reason").asText(), record::toString);
        assertEquals(REMOVED, record.path("dialed").asText());
        final Map<String, Double> m = PrometheusText.samples(router.get("/metrics").body());
        assertEquals(1.0, m.get("quarantined_number_calls_total{number=\"" + REMOVED + "\"}"), m::toString);
        assertEquals(1, json(router.get("/v1/numbers/quarantine")).path("numbers").get(0).path("calls").asInt());

        // Putting it back early is refused with the number and its date; the running config stays.
        router.writeRaw(router.yaml(full, ""));
        final ConfigException early = assertThrows(ConfigException.class, () -> router.service().reload());
        assertTrue(early.getMessage().contains("router.yaml:") && early.getMessage().contains(
                "numbers[1].number: " + REMOVED + " is quarantined until"), early.getMessage());

        // Quarantine is on disk: a restart (on the configuration without it) still refuses its calls.
        router.writeConfig(without, "");
        router.restart();
        assertEquals(410, peers.carrier().call(router.sipHostPort(), REMOVED).awaitFinal(WAIT).status());

        // The command line asks the running router.
        final String config = router.configFile().toString();
        final CliTest.Run list = CliTest.run("numbers", "quarantine", "list", "--config", config);
        assertEquals(0, list.exit(), list::err);
        assertTrue(list.out().matches("(?s).*\\" + REMOVED + "\\s+sales\\s.*\\s2\\s.*\\sno\\n.*"), list.out());
        final CliTest.Run tooSoon = CliTest.run("numbers", "quarantine", "release", REMOVED, "--config", config);
        assertEquals(2, tooSoon.exit(), tooSoon::out);
        assertTrue(tooSoon.err().contains(REMOVED + " is quarantined until"), tooSoon.err());
        final CliTest.Run health = CliTest.run("numbers", "health", "--config", config);
        assertEquals(0, health.exit(), health::err);
        assertTrue(health.out().contains("last 7 days"), health.out());

        final String release = "/v1/numbers/quarantine/" + REMOVED.replace("+", "%2B") + "/release";
        final var notYet = router.post(release, "{}");
        assertEquals(409, notYet.statusCode());
        assertTrue(json(notYet).path("error").path("message").asText().contains("is quarantined until"), notYet::body);
        assertEquals(400, router.post(release, "{\"force\": \"yes\"}").statusCode());
        assertEquals(400, router.post(release, "[true]").statusCode());
        assertEquals(400, router.post("/v1/numbers/quarantine/not-a-number/release", "{}").statusCode());
        assertEquals(400, router.post("/v1/numbers/quarantine/" + "9".repeat(5000) + "/release", "{}").statusCode());
        assertEquals(404, router.post("/v1/numbers/quarantine/%2B18005550199/release", "{}").statusCode());
        assertEquals(413, router.post(release, "{\"force\": true, \"pad\": \"" + "x".repeat(4096) + "\"}").statusCode());
        assertTrue(Files.notExists(router.dataDir().resolve(QuarantineAudit.FILE)), "refusals change nothing");

        final var forced = router.post(release, "{\"force\": true}");
        assertEquals(200, forced.statusCode(), forced::body);
        assertTrue(json(forced).path("forced").asBoolean());
        final List<String> audit = Files.readAllLines(router.dataDir().resolve(QuarantineAudit.FILE));
        assertEquals(1, audit.size());
        final JsonNode line = json(audit.get(0));
        assertEquals("force-release", line.path("action").asText());
        assertEquals("api:admin", line.path("actor").asText(), line::toString);
        assertEquals(REMOVED, line.path("number").asText());
        assertEquals("sales", line.path("campaign").asText());

        router.writeRaw(router.yaml(full, ""));
        router.service().reload();
        assertEquals(0, json(router.get("/v1/numbers/quarantine")).path("numbers").size());
        final CarrierCall back = peers.carrier().call(router.sipHostPort(), REMOVED);
        assertEquals(200, back.awaitFinal(WAIT).status());
        assertEquals(200, back.bye(WAIT).status());
    }

    @Test
    void aCanaryCallAlertsAndStillConnects() {
        try (HookReceiver hooks = HookReceiver.start(47750, 47799)) {
            router = ServiceFixture.start(dir, 47750, 47799, routing("""
                        webhooks:
                          - on: [dni_canary]
                            url: "%s/canary/[call_id]"
                            body: '{"event": "[event]", "number": "[dialed_number]", "campaign": "[campaign]"}'
                    """.formatted(hooks.base())), "", "");
            peers.first().behaviour(Behaviour.answer());
            final CarrierCall plain = peers.carrier().call(router.sipHostPort(), KEPT);
            assertEquals(200, plain.awaitFinal(WAIT).status());
            assertEquals(200, plain.bye(WAIT).status());
            final CarrierCall canary = peers.carrier().call(router.sipHostPort(), CANARY);
            assertEquals(200, canary.awaitFinal(WAIT).status(), "the customer still gets through");
            assertEquals(200, canary.bye(WAIT).status());
            router.awaitCalls(2);

            final List<HookReceiver.Received> got = hooks.await(1, r -> r.uri().startsWith("/canary/"), WAIT);
            assertEquals(1, got.size(), "only the canary call: " + got);
            final JsonNode body = json(got.get(0).body());
            assertEquals("dni_canary", body.path("event").asText());
            assertEquals(CANARY, body.path("number").asText());
            assertEquals("sales", body.path("campaign").asText());
            final Map<String, Double> m = PrometheusText.samples(router.get("/metrics").body());
            assertEquals(1.0, m.get("dni_canary_calls_total{campaign=\"sales\"}"), m::toString);
        }
    }

    @Test
    void spamMarksFlagTheNumberAndBlockTheCaller() {
        try (HookReceiver hooks = HookReceiver.start(47750, 47799)) {
            router = ServiceFixture.start(dir, 47750, 47799, routing("""
                        webhooks:
                          - on: [number_flagged]
                            url: "%s/flagged/[number]"
                    """.formatted(hooks.base())).replace("quarantine_status: 410 }",
                    "quarantine_status: 410, spam_min_calls: 2, spam_threshold: 0.5 }"), "", "");
            peers.first().behaviour(Behaviour.answer());
            for (String caller : List.of("+14155550101", "+14155550102")) {
                final CarrierCall call = peers.carrier().call(router.sipHostPort(), KEPT, caller, Map.of());
                assertEquals(200, call.awaitFinal(WAIT).status());
                assertEquals(200, call.bye(WAIT).status());
            }
            final List<JsonNode> calls = router.awaitCalls(2);
            final JsonNode spammer = byCaller(calls, "+14155550101");
            final JsonNode lost = byCaller(calls, "+14155550102");
            final String spam = "/v1/calls/" + spammer.path("id").asText() + "/spam";

            assertEquals(400, router.post(spam, "{\"reason\": \"boring\"}").statusCode());
            assertEquals(400, router.post(spam, "{\"reason\": 7}").statusCode());
            assertEquals(400, router.post(spam, "\"spam\"").statusCode());
            assertEquals(400, router.post(spam, "").statusCode());
            assertEquals(413, router.post(spam, "{\"reason\": \"" + "s".repeat(2000) + "\"}").statusCode());
            assertEquals(404, router.post("/v1/calls/c-nope/spam", "{\"reason\": \"spam\"}").statusCode());
            final var bad = router.post(spam, "{\"reason\": \"boring\"}");
            assertTrue(json(bad).path("error").path("message").asText().contains("spam or misdirected"), bad::body);

            final var marked = router.post(spam, "{\"reason\": \"spam\"}");
            assertEquals(200, marked.statusCode(), marked::body);
            final JsonNode answer = json(marked);
            assertTrue(answer.path("caller_blocked").asBoolean(), answer::toString);
            assertTrue(answer.path("flagged_now").asBoolean(), answer::toString);
            assertEquals(2, answer.path("number").path("calls").asInt(), answer::toString);
            assertEquals(409, router.post(spam, "{\"reason\": \"misdirected\"}").statusCode(), "marked once");

            final List<HookReceiver.Received> got = hooks.await(1, r -> r.uri().startsWith("/flagged/"), WAIT);
            final JsonNode flag = json(got.get(0).body());
            assertEquals("number_flagged", flag.path("event").asText(), flag::toString);
            assertEquals(KEPT, flag.path("number").asText());
            assertEquals("sales", flag.path("campaign").asText());
            assertEquals(0.5, flag.path("spam_share").asDouble());
            final JsonNode health = json(router.get("/v1/numbers/health"));
            assertTrue(health.path("numbers").get(0).path("flagged").asBoolean(), health::toString);
            final Map<String, Double> m = PrometheusText.samples(router.get("/metrics").body());
            assertEquals(1.0, m.get("numbers_flagged"), m::toString);
            assertEquals(1.0, m.get("blocked_callers"), m::toString);

            // The spammer is refused from now on; the other caller still gets through.
            final CarrierCall again = peers.carrier().call(router.sipHostPort(), KEPT, "+14155550101", Map.of());
            assertEquals(603, again.awaitFinal(WAIT).status());
            final JsonNode refused = byCaller(router.awaitCalls(3).subList(2, 3), "+14155550101");
            assertEquals("spam caller", refused.path("reason").asText(), refused::toString);

            // The handler's system marks by postback, with the call's key.
            final String postback = "/postback/" + lost.path("id").asText();
            assertEquals(403, router.request("POST", postback + "?key=wrong&reason=misdirected", null, null)
                    .statusCode());
            final var byPostback = router.request("POST", postback + "?key=" + lost.path("key").asText()
                    + "&reason=misdirected", null, null);
            assertEquals(200, byPostback.statusCode(), byPostback::body);
            assertEquals(1, json(byPostback).path("number").path("misdirected").asInt());
            assertFalse(json(byPostback).path("caller_blocked").asBoolean(), "misdirected callers are not blocked");
        }
    }

    @Test
    void quarantineSurvivesAKillDashNine() {
        peers.first().behaviour(Behaviour.answer());
        final String without = routing("").replace(REMOVED_LINE, "");
        final Path config = dir.resolve("router.yaml");
        String[] at = processConfig(routing(""));
        try (RouterProcess router = RouterProcess.start(config, at[1], dir.resolve("first.log"))) {
            final CarrierCall tracked = peers.carrier().call(at[0], REMOVED);
            assertEquals(200, tracked.awaitFinal(WAIT).status());
            assertEquals(200, tracked.bye(WAIT).status());
            TestConfig.load(dir, processYaml(without, at));
            router.hangUp();
            final String target = at[0];
            Await.until(WAIT, () -> peers.carrier().call(target, REMOVED).awaitFinal(WAIT).status() == 410,
                    () -> "the reload that removes " + REMOVED);
            router.kill();
        }
        // Fresh ports for each start: another test may have taken the last ones meanwhile.
        at = processConfig(routing(""));
        final String admin = at[1];
        final AssertionError refused = assertThrows(AssertionError.class,
                () -> RouterProcess.start(config, admin, dir.resolve("second.log")).close());
        assertTrue(refused.getMessage().contains("numbers[1].number: " + REMOVED + " is quarantined until"),
                refused.getMessage());
        try (RouterProcess router = startOnFreshPorts(without, config)) {
            assertEquals(410, peers.carrier().call(processSip, REMOVED).awaitFinal(WAIT).status());
            router.terminate();
        }
    }

    /** The SIP address of the process {@link #startOnFreshPorts} started. */
    private String processSip;

    /**
     * Starts a router process on fresh ports, up to three times: a port found free may be taken
     * before the process binds it (the band lies in the kernel's ephemeral range, and the listener
     * binds without SO_REUSEADDR), which the process reports as "Address already in use".
     */
    private RouterProcess startOnFreshPorts(String routing, Path config) {
        AssertionError last = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            final String[] at = processConfig(routing);
            try {
                final RouterProcess router = RouterProcess.start(config, at[1], dir.resolve("start-" + attempt + ".log"));
                processSip = at[0];
                return router;
            } catch (AssertionError e) {
                if (!e.getMessage().contains("Address already in use")) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    /** Writes the configuration of a router process on fresh ports: {SIP host:port, admin base URL}. */
    private String[] processConfig(String routing) {
        final String[] at = {"127.0.0.1:" + Ports.free(47750, 47799), "http://127.0.0.1:" + Ports.free(47750, 47799)};
        TestConfig.load(dir, processYaml(routing, at));
        return at;
    }

    private String processYaml(String routing, String[] at) {
        return """
                server:
                  data_dir: %s
                  sip:
                    listen: ["udp:%s"]
                  health: { enabled: false }
                  admin: { listen: "%s" }
                """.formatted(dir.resolve("data"), at[0], at[1].substring("http://".length())) + routing;
    }
}
