package org.callrouter.server.admin;

import static org.callrouter.server.admin.ServiceFixture.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.callrouter.server.Await;
import org.callrouter.server.sipua.Behaviour;
import org.callrouter.server.sipua.CarrierCall;
import org.callrouter.server.sipua.Peers;
import org.callrouter.server.sipua.Ports;
import org.callrouter.server.testsupport.BrowserProfile;
import org.callrouter.server.testsupport.Chromium;
import org.callrouter.server.webhook.HookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's action pages in headless Chromium on a real router: a call nobody answers leaves
 * a pending callback, which a read token cannot cancel (the API's 403 reason is shown) and an
 * admin token cancels after a confirmation; a number removed by a reload is quarantined, shown
 * with its time and calls, and released after two confirmations (the API's 409 for a release
 * before its time, then the forced release); a misdirected mark flags the number. The lost call's
 * story shows its webhooks: one delivered, one given up on (nobody listens), their URLs without
 * the query's token and no signing secret in the API's answer. A second lost call: the calls page,
 * one call a page, shows both after "More"; its callback, cancelled through the API while the
 * console's confirmation is open, makes the console's cancel meet the API's 412, which the page
 * explains before drawing the list afresh. Screenshots go to
 * {@code target/console-screenshots/}. Ports 49600-49799.
 */
class ConsoleActionsBrowserIntegrationTest {

    private static final String KEPT = "+18005550100";
    private static final String REMOVED = "+18005550177";
    private static final String REMOVED_LINE = "  - { number: \"" + REMOVED + "\", campaign: sales, source: web }\n";
    private static final String VIEWER = "viewer-token-0123456789";
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final Duration CALLBACK_WAIT = Duration.ofSeconds(30);
    private static final String SECRET = "signing-key-0123456789";
    private static final String SECOND_CALLER = "+14155550142";

    @TempDir
    Path dir;

    private Chromium chromium;
    private Peers peers;
    private HookReceiver hooks;
    private int nobodyListens;
    private ServiceFixture router;
    private BrowserProfile operator;

    @BeforeEach
    void start() throws IOException {
        chromium = Chromium.require();
        peers = Peers.open(49600, 49799);
        hooks = HookReceiver.start(49600, 49799);
        nobodyListens = Ports.free(49600, 49799);
        // The callback waits an hour, so it stays pending; the trunk is never dialed.
        router = ServiceFixture.start(dir, 49600, 49799, routing(REMOVED_LINE), "",
                ", tokens: [ { name: viewer, scope: read, token: \"%s\" } ]".formatted(VIEWER));
        operator = BrowserProfile.open(chromium, Files.createDirectories(dir.resolve("browser")));
        operator.windowSize(1280, 900);
    }

    private String routing(String removedLine) {
        return """
                sources:
                  - id: web
                handlers:
                  - { id: first, uri: "%s", timeout_seconds: 1 }
                campaigns:
                  - id: sales
                    handlers: [first]
                    callback: { enabled: true, intervals: [1h], trunk: out }
                    webhooks:
                      - { on: [ended], url: "%s/ok?token=query-token", secret: "%s" }
                      - { on: [ended], url: "http://127.0.0.1:%d/down?token=query-token" }
                trunks:
                  - { id: out, uri: "sip:127.0.0.1:%d", caller_id: "+18005550199" }
                number_policy: { quarantine_days: 45, quiet_days: 14, spam_min_calls: 1, spam_threshold: 0.5 }
                numbers:
                  - { number: "%s", campaign: sales, source: web }
                %s""".formatted(peers.first().uri(), hooks.base(), SECRET, nobodyListens, Ports.free(49600, 49799), KEPT,
                removedLine);
    }

    private static JsonNode webhook(JsonNode call, String state) {
        for (JsonNode w : call.path("webhooks")) {
            if (w.path("state").asText().equals(state)) {
                return w;
            }
        }
        throw new AssertionError("no webhook " + state + " in " + call);
    }

    @AfterEach
    void stop() {
        if (operator != null) {
            operator.close();
        }
        if (router != null) {
            router.close();
        }
        if (hooks != null) {
            hooks.close();
        }
        if (peers != null) {
            peers.close();
        }
    }

    @Test
    void anOperatorCancelsACallbackAndReleasesAQuarantinedNumber() throws Exception {
        peers.first().script(Behaviour.ringForever());
        final CarrierCall lost = peers.carrier().call(router.sipHostPort(), KEPT);
        assertEquals(480, lost.awaitFinal(WAIT).status());
        final JsonNode lostRecord = router.awaitCalls(1).get(0);
        final String lostCall = "/v1/calls/" + lostRecord.path("id").asText();
        final JsonNode[] story = {null};
        // In the order first tried: the refused connection may come before or after the answer.
        Await.until(CALLBACK_WAIT, () -> List.of("dead", "delivered").equals((story[0] = ServiceFixture.json(
                router.get(lostCall))).path("webhooks").findValuesAsText("state").stream().sorted().toList()),
                () -> "one webhook delivered and one dead: " + story[0]);
        final JsonNode delivered = webhook(story[0], "delivered");
        assertEquals("ended", delivered.path("event").asText());
        assertEquals(hooks.base() + "/ok", delivered.path("url").asText());
        assertEquals(200, delivered.path("http_status").asInt());
        assertEquals(1, delivered.path("tries").asInt());
        assertTrue(delivered.path("error").isNull(), delivered::toString);
        final JsonNode dead = webhook(story[0], "dead");
        assertEquals("http://127.0.0.1:" + nobodyListens + "/down", dead.path("url").asText());
        assertEquals(5, dead.path("tries").asInt(), "server.webhook_delivery.max_attempts");
        assertTrue(dead.path("http_status").isNull(), dead::toString);
        assertTrue(dead.path("error").asText().contains("ConnectException"), dead::toString);
        assertTrue(!story[0].toString().contains("query-token") && !story[0].toString().contains(SECRET),
                story[0]::toString);
        Await.until(CALLBACK_WAIT, () -> ServiceFixture.json(router.get("/v1/callbacks?state=pending"))
                .path("count").asInt() == 1, () -> "a pending callback for " + lost.callerNumber());
        final var marked = router.post("/v1/calls/" + lostRecord.path("id").asText() + "/spam",
                "{\"reason\": \"misdirected\"}");
        assertEquals(200, marked.statusCode(), marked::body);

        router.writeRaw(router.yaml(routing(""), ""));
        router.service().reload();
        assertEquals(1, ServiceFixture.json(router.get("/v1/numbers/quarantine")).path("numbers").size());

        // A read token sees the callback but cannot cancel it.
        operator.get(router.adminBase() + "/console/#callbacks");
        operator.type("token", VIEWER);
        operator.click("login");
        final String pending = operator.awaitContains("#callbacks-table tbody tr", "pending");
        assertTrue(pending.contains(lost.callerNumber()) && pending.contains("no-answer"), pending);
        operator.script("document.querySelector('#callbacks-table tbody tr button').click()");
        assertEquals("Cancel the callback to " + lost.callerNumber() + " (campaign sales)?", operator.acceptDialog());
        operator.awaitContains("#message", "403: the token \"viewer\" has scope read; this needs admin");
        assertEquals(1, ServiceFixture.json(router.get("/v1/callbacks?state=pending")).path("count").asInt());

        operator.click("logout");
        operator.type("token", ServiceFixture.TOKEN);
        operator.click("login");
        operator.get(router.adminBase() + "/console/#call/" + lostRecord.path("id").asText());
        operator.awaitContains("#call-story li.ok.webhook", "Webhook ended to " + hooks.base()
                + "/ok delivered (1 try, HTTP 200)");
        operator.awaitContains("#call-story li.fail.webhook", "Webhook ended to http://127.0.0.1:" + nobodyListens
                + "/down given up (5 tries): ConnectException");
        operator.screenshot(SCREENSHOTS.resolve("call-webhooks.png"));
        operator.click("nav-callbacks");
        operator.script("document.getElementById('callbacks-form-state').value = 'pending'");
        operator.type("callbacks-form-campaign", "sales");
        operator.click("callbacks-search");
        operator.awaitContains("#callbacks-count", "1 shown; 1 pending or being dialed.");
        operator.awaitContains("#callbacks-table tbody tr", lostRecord.path("id").asText());
        operator.screenshot(SCREENSHOTS.resolve("callbacks.png"));
        operator.script("document.querySelector('#callbacks-table tbody tr button').click()");
        operator.acceptDialog();
        operator.awaitContains("#message", "The callback to " + lost.callerNumber() + " was cancelled.");
        operator.awaitContains("#callbacks-count", "0 shown; 0 pending or being dialed.");
        final JsonNode cancelled = ServiceFixture.json(router.get("/v1/callbacks")).path("callbacks").get(0);
        assertEquals("cancelled", cancelled.path("state").asText(), cancelled::toString);

        operator.click("nav-numbers");
        final String quarantined = operator.awaitContains("#numbers-quarantine tbody tr[data-number='" + REMOVED
                + "']", "sales");
        assertTrue(quarantined.contains("Release early"), quarantined);
        final String flagged = operator.awaitContains("#numbers-health tbody tr[data-number='" + KEPT + "']",
                "flagged");
        assertTrue(flagged.replaceAll("\\s+", " ").startsWith(KEPT + " 1 0 1 100 %"), flagged);
        operator.screenshot(SCREENSHOTS.resolve("numbers.png"));
        operator.script("document.querySelector(\"#numbers-quarantine tbody tr[data-number='" + REMOVED
                + "'] button\").click()");
        assertEquals("Release " + REMOVED + " from quarantine? It can then be tracked again.", operator.acceptDialog());
        final String force = operator.acceptDialog();
        assertTrue(force.startsWith("The router refused: ") && force.contains(REMOVED + " is quarantined until")
                && force.endsWith("Force the release now?"), force);
        operator.awaitContains("#message", REMOVED + " was released early (forced).");
        operator.awaitDisplayed("numbers-quarantine-empty");
        assertEquals(0, ServiceFixture.json(router.get("/v1/numbers/quarantine")).path("numbers").size());

        // A second lost call: two calls to page through, and a callback that the API cancels while
        // the console's confirmation is open, so the console's cancel meets a 412.
        peers.first().script(Behaviour.ringForever());
        final CarrierCall second = peers.carrier().call(router.sipHostPort(), KEPT, SECOND_CALLER, Map.of());
        assertEquals(480, second.awaitFinal(WAIT).status());
        final List<JsonNode> both = router.awaitCalls(2);
        final JsonNode[] waiting = {null};
        Await.until(CALLBACK_WAIT, () -> (waiting[0] = ServiceFixture.json(router.get("/v1/callbacks?state=pending")))
                .path("count").asInt() == 1, () -> "a pending callback for " + SECOND_CALLER);
        final String callback = waiting[0].path("callbacks").get(0).path("id").asText();

        operator.click("nav-calls");
        operator.type("calls-form-limit", "1");
        operator.click("calls-search");
        operator.awaitContains("#calls-count", "1 calls received since");
        assertTrue(operator.displayed("calls-more"), "a More button under the first page");
        operator.click("calls-more");
        operator.awaitContains("#calls-count", "2 calls received since");
        for (JsonNode c : both) {
            operator.awaitContains("#calls-table tbody tr[data-id='" + c.path("id").asText() + "']", "sales");
        }

        operator.click("nav-callbacks");
        operator.awaitContains("#callbacks-count", "1 shown; 1 pending or being dialed.");
        operator.script("document.querySelector('#callbacks-table tbody tr button').click()");
        assertEquals("Cancel the callback to " + SECOND_CALLER + " (campaign sales)?", operator.awaitDialog());
        final var cancelledMeanwhile = router.delete("/v1/callbacks/" + callback);
        assertEquals(200, cancelledMeanwhile.statusCode(), cancelledMeanwhile::body);
        operator.acceptDialog();
        operator.awaitContains("#message", "The callback to " + SECOND_CALLER + " changed after you were asked to "
                + "confirm, so nothing was done.");
        operator.awaitContains("#callbacks-count", "0 shown; 0 pending or being dialed.");
        operator.screenshot(SCREENSHOTS.resolve("callback-changed.png"));
    }
}
