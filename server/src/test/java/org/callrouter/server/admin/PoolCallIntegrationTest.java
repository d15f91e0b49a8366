package org.callrouter.server.admin;

import static org.callrouter.server.admin.ServiceFixture.WAIT;
import static org.callrouter.server.admin.ServiceFixture.byCaller;
import static org.callrouter.server.admin.ServiceFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.callrouter.routing.pool.Allocation;
import org.callrouter.routing.pool.PoolSessions;
import org.callrouter.routing.pool.SessionRequest;
import org.callrouter.server.sipua.Behaviour;
import org.callrouter.server.sipua.Carrier;
import org.callrouter.server.sipua.CarrierCall;
import org.callrouter.server.sipua.Handler;
import org.callrouter.server.sipua.Peers;
import org.callrouter.server.webhook.HookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real SIP call (jain-sip-ri carrier and handler on loopback) to a pool number a visitor's
 * session holds: the record names the session and page path and carries the visitor's tags, a
 * webhook sees {@code [gclid]} and {@code [landing_page]} escaped for the URL and the JSON body,
 * and {@code release_on_call_end} gives the number back when the call ends.
 */
class PoolCallIntegrationTest {

    private static final String POOL_NUMBER = "+18005550200";
    /** Characters a visitor controls that must be escaped where they land. */
    private static final String GCLID = "Cj0\"&x=1 é";

    @TempDir
    Path dir;

    private Handler handler;
    private Carrier carrier;
    private Peers peers;
    private ServiceFixture router;

    @BeforeEach
    void peers() {
        peers = Peers.open(48000, 48399);
        handler = peers.first();
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

    @Test
    void aCallToAVisitorsNumberCarriesTheVisitorIntoTheRecordAndWebhooks() {
        try (HookReceiver hooks = HookReceiver.start(48600, 48699)) {
            router = ServiceFixture.start(dir, """
                    sources: [ { id: web }, { id: google-ads } ]
                    handlers: [ { id: sales, uri: "%s", timeout_seconds: 5 } ]
                    campaigns:
                      - id: solar
                        handlers: [sales]
                        webhooks:
                          - on: [ended]
                            url: "%s/ended?gclid=[gclid]&page=[landing_page]"
                            body: '{"gclid": "[gclid]", "utm_source": "[utm_source]", "session": "[visitor_session]"}'
                        pools:
                          - id: solar-web
                            numbers: ["%s", "+18005550201"]
                            source: web
                            release_on_call_end: true
                            source_rule: { google: google-ads }
                    """.formatted(handler.uri(), hooks.base(), POOL_NUMBER), "");
            handler.behaviour(Behaviour.answer());
            PoolSessions pools = router.service().server().router().pools();
            long now = System.currentTimeMillis();
            Allocation visitor = pools.create("solar-web", null, new SessionRequest(
                    "https://solar.example/landing?utm_source=google", "https://www.google.com/", "google", "cpc",
                    "spring", null, null, GCLID, null, null, null, null, null, null, List.of(), Map.of()),
                    "127.0.0.1", now);
            assertEquals(POOL_NUMBER, visitor.number());
            assertTrue(pools.pageView(visitor.sessionId(), "https://solar.example/pricing", now));

            CarrierCall call = carrier.call(router.sipHostPort(), POOL_NUMBER);
            assertEquals(200, call.awaitFinal(WAIT).status());
            assertEquals(200, call.bye(WAIT).status());

            JsonNode record = byCaller(router.awaitCalls(1), call.callerNumber());
            assertEquals("completed", record.path("status").asText(), record::toString);
            assertEquals("google-ads", record.path("source").asText(), "source_rule on the visitor's utm_source");
            assertEquals(visitor.sessionId(), record.path("session").asText(), record::toString);
            assertEquals(List.of("https://solar.example/landing?utm_source=google", "https://solar.example/pricing"),
                    List.of(record.path("page_path").get(0).asText(), record.path("page_path").get(1).asText()));
            JsonNode tags = record.path("tags");
            assertEquals(GCLID, tags.path("gclid").asText());
            assertEquals("google", tags.path("utm_source").asText());
            assertEquals("solar-web", tags.path("pool").asText());
            assertEquals(call.callerNumber(), tags.path("caller_number").asText());

            HookReceiver.Received hook = hooks.await(1, r -> r.uri().startsWith("/ended"), WAIT).get(0);
            String query = hook.uri().substring(hook.uri().indexOf('?') + 1);
            assertTrue(query.startsWith("gclid=Cj0%22%26x%3D1%20%C3%A9&page="), query);
            assertEquals("https://solar.example/landing?utm_source=google", URLDecoder.decode(
                    query.substring(query.indexOf("&page=") + 6), StandardCharsets.UTF_8));
            JsonNode body = json(hook.body());
            assertEquals(GCLID, body.path("gclid").asText());
            assertEquals("google", body.path("utm_source").asText());
            assertEquals(visitor.sessionId(), body.path("session").asText());

            assertEquals(Allocation.Status.UNKNOWN_SESSION, pools.renew(visitor.sessionId(),
                    System.currentTimeMillis()).status(), "release_on_call_end gave the number back");
            assertEquals(0, pools.status(System.currentTimeMillis()).get(0).held());
        }
    }
}
