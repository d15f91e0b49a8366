package org.callrouter.server.admin;

import static org.callrouter.server.admin.ServiceFixture.WAIT;
import static org.callrouter.server.admin.ServiceFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.callrouter.server.Await;
import org.callrouter.server.cli.CliTest;
import org.callrouter.server.sipua.Behaviour;
import org.callrouter.server.sipua.CarrierCall;
import org.callrouter.server.sipua.Peers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HYROS story end to end over real HTTP and SIP, with the embedded lead store: a visitor
 * who came from {@code utm_source=facebook} gets a pool number from the tracking listener and
 * calls it (jain-sip-ri carrier and handler); the record reaches the store through the journal
 * ingest. A sale arrives later with an email nobody knows: a new, unattributed lead, whose sale
 * the report credits to nothing. Assign origin (by the caller's phone) merges it into the caller's
 * lead, and the report credits the sale to facebook; disconnecting the email splits it off again
 * and the credit goes back to nothing. The audit names who did what, the answers say how to
 * undo, the sale is idempotent by order id, and {@code router report} / {@code router leads show}
 * print the same through the admin API. Ports 47000-47199.
 */
class AttributionStoryIntegrationTest {

    private static final String POOL_NUMBER = "+18005550200";
    private static final String CALLER = "+14155550123";
    private static final String BUYER_EMAIL = "Buyer@Other.example";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private Peers peers;
    private ServiceFixture router;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    @BeforeEach
    void peers() {
        peers = Peers.open(47000, 47199);
    }

    @AfterEach
    void close() {
        if (router != null) {
            router.close();
        }
        peers.close();
    }

    @Test
    void aLateSaleIsCreditedToTheCallersAdOnceItsOriginIsAssignedAndNotAfterTheDisconnect() throws Exception {
        router = ServiceFixture.start(dir, 47000, 47199, """
                sources: [ { id: web } ]
                handlers: [ { id: sales, uri: "%s", timeout_seconds: 5 } ]
                campaigns:
                  - id: solar
                    handlers: [sales]
                    pools:
                      - id: solar-web
                        numbers: ["%s"]
                        source: web
                """.formatted(peers.first().uri(), POOL_NUMBER),
                "  tracking: { listen: \"127.0.0.1:0\" }\n  store: { poll_ms: 50 }\n", "");
        peers.first().behaviour(Behaviour.answer());

        // The visitor from the Facebook ad gets the pool's number, and calls it.
        final JsonNode visit = json(tracking("/v1/pools/solar-web/sessions", """
                {"page_url": "https://solar.example/landing?utm_source=facebook&utm_campaign=spring",
                 "utm_source": "facebook", "utm_campaign": "spring"}"""));
        assertEquals(POOL_NUMBER, visit.path("number").asText(), visit::toString);
        final CarrierCall call = peers.carrier().call(router.sipHostPort(), POOL_NUMBER, CALLER, Map.of());
        assertEquals(200, call.awaitFinal(WAIT).status());
        assertEquals(200, call.bye(WAIT).status());

        // The record reaches the store through the journal: the caller's lead, its origin the ad.
        final JsonNode caller = awaitLead("phone=%2B14155550123", lead -> lead.path("sessions").size() >= 2);
        final String callerLead = caller.path("id").asText();
        assertEquals("facebook", caller.at("/origin/tracking/utm_source").asText(), caller::toString);
        assertTrue(caller.path("sales").isEmpty());
        final List<String> kinds = new ArrayList<>();
        caller.path("sessions").forEach(s -> kinds.add(s.path("kind").asText() + ":" + s.path("status").asText()));
        assertTrue(kinds.contains("call:complete") && kinds.contains("web:complete"), kinds::toString);
        assertEquals(visit.path("session").asText(), awaitLead("visitor=" + visit.path("session").asText(),
                lead -> true).path("sessions").get(0).path("id").asText(), "the visitor session is the caller's web session");
        assertEquals(1, reportRow(report("utm_source"), "facebook").path("calls").asLong());

        // Days later the sale comes from the checkout page with another email: nobody's.
        final String sale = """
                {"email": "%s", "amount": "450.00", "currency": "usd", "order_id": "A-1001"}""".formatted(BUYER_EMAIL);
        final HttpResponse<String> recorded = router.post("/v1/sales", sale);
        assertEquals(201, recorded.statusCode(), recorded::body);
        final JsonNode created = json(recorded);
        assertTrue(created.path("unattributed").asBoolean(), created::toString);
        final String buyerLead = created.path("lead").asText();
        assertFalse(buyerLead.equals(callerLead));
        assertEquals("USD", created.at("/sale/currency").asText());
        assertEquals("email", created.at("/sale/via/kind").asText());
        assertEquals("buyer@other.example", created.at("/sale/via/value").asText(), "emails are case-folded");
        final HttpResponse<String> again = router.post("/v1/sales", sale);
        assertEquals(200, again.statusCode(), "the same order id again: the stored sale");
        assertEquals(created.at("/sale/id"), json(again).at("/sale/id"));
        assertFalse(json(again).path("created").asBoolean());
        assertCredit(null);

        // Assign origin: the buyer is the caller.
        final HttpResponse<String> assigned = router.post("/v1/leads/" + buyerLead + "/assign-origin",
                "{\"phone\": \"(415) 555-0123\"}");
        assertEquals(200, assigned.statusCode(), assigned::body);
        final JsonNode merge = json(assigned);
        assertEquals(callerLead, merge.path("merged_into").asText());
        assertEquals(1, merge.at("/moved/sales").asInt(), merge::toString);
        assertEquals("/v1/leads/" + callerLead + "/disconnect", merge.at("/undo/path").asText());
        assertCredit("facebook");
        final JsonNode merged = json(router.get("/v1/leads/" + buyerLead));
        assertEquals(callerLead, merged.path("merged_into").asText(), "the merged lead says where it went");
        final JsonNode origin = json(router.get("/v1/leads/" + callerLead));
        assertEquals("facebook", origin.at("/sales/0/credited/tracking/utm_source").asText(), origin::toString);
        assertEquals(callerLead, json(router.get("/v1/leads?email=buyer%40other.example")).path("id").asText());
        assertEquals(409, router.post("/v1/leads/" + buyerLead + "/assign-origin", "{\"lead\": \"" + callerLead
                + "\"}").statusCode(), "a merged lead cannot be merged again");

        // Disconnect: the email was the wrong link after all.
        final HttpResponse<String> split = router.post("/v1/leads/" + callerLead + "/disconnect",
                "{\"identity\": {\"kind\": \"email\", \"value\": \"buyer@other.example\"}}");
        assertEquals(200, split.statusCode(), split::body);
        final JsonNode disconnected = json(split);
        assertEquals(1, disconnected.at("/moved/sales").asInt(), disconnected::toString);
        final String newLead = disconnected.path("new_lead").asText();
        assertEquals("/v1/leads/" + newLead + "/assign-origin", disconnected.at("/undo/path").asText());
        assertCredit(null);
        assertTrue(json(router.get("/v1/leads/" + newLead)).path("unattributed").asBoolean());
        assertTrue(json(router.get("/v1/leads/" + callerLead)).path("sales").isEmpty());

        final List<String> actions = new ArrayList<>();
        json(router.get("/v1/leads/" + callerLead + "/audit")).path("entries")
                .forEach(e -> actions.add(e.path("action").asText() + " by " + e.path("actor").asText()));
        assertEquals(List.of("assign-origin by api:admin", "disconnect by api:admin"), actions);

        // Sessions of the campaign, as the onboarding views list them.
        final JsonNode sessions = json(router.get("/v1/sessions?campaign=solar&kind=call&status=complete"));
        assertEquals(1, sessions.path("count").asInt(), sessions::toString);
        assertEquals(callerLead, sessions.at("/sessions/0/lead").asText());

        // The same through the command line, asking the running router.
        final String config = router.configFile().toString();
        final CliTest.Run table = CliTest.run("report", "--config", config, "--group-by", "utm_source",
                "--from", "2000-01-01", "--to", String.valueOf(tomorrowMs()));
        assertEquals(0, table.exit(), table::err);
        assertTrue(table.out().lines().anyMatch(l -> l.matches("facebook\\s+1\\s+1\\s+.*")), table.out());
        final CliTest.Run csv = CliTest.run("report", "--config", config, "--group-by",
                "utm_source", "--format", "csv", "--from", "2000-01-01", "--to", String.valueOf(tomorrowMs()));
        assertEquals(0, csv.exit(), csv::err);
        assertTrue(csv.out().startsWith("utm_source,calls,answered,converted,revenue,payout,sales_count,"
                + "sales_amount,conversion_rate,avg_talk_seconds\r\n"), csv.out());
        assertTrue(csv.out().lines().anyMatch(l -> l.matches(",0,0,0,[0-9.]+,[0-9.]+,1,450\\.0*,.*")),
                "the unattributed sale's row: " + csv.out());
        final CliTest.Run shown = CliTest.run("leads", "show", callerLead, "--config", config);
        assertEquals(0, shown.exit(), shown::err);
        assertTrue(shown.out().contains("phone     +14155550123"), shown.out());
        assertTrue(shown.out().contains("utm_source=facebook"), shown.out());
        final CliTest.Run badGroup = CliTest.run("report", "--config", config, "--group-by", "country");
        assertEquals(2, badGroup.exit(), badGroup::out);
        assertTrue(badGroup.err().contains("group_by: unknown report dimension \"country\""), badGroup.err());
        final CliTest.Run json = CliTest.run("report", "--config", config, "--format", "json", "--filter",
                "utm_source=facebook", "--from", "2000-01-01", "--to", String.valueOf(tomorrowMs()));
        assertEquals(0, json.exit(), json::err);
        assertEquals("facebook", json(json.out()).at("/filters/utm_source").asText(), json.out());
        assertEquals(1, json(json.out()).path("rows").size(), json.out());
        final CliTest.Run unknown = CliTest.run("leads", "show", "L00000000000000000000",
                "--config", config);
        assertEquals(2, unknown.exit(), unknown::out);
        assertTrue(unknown.err().contains("no lead L00000000000000000000"), unknown.err());
    }

    /** The sale of 450.00 is credited to {@code utmSource} (null: to no session) in the report by utm_source. */
    private void assertCredit(String utmSource) {
        final JsonNode report = report("utm_source");
        final JsonNode credited = reportRow(report, utmSource);
        assertEquals(1, credited.path("sales_count").asLong(), report::toString);
        assertEquals(0, new BigDecimal("450.00").compareTo(credited.path("sales_amount").decimalValue()),
                report::toString);
        long sales = 0;
        for (JsonNode row : report.path("rows")) {
            sales += row.path("sales_count").asLong();
        }
        assertEquals(1, sales, () -> "one sale in the whole report: " + report);
    }

    private JsonNode report(String groupBy) {
        final HttpResponse<String> answer = router.get("/v1/reports?group_by=" + groupBy + "&from=0&to=" + tomorrowMs());
        assertEquals(200, answer.statusCode(), answer::body);
        return json(answer);
    }

    /** The report's row whose first key is {@code value} (null: the row of no value). */
    private static JsonNode reportRow(JsonNode report, String value) {
        for (JsonNode row : report.path("rows")) {
            final JsonNode key = row.path("key").elements().next();
            if (value == null ? key.isNull() : value.equals(key.asText())) {
                return row;
            }
        }
        throw new AssertionError("no row " + value + " in " + report);
    }

    private static long tomorrowMs() {
        return System.currentTimeMillis() + TimeUnit.DAYS.toMillis(1);
    }

    /** Waits until {@code GET /v1/leads?<query>} finds a lead that passes {@code done}. */
    private JsonNode awaitLead(String query, java.util.function.Predicate<JsonNode> done) {
        final JsonNode[] last = new JsonNode[1];
        Await.until(WAIT, () -> {
            final HttpResponse<String> answer = router.get("/v1/leads?" + query);
            last[0] = json(answer);
            return answer.statusCode() == 200 && done.test(last[0]);
        }, () -> "the lead of " + query + " in the store; last answer " + last[0]);
        return last[0];
    }

    private String tracking(String path, String body) throws IOException, InterruptedException {
        final HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + router.service().trackingAddress().getPort() + path)).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer::body);
        return answer.body();
    }
}
