package org.callrouter.server.admin;

import static org.callrouter.server.admin.ServiceFixture.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import org.callrouter.server.Await;
import org.callrouter.server.cli.CliTest;
import org.callrouter.server.sipua.Behaviour;
import org.callrouter.server.sipua.CarrierCall;
import org.callrouter.server.sipua.Peers;
import org.callrouter.server.sipua.ReceivedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The answers of a running router's {@code /v1} routes fit the schemas of
 * {@code admin/openapi.json}: each documented operation is called at least once for its 200 and
 * several for their errors, and each answer is validated (networknt's OpenAPI 3.0 dialect, which
 * knows {@code nullable}) against the schema the document gives for that status.
 */
class OpenApiResponsesIntegrationTest {

    private static final String NUMBER = "+18005550100";
    private static final String POOL_NUMBER = "+18005550200";
    private static final String SPARE_NUMBER = "+18005550101";
    private static final String OPERATOR = "Bearer ops-admin-token-0123456";
    private static final String READER = "Bearer grafana-read-token-0123";

    @TempDir
    Path dir;

    private Peers peers;
    private ServiceFixture router;
    private final JsonNode doc = document();
    private final SchemaRegistry schemas = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi30());
    private final Set<String> checked = new TreeSet<>();

    @BeforeEach
    void peers() {
        peers = Peers.open(48000, 48399);
    }

    @AfterEach
    void close() {
        if (router != null) {
            router.close();
        }
        peers.close();
    }

    @Test
    void everyOperationAnswersWhatItsSchemaSays() throws IOException {
        final String routing = """
                sources: [ { id: web } ]
                handlers:
                  - { id: first, uri: "%s", timeout_seconds: 5, caps: { hourly: 5, concurrency: 2 } }
                  - { id: second, uri: "%s", priority: 2, timeout_seconds: 5 }
                campaigns:
                  - id: sales
                    handlers: [first, second]
                    conversion:
                      handler: { type: postback, revenue: 25.00 }
                    callback: { enabled: true, intervals: [1h], trunk: out }
                    pools:
                      - id: sales-web
                        numbers: ["%s"]
                        source: web
                numbers:
                  - { number: "%s", campaign: sales, source: web }
                  - { number: "%s", campaign: sales, source: web }
                trunks: [ { id: out, uri: "sip:127.0.0.1:9", caller_id: "+18005550199" } ]
                """.formatted(peers.first().uri(), peers.second().uri(), POOL_NUMBER, NUMBER, SPARE_NUMBER);
        router = ServiceFixture.start(dir, routing, "", """
                , tokens: [ { name: grafana, scope: read, token: "%s" },
                            { name: ops, scope: admin, token: "%s" } ]"""
                .formatted(READER.substring(7), OPERATOR.substring(7)));
        peers.first().behaviour(Behaviour.answer());
        final CarrierCall call = peers.carrier().call(router.sipHostPort(), NUMBER);
        assertEquals(200, call.awaitFinal(WAIT).status());
        final ReceivedRequest invite = peers.first().awaitInvites(1, WAIT).get(0);
        final String id = invite.header("X-Call-Id");
        final String key = invite.header("X-Call-Key");

        check("GET", "/v1/live", "/v1/live", null, 200);
        check("GET", "/v1/calls/{id}", "/v1/calls/" + id, null, 200);
        check("POST", "/v1/calls/{id}/conversion", "/v1/calls/" + id + "/conversion",
                "{\"key\": \"" + key + "\"}", 200);
        assertEquals(200, call.bye(WAIT).status());
        router.awaitCalls(1);

        assertEquals(doc, check("GET", "/v1/openapi.json", "/v1/openapi.json", null, 200), "the served document");
        assertEquals(2, check("GET", "/v1/explain", "/v1/explain?number=" + NUMBER + "&caller=%2B14155550123&tag=utm=x",
                null, 200).path("candidates").size());
        // Lists with something in them, so that their items' schemas are checked too.
        assertEquals(1, check("GET", "/v1/calls", "/v1/calls?campaign=sales", null, 200).path("calls").size());
        check("GET", "/v1/calls/{id}", "/v1/calls/" + id, null, 200);
        check("GET", "/v1/caps", "/v1/caps", null, 200);
        check("GET", "/v1/caps/{handler}", "/v1/caps/first", null, 200);
        check("POST", "/v1/caps/{handler}/reset", "/v1/caps/first/reset?window=hourly", null, 200);
        assertEquals(1, check("GET", "/v1/pools", "/v1/pools", null, 200).path("pools").size());
        check("GET", "/v1/live", "/v1/live", null, 200);
        check("POST", "/v1/reload", "/v1/reload", null, 200);

        check("GET", "/v1/explain", "/v1/explain?number=%2B18005559999", null, 404);
        check("GET", "/v1/explain", "/v1/explain", null, 400);
        check("GET", "/v1/calls", "/v1/calls?limit=0", null, 400);
        check("GET", "/v1/calls/{id}", "/v1/calls/c0000000000000000000000", null, 404);
        check("POST", "/v1/calls/{id}/conversion", "/v1/calls/" + id + "/conversion", "{\"key\": \"nope\"}", 403);
        check("POST", "/v1/calls/{id}/conversion", "/v1/calls/" + id + "/conversion", "{}", 400);
        check("GET", "/v1/caps/{handler}", "/v1/caps/nobody", null, 404);
        check("POST", "/v1/caps/{handler}/reset", "/v1/caps/first/reset?window=concurrency", null, 400);
        stale("POST", "/v1/caps/{handler}/reset", "/v1/caps/first/reset?window=hourly", null);
        check("GET", "/v1/calls", "/v1/calls?cursor=bm9wZQ", null, 400);
        check("GET", "/v1/pools", "/v1/pools", "", 405, "POST");
        leadRoutes(call.callerNumber());
        callbackRoutes();
        numberRoutes(routing, id);
        router.writeRaw("handlers: [ {");
        check("POST", "/v1/reload", "/v1/reload", null, 422);
        validate("GET", "/v1/live", 401, router.request("GET", "/v1/live", null, null));
        final HttpResponse<String> refused = router.request("POST", "/v1/reload", null, READER);
        assertEquals(403, refused.statusCode(), refused::body);
        validate("POST", "/v1/reload", 403, refused);

        final Set<String> documented = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> p = doc.path("paths").fields(); p.hasNext(); ) {
            final Map.Entry<String, JsonNode> path = p.next();
            path.getValue().fieldNames().forEachRemaining(m -> documented.add(m.toUpperCase() + " " + path.getKey()));
        }
        assertTrue(checked.containsAll(documented), () -> "operations without a checked 200: " + documented
                .stream().filter(o -> !checked.contains(o)).toList());
    }

    /** The callback routes, on the callback of a call both handlers were busy for (its try an hour away). */
    private void callbackRoutes() {
        peers.first().behaviour(Behaviour.busy());
        peers.second().behaviour(Behaviour.busy());
        assertEquals(480, peers.carrier().call(router.sipHostPort(), NUMBER).awaitFinal(WAIT).status());
        Await.until(WAIT, () -> ServiceFixture.json(router.get("/v1/callbacks")).path("count").asInt() == 1,
                () -> "a callback: " + router.get("/v1/callbacks").body());
        final String id = check("GET", "/v1/callbacks", "/v1/callbacks?state=pending", null, 200).path("callbacks")
                .get(0).path("id").asText();
        check("GET", "/v1/callbacks", "/v1/callbacks?state=waiting", null, 400);
        check("GET", "/v1/callbacks", "/v1/callbacks?cursor=bm9wZQ", null, 400);
        check("GET", "/v1/callbacks/{id}", "/v1/callbacks/" + id, null, 200);
        check("GET", "/v1/callbacks/{id}", "/v1/callbacks/cb0000", null, 404);
        stale("DELETE", "/v1/callbacks/{id}", "/v1/callbacks/" + id, null);
        check("DELETE", "/v1/callbacks/{id}", "/v1/callbacks/" + id, null, 200);
        check("DELETE", "/v1/callbacks/{id}", "/v1/callbacks/" + id, null, 409);
        check("DELETE", "/v1/callbacks/{id}", "/v1/callbacks/cb0000", null, 404);
        check("GET", "/v1/callbacks", "/v1/callbacks?state=cancelled", null, 200);
    }

    /**
     * Spam marks, number health and quarantine: a reload takes the spare number out, then it is released;
     * an imported number is removed into quarantine.
     */
    private void numberRoutes(String routing, String id) throws IOException {
        check("GET", "/v1/numbers/health", "/v1/numbers/health", null, 200);
        check("POST", "/v1/calls/{id}/spam", "/v1/calls/" + id + "/spam", "{\"reason\": \"misdirected\"}", 200);
        check("POST", "/v1/calls/{id}/spam", "/v1/calls/" + id + "/spam", "{\"reason\": \"spam\"}", 409);
        check("POST", "/v1/calls/{id}/spam", "/v1/calls/" + id + "/spam", "{\"reason\": \"rude\"}", 400);
        check("POST", "/v1/calls/{id}/spam", "/v1/calls/c0000000000000000000000/spam", "{\"reason\": \"spam\"}", 404);
        assertEquals(1, check("GET", "/v1/numbers/health", "/v1/numbers/health", null, 200).path("numbers").size());

        router.writeRaw(router.yaml(routing.replace("  - { number: \"" + SPARE_NUMBER
                + "\", campaign: sales, source: web }\n", ""), ""));
        check("POST", "/v1/reload", "/v1/reload", null, 200);
        assertEquals(1, check("GET", "/v1/numbers/quarantine", "/v1/numbers/quarantine", null, 200).path("numbers")
                .size());
        final String entry = "/v1/numbers/quarantine/" + SPARE_NUMBER.replace("+", "%2B");
        check("GET", "/v1/numbers/quarantine/{number}", entry, null, 200);
        check("GET", "/v1/numbers/quarantine/{number}", "/v1/numbers/quarantine/x", null, 400);
        check("GET", "/v1/numbers/quarantine", "/v1/numbers/quarantine?cursor=bm9wZQ", null, 400);
        final String release = entry + "/release";
        stale("POST", "/v1/numbers/quarantine/{number}/release", release, "{\"force\": true}");
        check("POST", "/v1/numbers/quarantine/{number}/release", release, "{}", 409);
        check("POST", "/v1/numbers/quarantine/{number}/release", release, "{\"force\": 1}", 400);
        check("POST", "/v1/numbers/quarantine/{number}/release", release, "{\"force\": true}", 200);
        check("POST", "/v1/numbers/quarantine/{number}/release", release, "{\"force\": true}", 404);
        check("GET", "/v1/numbers/quarantine/{number}", entry, null, 404);
        check("POST", "/v1/numbers/quarantine/{number}/release", "/v1/numbers/quarantine/x/release", null, 400);

        final Path csv = dir.resolve("imported.csv");
        Files.writeString(csv, "+18005550300,sales,web\n");
        assertEquals(0, CliTest.run("numbers", "import", csv.toString(), "--config", router.configFile().toString())
                .exit());
        check("DELETE", "/v1/numbers/{number}", "/v1/numbers/%2B18005550300", null, 200);
        check("DELETE", "/v1/numbers/{number}", "/v1/numbers/%2B18005550300", null, 409);
        check("DELETE", "/v1/numbers/{number}", "/v1/numbers/" + NUMBER.replace("+", "%2B"), null, 409);
        check("DELETE", "/v1/numbers/{number}", "/v1/numbers/%2B18005550399", null, 404);
        check("DELETE", "/v1/numbers/{number}", "/v1/numbers/x", null, 400);
    }

    /**
     * The lead store's routes: a sale nobody matches makes an unattributed lead, which is then
     * merged into the caller's lead (once the call reached the store) and split off again.
     */
    private void leadRoutes(String caller) {
        final String sale = "{\"email\": \"buyer@example.com\", \"amount\": 45.5, \"currency\": \"USD\", "
                + "\"order_id\": \"o-1\"}";
        final String lead = check("POST", "/v1/sales", "/v1/sales", sale, 201).path("lead").asText();
        check("POST", "/v1/sales", "/v1/sales", sale, 200);
        check("GET", "/v1/leads/{id}", "/v1/leads/" + lead, null, 200);
        final String encoded = caller.replace("+", "%2B");
        Await.until(WAIT, () -> router.get("/v1/leads?phone=" + encoded).statusCode() == 200,
                () -> "the call from " + caller + " in the lead store");
        final String callerLead = check("GET", "/v1/leads", "/v1/leads?phone=" + encoded, null, 200).path("id")
                .asText();
        check("POST", "/v1/leads/{id}/assign-origin", "/v1/leads/" + lead + "/assign-origin",
                "{\"phone\": \"" + caller + "\"}", 200);
        check("GET", "/v1/leads/{id}/audit", "/v1/leads/" + callerLead + "/audit", null, 200);
        assertEquals(1, check("GET", "/v1/reports", "/v1/reports?group_by=campaign,utm_source,day&zone=America/New_York"
                + "&from=2000-01-01&to=" + (System.currentTimeMillis() + 86_400_000L), null, 200).path("rows").size());
        check("GET", "/v1/reports", "/v1/reports?progress=Rp0-gress_id", null, 200);
        final JsonNode done = check("GET", "/v1/reports/progress/{id}", "/v1/reports/progress/Rp0-gress_id", null, 200);
        assertEquals("done", done.path("state").asText(), done::toString);
        assertTrue(done.path("rows_total").isNumber(), done::toString);
        assertEquals("unknown", check("GET", "/v1/reports/progress/{id}", "/v1/reports/progress/nobody", null, 200)
                .path("state").asText());
        check("GET", "/v1/reports/progress/{id}", "/v1/reports/progress/" + "x".repeat(65), null, 400);
        check("GET", "/v1/reports", "/v1/reports?progress=a.b", null, 400);
        check("POST", "/v1/leads/{id}/disconnect", "/v1/leads/" + callerLead + "/disconnect",
                "{\"identities\": [{\"kind\": \"email\", \"value\": \"buyer@example.com\"}]}", 200);
        assertTrue(check("GET", "/v1/sessions", "/v1/sessions?kind=call", null, 200).path("count").asInt() >= 1);

        check("POST", "/v1/sales", "/v1/sales", "{\"amount\": 1, \"currency\": \"USD\"}", 400);
        check("GET", "/v1/leads", "/v1/leads", null, 400);
        check("GET", "/v1/leads", "/v1/leads?email=nobody%40example.com", null, 404);
        check("GET", "/v1/leads/{id}", "/v1/leads/L00000000000000000000", null, 404);
        check("GET", "/v1/leads/{id}/audit", "/v1/leads/L00000000000000000000/audit", null, 404);
        check("POST", "/v1/leads/{id}/assign-origin", "/v1/leads/" + callerLead + "/assign-origin",
                "{\"lead\": \"" + callerLead + "\"}", 409);
        check("POST", "/v1/leads/{id}/assign-origin", "/v1/leads/L00000000000000000000/assign-origin",
                "{\"lead\": \"" + callerLead + "\"}", 404);
        check("POST", "/v1/leads/{id}/assign-origin", "/v1/leads/" + callerLead + "/assign-origin", "{}", 400);
        check("POST", "/v1/leads/{id}/disconnect", "/v1/leads/" + callerLead + "/disconnect",
                "{\"identity\": {\"kind\": \"email\", \"value\": \"nobody@example.com\"}}", 409);
        check("POST", "/v1/leads/{id}/disconnect", "/v1/leads/L00000000000000000000/disconnect",
                "{\"identity\": {\"kind\": \"email\", \"value\": \"nobody@example.com\"}}", 404);
        check("POST", "/v1/leads/{id}/disconnect", "/v1/leads/" + callerLead + "/disconnect", "[]", 400);
        check("GET", "/v1/sessions", "/v1/sessions?status=done", null, 400);
        check("GET", "/v1/sessions", "/v1/sessions?cursor=bm9wZQ", null, 400);
        check("GET", "/v1/reports", "/v1/reports?group_by=country", null, 400);
        final HttpResponse<String> large = router.request("POST", "/v1/sales", "{\"email\": \"" + "a".repeat(20_000)
                + "@example.com\"}", OPERATOR, "application/json");
        assertEquals(413, large.statusCode(), large::body);
        validate("POST", "/v1/sales", 413, large);
        final HttpResponse<String> form = router.request("POST", "/v1/sales", "email=a%40example.com", OPERATOR,
                "application/x-www-form-urlencoded");
        assertEquals(415, form.statusCode(), form::body);
        validate("POST", "/v1/sales", 415, form);
    }

    /** Sends {@code body} to {@code uri} with an {@code If-Match} no version has: a 412 as documented. */
    private void stale(String method, String template, String uri, String body) {
        final HttpResponse<String> answer = router.ifMatch(method, uri, body, "\"0000000000000000\"");
        assertEquals(412, answer.statusCode(), () -> method + " " + uri + ": " + answer.body());
        validate(method, template, 412, answer);
    }

    private JsonNode check(String method, String template, String uri, String body, int status) {
        return check(method, template, uri, body, status, method);
    }

    /** Sends {@code sent} to {@code uri} and validates the answer as {@code method template}'s. */
    private JsonNode check(String method, String template, String uri, String body, int status, String sent) {
        final HttpResponse<String> answer = router.request(sent, uri, body, OPERATOR);
        assertEquals(status, answer.statusCode(), () -> sent + " " + uri + ": " + answer.body());
        validate(method, template, status, answer);
        if (status == 200) {
            checked.add(method + " " + template);
        }
        return ServiceFixture.json(answer.body());
    }

    private void validate(String method, String template, int status, HttpResponse<String> answer) {
        final JsonNode operation = doc.path("paths").path(template).path(method.toLowerCase());
        final JsonNode response = resolve(operation.path("responses").path(String.valueOf(status)));
        assertTrue(response.isObject(), () -> method + " " + template + " does not document " + status);
        final JsonNode schema = response.at("/content/application~1json/schema");
        assertTrue(schema.isObject(), () -> method + " " + template + " " + status + " has no JSON schema");
        assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        final List<Error> errors = schemas.getSchema(schema).validate(ServiceFixture.json(answer.body()));
        assertTrue(errors.isEmpty(), () -> method + " " + template + " " + status + ": " + errors + "\n"
                + answer.body());
    }

    /** {@code node} with each {@code {"$ref": "#/..."}} in it replaced by what it points to. */
    private JsonNode resolve(JsonNode node) {
        if (node.isObject() && node.has("$ref")) {
            return resolve(doc.at(node.path("$ref").asText().substring(1)));
        }
        if (node.isObject()) {
            final ObjectNode copy = ApiResponse.JSON.createObjectNode();
            node.fields().forEachRemaining(f -> copy.set(f.getKey(), resolve(f.getValue())));
            return copy;
        }
        if (node.isArray()) {
            final var copy = ApiResponse.JSON.createArrayNode();
            node.forEach(e -> copy.add(resolve(e)));
            return copy;
        }
        return node;
    }

    private static JsonNode document() {
        try {
            return OpenApiDocumentTest.document();
        } catch (IOException e) {
            throw new AssertionError(AdminApi.OPENAPI + " cannot be read", e);
        }
    }
}
