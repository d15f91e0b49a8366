package org.callrouter.server.admin;

import static org.callrouter.server.admin.ServiceFixture.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import org.callrouter.server.Await;
import org.callrouter.server.sipua.Behaviour;
import org.callrouter.server.sipua.CarrierCall;
import org.callrouter.server.sipua.Peers;
import org.callrouter.server.testsupport.BrowserProfile;
import org.callrouter.server.testsupport.Chromium;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web console as an operator sees it: headless Chromium (Selenium) on a real router's admin
 * listener. A wrong token is refused with the API's reason; with the right one the live page,
 * already open, shows a real SIP call come up (calls up, the handler's concurrency bar) without
 * a reload; the calls page finds the call by its filters with the skipped handler's reason, and
 * its story; explain shows the plan for the same number; the reports page groups the call (and an
 * unattributed sale) as chosen, and the leads page finds the caller's lead and the sale's. Each
 * page is saved as a PNG under
 * {@code target/console-screenshots/} (laptop width; the live page also at phone width).
 */
class ConsoleBrowserIntegrationTest {

    private static final String NUMBER = "+18005550100";
    private static final String SKIP_REASON = "criteria: caller_state == NY";
    private static final String VIEWER = "viewer-token-0123456789";
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    @TempDir
    Path dir;

    private Chromium chromium;
    private Peers peers;
    private ServiceFixture router;
    private BrowserProfile operator;

    @BeforeEach
    void start() throws IOException {
        chromium = Chromium.require();
        peers = Peers.open(49000, 49499);
        // ny-only takes New York callers only: the carrier's callers are +1415 (California), so
        // every call skips it with its criterion and goes to buyer.
        router = ServiceFixture.start(dir, """
                sources:
                  - id: web
                handlers:
                  - { id: ny-only, uri: "%s", timeout_seconds: 2, criteria: ["caller_state == NY"] }
                  - { id: buyer, uri: "%s", priority: 2, timeout_seconds: 2, caps: { concurrency: 5, hourly: 40, daily: 200 } }
                campaigns:
                  - id: sales
                    handlers: [ny-only, buyer]
                    pools:
                      - { id: sales-web, numbers: ["+18005550111", "+18005550112", "+18005550113"], source: web,
                          allowed_origins: ["*"] }
                numbers:
                  - { number: "%s", campaign: sales, source: web }
                """.formatted(peers.second().uri(), peers.first().uri(), NUMBER), "",
                ", tokens: [ { name: viewer, scope: read, token: \"%s\" } ]".formatted(VIEWER));
        operator = BrowserProfile.open(chromium, Files.createDirectories(dir.resolve("browser")));
        operator.windowSize(1280, 900);
    }

    @AfterEach
    void stop() {
        if (operator != null) {
            operator.close();
        }
        if (router != null) {
            router.close();
        }
        if (peers != null) {
            peers.close();
        }
    }

    @Test
    void anOperatorLogsInWatchesACallAndFindsWhyItWentWhereItWent() {
        operator.get(router.adminBase() + "/console/");
        assertTrue(operator.displayed("page-login"));
        operator.screenshot(SCREENSHOTS.resolve("login.png"));

        operator.type("token", "not-the-token");
        operator.click("login");
        final String refusal = operator.awaitContains("#message", "401");
        assertTrue(refusal.contains("the bearer token is none of server.admin's tokens"), refusal);
        assertTrue(operator.displayed("page-login"));
        assertEquals(null, operator.script("return sessionStorage.getItem('callrouter.token')"));
        operator.screenshot(SCREENSHOTS.resolve("login-refused.png"));

        operator.type("token", ServiceFixture.TOKEN);
        operator.click("login");
        operator.awaitContains("#live-campaigns tbody", "sales");
        assertFalse(operator.displayed("page-login"));
        assertEquals("0", operator.text("#live-up"));

        // The page is open before the call: polling must bring the call in.
        peers.first().behaviour(Behaviour.answer());
        final CarrierCall call = peers.carrier().call(router.sipHostPort(), NUMBER);
        assertEquals(200, call.awaitFinal(WAIT).status());
        operator.awaitText("live-up", "1");
        operator.awaitContains("#live-campaigns tr[data-campaign='sales']", "sales 1");
        operator.awaitContains("article[data-handler='buyer'] .calls-up", "Calls up: 1");
        operator.awaitContains("article[data-handler='buyer'] .cap[data-cap='concurrency']", "concurrency 1 / 5");
        operator.awaitContains("article[data-handler='buyer'] .cap[data-cap='hourly']", "hourly 1 / 40");
        operator.screenshot(SCREENSHOTS.resolve("live.png"));
        operator.windowSize(390, 844);
        operator.screenshot(SCREENSHOTS.resolve("live-phone.png"));
        operator.windowSize(1280, 900);

        assertEquals(200, call.bye(WAIT).status());
        operator.awaitText("live-up", "0");
        operator.awaitText("live-asr", "100 %");
        router.awaitCalls(1);
        final JsonNode live = ServiceFixture.json(router.get("/v1/live"));
        assertEquals(1.0, live.path("answer_rate").asDouble());
        assertEquals("sales", live.path("campaigns").get(0).path("campaign").asText());
        assertEquals(1, live.path("campaigns").get(0).path("answered").asInt());
        final JsonNode buyer = live.path("handlers").get(1);
        assertEquals("buyer", buyer.path("handler").asText());
        assertEquals(0, buyer.path("calls_up").asInt());
        assertTrue(buyer.path("healthy").asBoolean(), live.toString());
        assertTrue(buyer.path("health").isNull(), live.toString());

        // An action asks first, then goes through the API: the hourly count is back to zero.
        operator.script("document.querySelector(\"article[data-handler='buyer'] .cap[data-cap='hourly'] button\").click()");
        assertEquals("Reset the hourly count of handler buyer to zero?", operator.acceptDialog());
        operator.awaitContains("#message", "The hourly cap of buyer was reset.");
        operator.awaitContains("article[data-handler='buyer'] .cap[data-cap='hourly']", "hourly 0 / 40");
        assertEquals(0, ServiceFixture.json(router.get("/v1/caps/buyer")).path("handlers").get(0).path("caps")
                .get(1).path("used").asInt());

        operator.click("nav-calls");
        operator.type("calls-form-handler", "buyer");
        operator.type("calls-form-campaign", "sales");
        operator.click("calls-search");
        final String listed = operator.awaitContains("#calls-table tbody tr", "ny-only: " + SKIP_REASON);
        assertTrue(listed.contains("completed"), listed);
        operator.screenshot(SCREENSHOTS.resolve("calls.png"));

        operator.script("document.querySelector('#calls-table tbody tr a').click()");
        operator.awaitContains("#call-story", "Skipped ny-only: " + SKIP_REASON);
        final String story = operator.awaitContains("#call-story", "Answered by buyer");
        assertTrue(story.contains("Rang buyer"), story);
        operator.awaitContains("#call-summary", "completed (200)");
        operator.screenshot(SCREENSHOTS.resolve("call.png"));

        operator.click("nav-explain");
        operator.type("explain-form-number", NUMBER);
        operator.type("explain-form-caller", "+14155550123");
        operator.type("explain-form-at", "2026-03-09T14:00:00Z");
        operator.click("explain-run");
        operator.awaitContains("#explain-summary", "2026-03-09T14:00:00Z");
        operator.awaitContains("#explain-candidates tbody", "buyer");
        operator.awaitContains("#explain-skipped tbody", "ny-only " + SKIP_REASON);
        operator.screenshot(SCREENSHOTS.resolve("explain.png"));

        operator.click("nav-pools");
        final String pool = operator.awaitContains("#pools-table tbody tr", "sales-web");
        // Pool, campaign, (the use bar), held, free, size.
        assertTrue(pool.replaceAll("\\s+", " ").startsWith("sales-web sales 0 3 3"), pool);
        operator.screenshot(SCREENSHOTS.resolve("pools.png"));

        // Reports and leads: the call reached the lead store; a sale nobody matches is an unattributed lead.
        final String caller = call.callerNumber();
        Await.until(WAIT, () -> router.get("/v1/leads?phone=" + caller.replace("+", "%2B")).statusCode() == 200,
                () -> "the call from " + caller + " in the lead store");
        assertEquals(201, router.post("/v1/sales", "{\"email\": \"buyer@example.com\", \"amount\": \"99.00\", "
                + "\"currency\": \"USD\", \"order_id\": \"web-7\"}").statusCode());
        operator.click("nav-reports");
        final String campaignRow = operator.awaitContains("#reports-table tbody tr[data-key='sales']", "sales");
        assertTrue(campaignRow.replaceAll("\\s+", " ").startsWith("sales 1 1 "), campaignRow);
        final String unattributed = operator.awaitContains("#reports-table tbody tr[data-key='(none)']", "(none)");
        assertTrue(unattributed.replaceAll("\\s+", " ").matches("\\(none\\) 0 0 0 \\S+ \\S+ 1 99(\\.0+)? .*"),
                unattributed);
        operator.script("document.querySelector(\"#reports-group-by input[value='day']\").click()");
        operator.click("reports-run");
        operator.awaitContains("#reports-table thead", "day");
        operator.screenshot(SCREENSHOTS.resolve("reports.png"));

        operator.click("nav-leads");
        operator.script("document.getElementById('leads-form-kind').value = 'phone'");
        operator.type("leads-form-value", caller);
        operator.click("leads-find");
        operator.awaitContains("#lead-identities tbody", caller);
        final String session = operator.awaitContains("#lead-sessions tbody tr", "call");
        assertTrue(session.contains("complete") && session.contains("sales"), session);
        operator.awaitContains("#lead-origin", "call");
        operator.screenshot(SCREENSHOTS.resolve("lead.png"));
        operator.click("nav-leads");
        operator.script("document.getElementById('leads-form-kind').value = 'email'");
        operator.type("leads-form-value", "Buyer@Example.com");
        operator.click("leads-find");
        operator.awaitContains("#lead-summary", "unattributed (no session)");
        operator.awaitContains("#lead-sales tbody", "99");
        operator.awaitContains("#lead-sales tbody", "unattributed");
        operator.click("nav-leads");
        operator.type("leads-form-value", "nobody@example.com");
        operator.click("leads-find");
        operator.awaitContains("#message", "404: no lead has email:nobody@example.com");

        // A read token sees everything but its actions are refused with the API's reason.
        operator.click("logout");
        operator.type("token", VIEWER);
        operator.click("login");
        operator.awaitContains("article[data-handler='buyer'] .cap[data-cap='daily']", "daily 1 / 200");
        operator.script("document.querySelector(\"article[data-handler='buyer'] .cap[data-cap='daily'] button\").click()");
        operator.acceptDialog();
        operator.awaitContains("#message", "403: the token \"viewer\" has scope read; this needs admin");
        assertEquals("1", ServiceFixture.json(router.get("/v1/caps/buyer")).path("handlers").get(0).path("caps")
                .get(2).path("used").asText());
    }
}
