package org.callrouter.server.admin;

import static org.callrouter.server.admin.ServiceFixture.WAIT;
import static org.callrouter.server.admin.ServiceFixture.byCaller;
import static org.callrouter.server.admin.ServiceFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.callrouter.server.metrics.PrometheusText;
import org.callrouter.server.sipua.Behaviour;
import org.callrouter.server.sipua.Carrier;
import org.callrouter.server.sipua.CarrierCall;
import org.callrouter.server.sipua.Handler;
import org.callrouter.server.sipua.Peers;
import org.callrouter.server.webhook.HookReceiver;
import org.callrouter.server.webhook.Signature;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records, metrics and webhooks of real calls: a real router on loopback, jain-sip-ri user agents
 * as carrier and handlers, a real HTTP receiver for the webhooks, the admin API over HTTP.
 */
class RecordsIntegrationTest {

    private static final String NUMBER = "+18005550100";

    @TempDir
    Path dir;

    private Handler first;
    private Handler second;
    private Carrier carrier;
    private Peers peers;
    private ServiceFixture router;

    @BeforeEach
    void peers() {
        peers = Peers.open(48000, 48399);
        first = peers.first();
        second = peers.second();
        carrier = peers.carrier();
    }

    @AfterEach
    void close() {
        if (router != null) {
            router.close();
        }
        peers.close();
        assertTrue(carrier.errors().isEmpty(), () -> "carrier: " + carrier.errors());
    }

    private String routing(String campaignExtra) {
        return """
                sources:
                  - id: web
                handlers:
                  - { id: first, uri: "%s", timeout_seconds: 1 }
                  - { id: second, uri: "%s", priority: 2, timeout_seconds: 1 }
                campaigns:
                  - id: sales
                    handlers: [first, second]
                    blocked_callers: ["+14155559999"]
                %s
                numbers:
                  - { number: "%s", campaign: sales, source: web }
                """.formatted(first.uri(), second.uri(), campaignExtra.stripTrailing(), NUMBER);
    }

    private CarrierCall answeredCall() {
        final CarrierCall call = carrier.call(router.sipHostPort(), NUMBER);
        assertEquals(200, call.awaitFinal(WAIT).status());
        return call;
    }

    @Test
    void everyOutcomeHasItsRecordAndTheMetricsCountThem() {
        router = ServiceFixture.start(dir, routing(""), "");
        first.script(Behaviour.answer(), Behaviour.ringForever(), Behaviour.busy(), Behaviour.reject(500),
                Behaviour.ringForever());
        second.script(Behaviour.answer(), Behaviour.busy(), Behaviour.reject(503));

        final CarrierCall answered = answeredCall();
        assertEquals(200, answered.bye(WAIT).status());

        final CarrierCall failover = answeredCall();
        final String bLeg = second.awaitInvites(1, WAIT).get(0).callId();
        assertEquals(200, second.hangUp(bLeg, WAIT).status());
        failover.awaitBye(WAIT);

        final CarrierCall busy = carrier.call(router.sipHostPort(), NUMBER);
        assertEquals(480, busy.awaitFinal(WAIT).status());
        final CarrierCall failed = carrier.call(router.sipHostPort(), NUMBER);
        assertEquals(480, failed.awaitFinal(WAIT).status());

        final CarrierCall canceled = carrier.call(router.sipHostPort(), NUMBER);
        canceled.awaitStatus(180, WAIT);
        canceled.cancel();
        assertEquals(487, canceled.awaitFinal(WAIT).status());

        final CarrierCall unknown = carrier.call(router.sipHostPort(), "+18005550199");
        assertEquals(404, unknown.awaitFinal(WAIT).status());
        final CarrierCall blocked = carrier.call(router.sipHostPort(), NUMBER, "+14155559999", Map.of());
        assertEquals(603, blocked.awaitFinal(WAIT).status());
        // Refused before it became a call (as overload and shutdown 503s are): still recorded.
        final CarrierCall looped = carrier.call(router.sipHostPort(), NUMBER, "+14155550142",
                Map.of("Max-Forwards", "0"));
        assertEquals(483, looped.awaitFinal(WAIT).status());

        final List<JsonNode> calls = router.awaitCalls(8);
        assertEquals(8, calls.size());
        final JsonNode a = byCaller(calls, answered.callerNumber());
        assertRecord(a, "completed", 200, "sales", "first", "carrier hung up");
        assertAttempts(a, "first answered 200");
        assertEquals("CA", a.path("tags").path("caller_state").asText());
        assertEquals(NUMBER, a.path("dialed").asText());
        assertEquals("web", a.path("source").asText());
        assertTrue(a.path("key").asText().length() >= 16);

        final JsonNode f = byCaller(calls, failover.callerNumber());
        assertRecord(f, "completed", 200, "sales", "second", "handler hung up");
        assertAttempts(f, "first no-answer 0", "second answered 200");
        assertTrue(f.path("ring_seconds").asDouble() >= 1.0, "rang the first handler's timeout: " + f);

        assertAttempts(byCaller(calls, busy.callerNumber()), "first busy 486", "second busy 486");
        assertRecord(byCaller(calls, busy.callerNumber()), "busy", 480, "sales", null, "no handler answered");
        assertAttempts(byCaller(calls, failed.callerNumber()), "first failed 500", "second failed 503");
        assertRecord(byCaller(calls, failed.callerNumber()), "failed", 480, "sales", null, "no handler answered");
        assertAttempts(byCaller(calls, canceled.callerNumber()), "first canceled 0");
        assertRecord(byCaller(calls, canceled.callerNumber()), "canceled", 487, "sales", null, "carrier cancelled");
        final JsonNode u = byCaller(calls, unknown.callerNumber());
        assertRecord(u, "rejected", 404, null, null, "number +18005550199 is not tracked");
        assertAttempts(u);
        assertRecord(byCaller(calls, "+14155559999"), "rejected", 603, "sales", null, "blocked caller");
        final JsonNode l = byCaller(calls, "+14155550142");
        assertRecord(l, "rejected", 483, null, null, "Max-Forwards is 0");
        assertEquals(NUMBER, l.path("dialed").asText());
        assertAttempts(l);

        final Map<String, Double> m = PrometheusText.samples(router.get("/metrics").body());
        assertEquals(2.0, m.get("calls_total{campaign=\"sales\",status=\"completed\"}"));
        assertEquals(1.0, m.get("calls_total{campaign=\"sales\",status=\"busy\"}"));
        assertEquals(1.0, m.get("calls_total{campaign=\"sales\",status=\"failed\"}"));
        assertEquals(1.0, m.get("calls_total{campaign=\"sales\",status=\"canceled\"}"));
        assertEquals(1.0, m.get("calls_total{campaign=\"sales\",status=\"rejected\"}"));
        assertEquals(2.0, m.get("calls_total{campaign=\"\",status=\"rejected\"}"));
        assertEquals(8.0, m.get("sip_requests_received_total{method=\"INVITE\"}"));
        assertEquals(1.0, m.get("sip_requests_received_total{method=\"CANCEL\"}"));
        // The three INVITEs refused at once (404, 603, 483) get their final answer without a 100 first.
        assertEquals(5.0, m.get("sip_responses_sent_total{code=\"100\"}"));
        assertEquals(2.0, m.get("sip_responses_sent_total{code=\"480\"}"));
        assertEquals(1.0, m.get("call_attempts_total{handler=\"first\",result=\"answered\"}"));
        assertEquals(1.0, m.get("call_attempts_total{handler=\"first\",result=\"no-answer\"}"));
        assertEquals(1.0, m.get("call_attempts_total{handler=\"second\",result=\"answered\"}"));
        assertEquals(2.0, m.get("call_attempts_total{handler=\"second\",result=\"busy\"}") + m.get(
                "call_attempts_total{handler=\"second\",result=\"failed\"}"));
        assertEquals(7.0, m.get("routing_decision_seconds_count"));
        assertEquals(2.0, m.get("call_setup_seconds_count"));
        assertEquals(0.0, m.get("handler_active_calls{handler=\"first\"}"));
        assertEquals(0.0, m.get("records_pending"));
        assertEquals(0.0, m.get("records_dropped_total"));
        assertEquals(8.0, m.get("journal_lines_written_total"));
        assertTrue(m.containsKey("jvm_memory_used_bytes{area=\"heap\",id=\"G1 Eden Space\"}")
                || m.keySet().stream().anyMatch(k -> k.startsWith("jvm_memory_used_bytes")), "JVM metrics");
        assertTrue(m.keySet().stream().anyMatch(k -> k.startsWith("netty_")), "Netty metrics");
        assertTrue(m.keySet().stream().anyMatch(k -> k.startsWith("routing_decision_seconds_bucket{le=")),
                "routing decision histogram");
    }

    private static void assertRecord(JsonNode r, String status, int sip, String campaign, String handler, String reason) {
        assertEquals(status, r.path("status").asText(), r::toString);
        assertEquals(sip, r.path("sip_status").asInt(), r::toString);
        assertEquals(campaign, r.path("campaign").isNull() ? null : r.path("campaign").asText(), r::toString);
        assertEquals(handler, r.path("handler").isNull() ? null : r.path("handler").asText(), r::toString);
        assertTrue(r.path("reason").asText().contains(reason), () -> "reason " + reason + " in " + r);
        assertTrue(r.path("received_at").isTextual() && r.path("ended_at").isTextual(), r::toString);
        assertTrue(!r.has("incomplete"), r::toString);
    }

    private static void assertAttempts(JsonNode r, String... expected) {
        final List<String> got = new ArrayList<>();
        for (JsonNode a : r.path("attempts")) {
            got.add(a.path("handler").asText() + " " + a.path("result").asText() + " " + a.path("sip_status").asInt());
            assertTrue(a.path("started_at").isTextual() && a.path("ended_at").isTextual(), a::toString);
        }
        assertEquals(List.of(expected), got, r::toString);
    }

    @Test
    void webhooksCarryTokensAndSignaturesAndAreRetriedOnFailure() {
        try (HookReceiver events = HookReceiver.start(48400, 48499);
             HookReceiver full = HookReceiver.start(48400, 48499)) {
            full.script(500, 500).answer(200);
            router = ServiceFixture.start(dir, routing("""
                        webhooks:
                          - on: [started, selected, answered, ended]
                            url: "%1$s/events/[event]?call=[call_id]"
                            body: '{"event": "[event]", "caller": "[caller_number]", "state": "[caller_state]", "handler": "[handler]{none}", "duration": [duration]{-1}, "status": "[status]"}'
                            secret: "hook-secret"
                          - on: [ended]
                            url: "%1$s/ny-only"
                            when: ["caller_state == NY"]
                          - on: [ended]
                            url: "%2$s/full"
                    """.formatted(events.base(), full.base())), "");
            first.behaviour(Behaviour.answer());
            final CarrierCall call = answeredCall();
            final String id = first.awaitInvites(1, WAIT).get(0).header("X-Call-Id");
            assertEquals(200, call.bye(WAIT).status());

            final List<HookReceiver.Received> got = events.await(4, r -> r.uri().startsWith("/events/"), WAIT);
            final List<HookReceiver.Received> retried = full.await(3, r -> true, WAIT);
            for (HookReceiver.Received r : got) {
                assertTrue(Signature.verify("hook-secret", r.header(Signature.HEADER),
                        r.body().getBytes(StandardCharsets.UTF_8), System.currentTimeMillis() / 1000), "signed: " + r);
                assertEquals(id, r.header("X-Call-Id"));
                assertTrue(r.uri().endsWith("?call=" + id), r::toString);
                assertEquals("application/json", r.header("Content-Type"));
            }
            final JsonNode started = body(events, "started");
            assertEquals(call.callerNumber(), started.path("caller").asText());
            assertEquals("CA", started.path("state").asText());
            assertEquals("none", started.path("handler").asText());
            assertEquals(-1, started.path("duration").asInt());
            assertEquals("in-progress", started.path("status").asText());
            assertEquals("first", body(events, "selected").path("handler").asText());
            assertEquals("first", body(events, "answered").path("handler").asText());
            final JsonNode ended = body(events, "ended");
            assertEquals("completed", ended.path("status").asText());
            assertTrue(ended.path("duration").asInt() >= 0);
            assertEquals(id + ":ended:0", events.matching(r -> r.uri().startsWith("/events/ended")).get(0)
                    .header("Idempotency-Key"));

            assertEquals(1, retried.stream().map(r -> r.header("Idempotency-Key")).distinct().count());
            assertEquals(List.of("1", "2", "3"), retried.stream().map(r -> r.header("X-Webhook-Attempt")).toList());
            final JsonNode record = json(retried.get(2).body());
            assertEquals("ended", record.path("event").asText());
            assertEquals(id, record.path("id").asText());
            assertEquals(null, retried.get(0).header(Signature.HEADER), "unsigned without a secret");
            assertTrue(events.matching(r -> r.uri().equals("/ny-only")).isEmpty(), "when: caller_state == NY");

            final Map<String, Double> m = PrometheusText.samples(router.get("/metrics").body());
            assertEquals(5.0, m.get("webhook_deliveries_total{result=\"delivered\"}"));
            assertEquals(2.0, m.get("webhook_deliveries_total{result=\"failed\"}"));
            assertEquals(0.0, m.get("webhook_deliveries_total{result=\"dead_lettered\"}"));
        }
    }

    private static JsonNode body(HookReceiver receiver, String event) {
        final List<HookReceiver.Received> matching = receiver.matching(r -> r.uri().startsWith("/events/" + event));
        assertEquals(1, matching.size(), () -> event + " webhooks: " + receiver.received());
        return json(matching.get(0).body());
    }

    @Test
    void postbacksConvertOncePerCallDuringOrAfterIt() {
        try (HookReceiver hooks = HookReceiver.start(48400, 48499)) {
            router = ServiceFixture.start(dir, routing("""
                        conversion:
                          source: { type: attempt, payout: 4.50 }
                          handler: { type: postback, revenue: 25.00 }
                        webhooks:
                          - on: [converted]
                            url: "%s/converted/[call_id]"
                            body: '{"revenue": [revenue], "payout": [payout]}'
                    """.formatted(hooks.base())), "");
            first.behaviour(Behaviour.answer());

            // During the call.
            final CarrierCall live = answeredCall();
            final var invite = first.awaitInvites(1, WAIT).get(0);
            final String id = invite.header("X-Call-Id");
            final String key = invite.header("X-Call-Key");
            final JsonNode converted = json(router.post("/v1/calls/" + id + "/conversion", "{\"key\": \"" + key + "\"}"));
            assertTrue(converted.path("changed").asBoolean(), converted::toString);
            assertEquals("converted", converted.path("postback").path("handler").path("status").asText());
            assertEquals("in-progress", converted.path("call").path("status").asText());
            final JsonNode again = json(router.post("/v1/calls/" + id + "/conversion?key=" + key, null));
            assertEquals(false, again.path("changed").asBoolean(), again::toString);
            assertEquals(200, live.bye(WAIT).status());

            // After the call.
            final CarrierCall later = answeredCall();
            final var secondInvite = first.awaitInvites(2, WAIT).get(1);
            assertEquals(200, later.bye(WAIT).status());
            router.awaitCalls(2);
            final String laterId = secondInvite.header("X-Call-Id");
            final String laterKey = secondInvite.header("X-Call-Key");
            assertEquals(403, router.post("/v1/calls/" + laterId + "/conversion", "{\"key\": \"nope\"}").statusCode());
            assertEquals(400, router.post("/v1/calls/" + laterId + "/conversion", "{}").statusCode());
            assertEquals(400, router.post("/v1/calls/" + laterId + "/conversion", "not json").statusCode());
            assertEquals(404, router.post("/v1/calls/c0000000000000000000000/conversion", "{\"key\": \"k\"}")
                    .statusCode());
            final var response = router.post("/v1/calls/" + laterId + "/conversion", "{\"key\": \"" + laterKey + "\"}");
            assertEquals(200, response.statusCode(), response::body);
            assertTrue(json(response).path("changed").asBoolean());

            final JsonNode duringCall = json(router.get("/v1/calls/" + id));
            assertEquals(25.0, duringCall.path("revenue").asDouble(), duringCall::toString);
            assertEquals(4.5, duringCall.path("payout").asDouble());
            final JsonNode afterCall = json(router.get("/v1/calls/" + laterId));
            assertEquals(25.0, afterCall.path("revenue").asDouble(), afterCall::toString);
            assertTrue(afterCall.path("converted_at").isTextual(), afterCall::toString);
            assertTrue(json(router.post("/v1/calls/" + laterId + "/conversion", "{\"key\": \"" + laterKey + "\"}"))
                    .path("call").path("converted").asBoolean());

            // Busy: nothing to convert.
            first.behaviour(Behaviour.busy());
            second.behaviour(Behaviour.busy());
            final CarrierCall busy = carrier.call(router.sipHostPort(), NUMBER);
            assertEquals(480, busy.awaitFinal(WAIT).status());
            final var busyInvite = first.awaitInvites(3, WAIT).get(2);
            router.awaitCalls(3);
            assertEquals(409, router.post("/v1/calls/" + busyInvite.header("X-Call-Id") + "/conversion",
                    "{\"key\": \"" + busyInvite.header("X-Call-Key") + "\"}").statusCode());

            // Each call converted its source side at the end (attempt), the second one its handler side later.
            hooks.await(4, r -> r.uri().startsWith("/converted/"), WAIT);
            assertEquals(2, hooks.matching(r -> r.uri().equals("/converted/" + laterId)).size());
            final Map<String, Double> m = PrometheusText.samples(router.get("/metrics").body());
            assertEquals(2.0, m.get("conversions_total{campaign=\"sales\",side=\"handler\"}"));
            assertEquals(3.0, m.get("conversions_total{campaign=\"sales\",side=\"source\"}"));
            assertEquals(4, hooks.matching(r -> r.uri().startsWith("/converted/")).size());
        }
    }

    @Test
    void aFailoverKeepsThePayoutTheFirstAttemptConverted() {
        router = ServiceFixture.start(dir, routing("""
                    conversion:
                      source: { type: attempt, payout: 4.50 }
                """), "");
        first.behaviour(Behaviour.busy());
        second.behaviour(Behaviour.answer());
        final CarrierCall call = answeredCall();
        assertEquals(200, call.bye(WAIT).status());
        final JsonNode r = byCaller(router.awaitCalls(1), call.callerNumber());
        assertAttempts(r, "first busy 486", "second answered 200");
        assertEquals(4.5, r.path("payout").asDouble(), r::toString);
        assertEquals(0.0, r.path("revenue").asDouble(), r::toString);
        assertEquals("attempt", r.path("conversion").path("source").path("reason").asText(), r::toString);
    }

    @Test
    void theApiNeedsTheTokenButMetricsAndHealthDoNot() throws Exception {
        router = ServiceFixture.start(dir, routing(""), "");
        assertEquals(200, router.request("GET", "/metrics", null, null).statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8",
                router.request("GET", "/metrics", null, null).headers().firstValue("Content-Type").orElse(""));
        assertEquals(200, router.request("GET", "/health/live", null, null).statusCode());
        assertEquals("ready", json(router.request("GET", "/health/ready", null, null)).path("status").asText());
        final var none = router.request("GET", "/v1/calls", null, null);
        assertEquals(401, none.statusCode());
        assertEquals("Bearer realm=\"callrouter\"", none.headers().firstValue("WWW-Authenticate").orElse(""));
        assertTrue(json(none).path("error").path("message").asText().contains("Authorization"));
        assertEquals(401, router.request("GET", "/v1/calls", null, "Bearer wrong-token-0123456789").statusCode());
        assertEquals(401, router.request("GET", "/v1/calls", null, "Basic " + ServiceFixture.TOKEN).statusCode());
        assertEquals(200, router.get("/v1/calls").statusCode());
        assertEquals(404, router.get("/v1/nothing").statusCode());
        final var wrongMethod = router.request("DELETE", "/v1/calls", null, "Bearer " + ServiceFixture.TOKEN);
        assertEquals(405, wrongMethod.statusCode());
        assertEquals("GET", wrongMethod.headers().firstValue("Allow").orElse(""));
        assertEquals(400, router.get("/v1/calls?limit=0").statusCode());
        assertEquals(400, router.get("/v1/calls?status=happy").statusCode());
        assertEquals(400, router.get("/v1/calls?since=yesterday").statusCode());
        assertEquals(400, router.get("/v1/explain").statusCode());
        assertEquals(404, router.get("/v1/calls/c1234").statusCode());
        assertEquals(404, router.request("GET", "/nothing", null, null).statusCode());

        // Without a token the API is off.
        router.writeRaw(router.yaml(routing(""), "").replace("token: \"" + ServiceFixture.TOKEN + "\"", "token: null"));
        router.service().reload();
        final var off = router.request("GET", "/v1/calls", null, "Bearer " + ServiceFixture.TOKEN);
        assertEquals(403, off.statusCode());
        assertTrue(json(off).path("error").path("message").asText().contains("server.admin.token"));
    }

    @Test
    void explainShowsThePlanAndCountsNoCap() {
        router = ServiceFixture.start(dir, routing("").replace("timeout_seconds: 1 }",
                "timeout_seconds: 1, caps: { hourly: 1 } }"), "");
        for (int i = 0; i < 3; i++) {
            final JsonNode plan = json(router.get("/v1/explain?number=18005550100&caller=%2B14155550123"));
            assertEquals("first", plan.path("candidates").get(0).path("handler").asText(), plan::toString);
            assertEquals(NUMBER, plan.path("number").asText());
        }
        assertEquals(404, router.get("/v1/explain?number=18005550199").statusCode());
        first.behaviour(Behaviour.answer());
        second.behaviour(Behaviour.answer());
        assertEquals(200, answeredCall().bye(WAIT).status());
        assertEquals(1, first.inviteCount(), "the explains did not use the hourly cap");
        assertEquals(200, answeredCall().bye(WAIT).status());
        assertEquals(1, second.inviteCount(), "the cap of 1 was used by the call");
        final JsonNode plan = json(router.get("/v1/explain?number=18005550100"));
        assertEquals("cap: hourly", plan.path("skipped").get(0).path("reason").asText(), plan::toString);
    }

    @Test
    void reloadKeepsLiveCallsAndRefusesABadFile() {
        router = ServiceFixture.start(dir, routing(""), "");
        first.behaviour(Behaviour.answer());
        final CarrierCall live = answeredCall();

        final String good = router.yaml(routing(""), "");
        router.writeRaw(good + "  - { number: \"not a number\", campaign: sales, source: web }\n");
        final var refused = router.post("/v1/reload", null);
        assertEquals(422, refused.statusCode());
        final JsonNode errors = json(refused).path("errors");
        assertTrue(errors.get(0).asText().startsWith(router.configFile().toString() + ":"), errors::toString);
        assertTrue(errors.get(0).asText().contains("not a number"), errors::toString);

        router.writeRaw(good.replace("admin: { listen: \"127.0.0.1:", "admin: { listen: \"127.0.0.2:"));
        final var restartOnly = router.post("/v1/reload", null);
        assertEquals(422, restartOnly.statusCode());
        assertTrue(json(restartOnly).path("errors").get(0).asText().contains("server.admin.listen"));

        router.writeRaw(good + "  - { number: \"+18005550111\", campaign: sales, source: web }\n");
        final var reloaded = router.post("/v1/reload", null);
        assertEquals(200, reloaded.statusCode(), reloaded::body);
        final CarrierCall added = carrier.call(router.sipHostPort(), "+18005550111");
        assertEquals(200, added.awaitFinal(WAIT).status());
        assertEquals(200, added.bye(WAIT).status());

        assertEquals(200, live.bye(WAIT).status(), "the call from before the reloads goes on");
        final List<JsonNode> calls = router.awaitCalls(2);
        assertRecord(byCaller(calls, live.callerNumber()), "completed", 200, "sales", "first", "carrier hung up");
        assertEquals("+18005550111", byCaller(calls, added.callerNumber()).path("dialed").asText());
    }
}
