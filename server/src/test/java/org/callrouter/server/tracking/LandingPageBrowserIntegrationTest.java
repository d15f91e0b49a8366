package org.callrouter.server.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.callrouter.server.Await;
import org.callrouter.server.TestConfig;
import org.callrouter.server.admin.RouterService;
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
import org.openqa.selenium.Cookie;

/**
 * Dynamic number insertion end to end, as a visitor sees it: headless Chromium (Selenium)
 * loads landing pages from a web site on 127.0.0.1 whose one {@code <script>} tag loads
 * {@code callrouter.js} from a real router's tracking listener; then a jain-sip-ri carrier calls
 * the number the page shows, and the router's record and webhook carry that visitor's
 * attribution. Each visitor is a browser with a profile of its own.
 */
class LandingPageBrowserIntegrationTest {
    private static final String PAGE_NUMBER = "+18005550100";
    private static final List<String> POOL = List.of("+18005550201", "+18005550202", "+18005550203");
    private static final String OVERFLOW = "+18005550299";
    private static final String SOLO = "+18005550301";
    private static final String TOKEN = "browser-test-token-0123456789";
    private static final Duration WAIT = BrowserProfile.WAIT;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UTMS = "?utm_source=google&utm_medium=cpc&utm_campaign=spring&gclid=GCLID-visitor-1";

    @TempDir
    Path dir;

    private Chromium chromium;
    private final List<BrowserProfile> browsers = new ArrayList<>();
    private LandingPageServer site;
    private HookReceiver hooks;
    private Peers peers;
    private RouterService router;
    private int sipPort;
    private int adminPort;
    private int trackingPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() {
        chromium = Chromium.require();
        site = LandingPageServer.start();
        hooks = HookReceiver.start(49500, 49599);
        peers = Peers.open(49000, 49499);
        peers.first().behaviour(Behaviour.answer());
        sipPort = Ports.free(49000, 49499);
        adminPort = Ports.free(49000, 49499);
        trackingPort = Ports.free(49000, 49499);
        router = RouterService.start(TestConfig.load(dir.resolve("router"), config()), Clock.systemUTC());

        final String tracking = "http://127.0.0.1:" + trackingPort;
        site.page("/ad.html", "<!doctype html><html><body><a id=\"ad\" href=\"/landing.html" + UTMS.replace("&", "&amp;")
                + "\">Solar panels</a></body></html>");
        site.page("/landing.html", page(tracking + "/callrouter.js", "solar-web",
                "data-sales-code=\"SPRING26\" data-ref1=\"R-1\" data-tag-keyword=\"solar panels\"", """
                <p id="hero">Call (800) 555-0100 today</p>
                <p id="dots">Installers at 800.555.0100, seven days a week.</p>
                <p id="intl">From abroad: +1 800 555 0100</p>
                <p id="other">Not ours: (800) 555-0109, 18005550100999</p>
                <a id="call" href="tel:+18005550100">Call now</a>
                """));
        site.page("/second.html", page(tracking + "/callrouter.js", "solar-web", "", """
                <p id="dashes">Questions? 800-555-0100</p>
                <p id="digits">Text 18005550100</p>
                <a id="call" href="tel:800-555-0100">Call now</a>
                """));
        site.page("/solo.html", page(tracking + "/callrouter.js", "solar-solo", "", """
                <p id="hero">Call (800) 555-0100 today</p>
                <a id="call" href="tel:+18005550100">Call now</a>
                """));
    }

    @AfterEach
    void stop() {
        browsers.forEach(BrowserProfile::close);
        if (router != null) {
            router.close();
        }
        if (peers != null) {
            peers.close();
        }
        if (hooks != null) {
            hooks.close();
        }
        if (site != null) {
            site.close();
        }
    }

    @Test
    void aVisitorKeepsItsNumberAcrossReloadAndPagesAndItsCallCarriesItsAttribution() {
        final BrowserProfile visitor = browser("visitor");
        final String landing = site.origin() + "/landing.html" + UTMS;
        // The visitor comes from a page of the site (the referrer) with a Google Analytics cookie.
        visitor.get(site.origin() + "/ad.html");
        visitor.script("document.cookie = '_ga=GA1.1.1234567890.1700000000; path=/'");
        visitor.click("ad");
        final String number = visitor.awaitNumber();
        assertTrue(POOL.contains(number), () -> number + " is one of the pool's numbers " + POOL);

        visitor.awaitText("hero", "Call " + nanp(number, "(%s) %s-%s") + " today");
        assertEquals("Installers at " + nanp(number, "%s.%s.%s") + ", seven days a week.", visitor.text("#dots"));
        assertEquals("From abroad: +1 " + nanp(number, "%s %s %s"), visitor.text("#intl"));
        assertEquals("Not ours: (800) 555-0109, 18005550100999", visitor.text("#other"));
        assertEquals("tel:" + number, visitor.href("call"));

        // Content added after the swap (a chat widget, a lazy footer) is swapped too.
        visitor.script("const p = document.createElement('p'); p.id = 'late';"
                + " p.textContent = 'Late: 1-800-555-0100'; document.body.appendChild(p);");
        visitor.awaitText("late", "Late: 1-" + nanp(number, "%s-%s-%s"));
        visitor.assertNoPageErrors();

        final Cookie cookie = visitor.cookie("callrouter_solar-web");
        assertEquals("Lax", cookie.getSameSite(), cookie::toString);
        final long leftSeconds = (cookie.getExpiry().getTime() - System.currentTimeMillis()) / 1000;
        assertTrue(leftSeconds > 1700 && leftSeconds <= 1801, () -> "the cookie lives as long as the lease: " + cookie);

        visitor.reload();
        assertEquals(number, visitor.awaitNumber(), "a reload keeps the number");
        visitor.awaitText("hero", "Call " + nanp(number, "(%s) %s-%s") + " today");

        final String second = site.origin() + "/second.html";
        visitor.get(second);
        assertEquals(number, visitor.awaitNumber(), "a second page keeps the number");
        visitor.awaitText("dashes", "Questions? " + nanp(number, "%s-%s-%s"));
        assertEquals("Text 1" + nanp(number, "%s%s%s"), visitor.text("#digits"));
        assertEquals("tel:" + nanp(number, "%s-%s-%s"), visitor.href("call"));

        // The reload (UTMs in its URL) asked again with the held session; the second page renewed
        // it; the open page renews it every renew_seconds (15) while it is visible.
        assertEquals(1, poolStatus("solar-web").path("sessions_created").asLong(), () -> "one session: "
                + poolStatus("solar-web"));
        final long renewals = poolStatus("solar-web").path("renewals").asLong();
        assertTrue(renewals >= 1, () -> "the second page renewed the lease: " + poolStatus("solar-web"));
        Await.until(Duration.ofSeconds(40), () -> poolStatus("solar-web").path("renewals").asLong() > renewals,
                () -> "a renewal from the open page after " + renewals + ": " + poolStatus("solar-web"));

        final CarrierCall call = peers.carrier().call("127.0.0.1:" + sipPort, number);
        assertEquals(200, call.awaitFinal(WAIT).status());
        assertEquals(200, call.bye(WAIT).status());

        final JsonNode record = awaitRecord(number);
        final JsonNode tags = record.path("tags");
        assertEquals("google", tags.path("utm_source").asText(), record::toString);
        assertEquals("cpc", tags.path("utm_medium").asText(), record::toString);
        assertEquals("spring", tags.path("utm_campaign").asText(), record::toString);
        assertEquals("GCLID-visitor-1", tags.path("gclid").asText(), record::toString);
        assertEquals(landing, tags.path("landing_page").asText(), record::toString);
        assertEquals("solar-web", tags.path("pool").asText(), record::toString);
        assertEquals(site.origin() + "/ad.html", tags.path("referrer").asText(), record::toString);
        assertEquals("1234567890.1700000000", tags.path("ga_client_id").asText(), record::toString);
        assertEquals("SPRING26", tags.path("sales_code").asText(), record::toString);
        assertEquals("R-1", tags.path("ref1").asText(), record::toString);
        assertEquals("solar panels", tags.path("keyword").asText(), record::toString);
        assertEquals("google-ads", record.path("source").asText(), "source_rule maps utm_source google: " + record);
        final String session = record.path("session").asText();
        assertEquals(32, session.length(), record::toString);
        final List<String> path = new ArrayList<>();
        record.path("page_path").forEach(p -> path.add(p.asText()));
        assertTrue(path.contains(second), () -> "the visitor's page path names the second page: " + record);

        final HookReceiver.Received hook = hooks.await(1, r -> r.uri().equals("/ended"), WAIT).get(0);
        final JsonNode body = json(hook.body());
        assertEquals(number, body.path("number").asText(), hook::toString);
        assertEquals("google", body.path("utm_source").asText(), hook::toString);
        assertEquals("GCLID-visitor-1", body.path("gclid").asText(), hook::toString);
        assertEquals(landing, body.path("landing_page").asText(), hook::toString);
        assertEquals(session, body.path("session").asText(), hook::toString);
    }

    @Test
    void eachVisitorGetsANumberOfItsOwnAndAFullPoolShowsTheOverflowNumber() {
        final Set<String> numbers = new HashSet<>();
        for (int i = 1; i <= POOL.size(); i++) {
            final BrowserProfile visitor = browser("visitor-" + i);
            visitor.get(site.origin() + "/landing.html?utm_source=bing&msclkid=M" + i);
            final String number = visitor.awaitNumber();
            assertTrue(numbers.add(number), () -> "visitor gets a number no other visitor holds: " + number + ", "
                    + numbers);
            visitor.awaitText("hero", "Call " + nanp(number, "(%s) %s-%s") + " today");
        }
        assertEquals(Set.copyOf(POOL), numbers);

        final BrowserProfile late = browser("visitor-overflow");
        late.get(site.origin() + "/landing.html");
        assertEquals(OVERFLOW, late.awaitNumber());
        late.awaitText("hero", "Call (800) 555-0299 today");
        assertEquals("tel:" + OVERFLOW, late.href("call"));
        final JsonNode status = poolStatus("solar-web");
        assertEquals(POOL.size(), status.path("held").asInt(), status::toString);
        assertTrue(status.path("exhausted").asLong() >= 1, status::toString);

        // A call to the overflow number names no visitor: campaign and the pool's source only.
        final CarrierCall call = peers.carrier().call("127.0.0.1:" + sipPort, OVERFLOW);
        assertEquals(200, call.awaitFinal(WAIT).status());
        assertEquals(200, call.bye(WAIT).status());
        final JsonNode record = awaitRecord(OVERFLOW);
        assertEquals("true", record.path("tags").path("pool_exhausted").asText(), record::toString);
        assertEquals("web", record.path("source").asText(), record::toString);
        assertTrue(record.path("tags").path("utm_source").isMissingNode(), record::toString);
    }

    @Test
    void aPageWithDataReleaseGivesTheNumberBackWhenTheVisitorLeaves() {
        final String script = "http://127.0.0.1:" + trackingPort + "/callrouter.js";
        final String hero = "<p id=\"hero\">Call (800) 555-0100 today</p>";
        site.page("/release-solo.html", page(script, "solar-solo", "data-release=\"true\"", hero));
        site.page("/release-web.html", page(script, "solar-web", "data-release=\"true\"", hero));

        // The one-number pool: the number the leaving visitor gave back goes to the next one.
        final BrowserProfile leaving = browser("leaving");
        leaving.get(site.origin() + "/release-solo.html");
        assertEquals(SOLO, leaving.awaitNumber());
        assertEquals(1, poolStatus("solar-solo").path("held").asInt());
        leaving.get("about:blank");
        awaitReleased("solar-solo");
        final BrowserProfile next = browser("next");
        next.get(site.origin() + "/solo.html");
        assertEquals(SOLO, next.awaitNumber());

        // Back before anyone took it, the visitor's cookie asks for its number back, where the
        // pool would give a new visitor a number never used yet.
        final BrowserProfile returning = browser("returning");
        returning.get(site.origin() + "/release-web.html");
        final String number = returning.awaitNumber();
        returning.get("about:blank");
        awaitReleased("solar-web");
        returning.get(site.origin() + "/release-web.html");
        assertEquals(number, returning.awaitNumber());
        returning.awaitText("hero", "Call " + nanp(number, "(%s) %s-%s") + " today");
        assertEquals(1, poolStatus("solar-web").path("sessions_created").asLong(), () -> "the same session: "
                + poolStatus("solar-web"));
    }

    @Test
    void thePageKeepsItsNumberWhenTheEndpointCannotGiveOne() throws IOException {
        // The script hosted by the site, pointed at a port nothing listens on.
        final int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, Ports.LOOPBACK)) {
            closed = socket.getLocalPort();
        }
        site.page("/down.html", page(site.origin() + "/callrouter.js", "solar-web",
                "data-endpoint=\"http://127.0.0.1:" + closed + "\"", """
                <p id="hero">Call (800) 555-0100 today</p>
                <a id="call" href="tel:+18005550100">Call now</a>
                """));
        final BrowserProfile unreachable = browser("unreachable");
        unreachable.get(site.origin() + "/down.html" + UTMS);
        assertEquals(PAGE_NUMBER, unreachable.awaitNumber(), "callrouter.number() falls back to the page's number");
        assertEquals("Call (800) 555-0100 today", unreachable.text("#hero"));
        assertEquals("tel:+18005550100", unreachable.href("call"));
        assertTrue(site.requested().contains("/callrouter.js"), () -> "the script ran: " + site.requested());

        // An error answer: the one-number pool without an overflow number is full (503).
        final BrowserProfile holder = browser("holder");
        holder.get(site.origin() + "/solo.html");
        assertEquals(SOLO, holder.awaitNumber());
        final BrowserProfile refused = browser("refused");
        refused.get(site.origin() + "/solo.html");
        assertEquals(PAGE_NUMBER, refused.awaitNumber());
        assertEquals("Call (800) 555-0100 today", refused.text("#hero"));
        assertEquals("tel:+18005550100", refused.href("call"));
        Await.until(WAIT, () -> scriptFailures("solar-solo") >= 1.0, () -> "the script reported its failure: "
                + admin("/metrics").lines().filter(l -> l.contains("script_failures")).toList());
        assertEquals(0.0, scriptFailures("solar-web"), "the pool that gave numbers saw no failure");

        // The router stopped: the script itself cannot load, and the page stays as written.
        router.close();
        router = null;
        final BrowserProfile stopped = browser("stopped");
        stopped.get(site.origin() + "/landing.html" + UTMS);
        assertEquals("Call (800) 555-0100 today", stopped.text("#hero"));
        assertEquals("tel:+18005550100", stopped.href("call"));
        assertEquals(Boolean.FALSE, stopped.script("return 'callrouter' in window"));
    }

    private BrowserProfile browser(String name) {
        try {
            final BrowserProfile browser = BrowserProfile.open(chromium, Files.createDirectories(dir.resolve(name)));
            browsers.add(browser);
            return browser;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String page(String scriptUrl, String pool, String extraAttributes, String body) {
        return """
                <!doctype html>
                <html><head><meta charset="utf-8"><title>Solar</title>
                <script>%s</script>
                <script src="%s" data-pool="%s" data-number="+18005550100" %s async></script>
                </head><body>
                %s
                </body></html>
                """.formatted(BrowserProfile.ERROR_COLLECTOR, scriptUrl, pool, extraAttributes, body);
    }

    /** A NANP number {@code +1NPANXXXXXX} in {@code format}, which takes its three groups. */
    private static String nanp(String e164, String format) {
        return format.formatted(e164.substring(2, 5), e164.substring(5, 8), e164.substring(8));
    }

    private String config() {
        final String allowed = site.origin();
        return """
                default_region: US
                server:
                  data_dir: %1$s
                  sip:
                    listen: ["udp:127.0.0.1:%2$d"]
                    t1_ms: 100
                  admin: { listen: "127.0.0.1:%3$d", token: "%4$s" }
                  tracking: { listen: "127.0.0.1:%5$d" }
                  health: { enabled: false }
                  webhook_delivery: { max_attempts: 5, initial_backoff_ms: 50, max_backoff_ms: 200, timeout_ms: 2000 }
                sources:
                  - id: web
                  - id: google-ads
                handlers:
                  - { id: desk, uri: "%6$s", timeout_seconds: 5 }
                campaigns:
                  - id: solar
                    handlers: [desk]
                    webhooks:
                      - on: [ended]
                        url: "%7$s/ended"
                        body: '{"number": "[dialed_number]", "utm_source": "[utm_source]", "gclid": "[gclid]", "landing_page": "[landing_page]", "session": "[visitor_session]"}'
                    pools:
                      - id: solar-web
                        numbers: ["%8$s", "%9$s", "%10$s"]
                        source: web
                        lease_seconds: 1800
                        overflow_number: "%11$s"
                        allowed_origins: ["%12$s"]
                        source_rule: { google: google-ads }
                        tags_allowed: [keyword]
                      - id: solar-solo
                        numbers: ["%13$s"]
                        source: web
                        allowed_origins: ["%12$s"]
                """.formatted(dir.resolve("data"), sipPort, adminPort, TOKEN, trackingPort, peers.first().uri(),
                hooks.base(), POOL.get(0), POOL.get(1), POOL.get(2), OVERFLOW, allowed, SOLO);
    }

    private String admin(String path) {
        final HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
                .timeout(WAIT).header("Authorization", "Bearer " + TOKEN).GET().build();
        try {
            final HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), () -> path + ": " + response.body());
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private void awaitReleased(String pool) {
        Await.until(WAIT, () -> poolStatus(pool).path("held").asInt() == 0,
                () -> "the beacon on pagehide released the number: " + poolStatus(pool));
    }

    /** {@code pool}'s entry of the admin API's {@code GET /v1/pools}. */
    private JsonNode poolStatus(String pool) {
        for (JsonNode p : json(admin("/v1/pools")).path("pools")) {
            if (pool.equals(p.path("pool").asText())) {
                return p;
            }
        }
        throw new AssertionError("no pool " + pool + " in " + admin("/v1/pools"));
    }

    /** {@code callrouter_pool_script_failures_total} of {@code pool} on the admin API's {@code /metrics} page (0 when absent). */
    private double scriptFailures(String pool) {
        return admin("/metrics").lines()
                .filter(l -> l.startsWith("callrouter_pool_script_failures_total{") && l.contains("pool=\"" + pool + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst().orElse(0.0);
    }

    /** Waits for the journal's record of the call to {@code dialed}. */
    private JsonNode awaitRecord(String dialed) {
        final JsonNode[] found = {null};
        Await.until(WAIT, () -> {
            for (JsonNode call : json(admin("/v1/calls?since=0&limit=100")).path("calls")) {
                if (dialed.equals(call.path("dialed").asText())) {
                    found[0] = call;
                }
            }
            return found[0] != null;
        }, () -> "a record of the call to " + dialed + " in " + admin("/v1/calls?since=0&limit=100"));
        return found[0];
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
