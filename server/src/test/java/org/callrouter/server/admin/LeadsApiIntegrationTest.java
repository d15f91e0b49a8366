package org.callrouter.server.admin;

import static org.callrouter.server.admin.ServiceFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lead routes' refusals on a running router with the embedded store (ports 47200-47299):
 * scopes, methods, bodies (size, type, shape), ignored identities, the 409s of assign origin
 * and disconnect, bad query values; and with {@code server.store.enabled: false} every route
 * answers 503 naming the setting.
 */
class LeadsApiIntegrationTest {

    private static final String READER = "Bearer grafana-read-token-0123";
    private static final String ROUTING = """
            sources: [ { id: web } ]
            handlers: [ { id: sales, uri: "sip:sales@127.0.0.1:5080" } ]
            campaigns: [ { id: solar, handlers: [sales] } ]
            attribution: { ignore: { emails: ["checkout@shop.example"], numbers: ["+14155550100"] } }
            """;

    @TempDir
    Path dir;

    private ServiceFixture router;

    @AfterEach
    void close() {
        if (router != null) {
            router.close();
        }
    }

    @Test
    void refusalsSayWhatIsWrong() {
        router = ServiceFixture.start(dir, 47200, 47299, ROUTING, "", """
                , tokens: [ { name: grafana, scope: read, token: "%s" } ]""".formatted(READER.substring(7)));
        final String a = sale("{\"email\": \"ann@example.com\", \"amount\": 10, \"currency\": \"USD\"}");
        final String b = sale("{\"phone\": \"+14155550199\", \"lead_ref\": \"crm-2\", \"amount\": 20, "
                + "\"currency\": \"USD\"}");

        refused(router.request("POST", "/v1/sales", "{}", READER), 403, "has scope read; this needs admin");
        assertEquals(200, router.request("GET", "/v1/leads/" + a, null, READER).statusCode(), "a read token reads");
        refused(router.get("/v1/sales"), 405, "GET is not allowed here; allowed: POST");
        refused(router.post("/v1/leads/" + a, "{}"), 405, "POST is not allowed here; allowed: GET");
        refused(router.request("POST", "/v1/sales", "{\"email\": \"a@b.c\"}", "Bearer " + ServiceFixture.TOKEN,
                "text/plain"), 415, "Content-Type: text/plain");
        assertEquals(201, router.request("POST", "/v1/sales", "{\"email\": \"c@d.e\", \"amount\": 1, "
                + "\"currency\": \"USD\"}", "Bearer " + ServiceFixture.TOKEN, "application/json; charset=utf-8")
                .statusCode(), "JSON with a charset is JSON");
        refused(router.post("/v1/sales", "{\"email\": \"" + "x".repeat(LeadsApi.MAX_BODY_BYTES) + "\"}"), 413,
                "takes at most 16384");
        refused(router.post("/v1/sales", "{\"email\": \"checkout@shop.example\", \"amount\": 5, \"currency\": "
                + "\"USD\"}"), 400, "");
        refused(router.post("/v1/sales", "{\"phone\": \"+1 415 555 0100\", \"amount\": 5, \"currency\": \"USD\"}"),
                400, "");

        refused(router.get("/v1/leads?email=a%40b.c&phone=%2B14155550199"), 400, "give one identity");
        refused(router.get("/v1/leads?phone=12"), 400, "phone: phone \"12\" is not a phone number");
        refused(router.get("/v1/leads?email=nobody%40example.com"), 404, "no lead has email:nobody@example.com");
        assertEquals(b, json(router.get("/v1/leads?lead_ref=crm-2")).path("id").asText());

        refused(router.post("/v1/leads/" + a + "/assign-origin", "{\"email\": \"ann@example.com\"}"), 409, "");
        refused(router.post("/v1/leads/" + a + "/assign-origin", "{\"email\": \"x@y.z\", \"phone\": \"+14155550199\"}"),
                400, "exactly one field");
        refused(router.post("/v1/leads/" + a + "/assign-origin", "{\"mail\": \"x@y.z\"}"), 400,
                "unknown field \"mail\"");
        refused(router.post("/v1/leads/" + a + "/assign-origin", "{\"email\": \"x@y.z\"}"), 404, "");
        assertEquals(200, router.post("/v1/leads/" + a + "/assign-origin", "{\"lead_ref\": \"crm-2\"}").statusCode());
        refused(router.post("/v1/leads/" + b + "/assign-origin", "{\"lead\": \"" + a + "\"}"), 409, "");
        refused(router.post("/v1/leads/" + a + "/assign-origin", "{\"lead\": \"" + b + "\"}"), 409, "");

        refused(router.post("/v1/leads/" + b + "/disconnect", "{\"identities\": [{\"kind\": \"phone\", \"value\": "
                + "\"+14155550199\"}, {\"kind\": \"lead_ref\", \"value\": \"crm-2\"}, {\"kind\": \"email\", "
                + "\"value\": \"ann@example.com\"}]}"), 409, "");
        refused(router.post("/v1/leads/" + b + "/disconnect", "{\"identity\": {\"kind\": \"fax\", \"value\": \"1\"}}"),
                400, "identity.kind: unknown identity kind \"fax\"");
        refused(router.post("/v1/leads/" + b + "/disconnect", "{\"identities\": []}"), 400, "1 to 64");
        refused(router.post("/v1/leads/" + b + "/disconnect", "{\"identity\": {\"kind\": \"email\", \"value\": "
                + "\"ann@example.com\"}, \"identities\": []}"), 400, "not both");
        refused(router.post("/v1/leads/" + b + "/disconnect", "{\"identity\": \"ann@example.com\"}"), 400,
                "identity must be {\"kind\": \"email\", \"value\": \"...\"}");
        refused(router.post("/v1/leads/" + a + "/disconnect", "{\"identity\": {\"kind\": \"email\", \"value\": "
                + "\"ann@example.com\"}}"), 409, "");
        final JsonNode split = json(router.post("/v1/leads/" + b + "/disconnect", "{\"identity\": {\"kind\": "
                + "\"email\", \"value\": \"ann@example.com\"}}"));
        assertEquals(1, split.at("/moved/sales").asInt(), split::toString);

        refused(router.get("/v1/sessions?kind=sms"), 400, "kind must be call or web");
        refused(router.get("/v1/sessions?status=done"), 400, "unknown session status \"done\"");
        refused(router.get("/v1/sessions?limit=5000"), 400, "limit must be a whole number from 1 to 1000");
        refused(router.get("/v1/sessions?since=yesterday"), 400, "since must be an ISO-8601 time");
        refused(router.get("/v1/reports?zone=Mars%2FOlympus"), 400, "zone must be an IANA time zone");
        final HttpResponse<String> csv = router.get("/v1/reports?group_by=currency&format=csv&to="
                + (System.currentTimeMillis() + 86_400_000L));
        assertEquals(200, csv.statusCode(), csv::body);
        assertEquals("text/csv; charset=utf-8", csv.headers().firstValue("Content-Type").orElse(""));
        assertTrue(csv.body().startsWith("currency,calls,"), csv.body());
        assertTrue(csv.body().contains("\r\nUSD,0,0,0,"), csv.body());
    }

    @Test
    void withTheStoreOffEveryLeadRouteSaysSo() {
        router = ServiceFixture.start(dir, 47200, 47299, ROUTING, "  store: { enabled: false }\n", "");
        for (String path : List.of("/v1/leads?email=a%40b.c", "/v1/leads/L0", "/v1/leads/L0/audit", "/v1/sessions",
                "/v1/reports")) {
            refused(router.get(path), 503, "server.store.enabled: false");
        }
        for (String path : List.of("/v1/sales", "/v1/leads/L0/assign-origin", "/v1/leads/L0/disconnect")) {
            final String body = path.endsWith("sales") ? "{\"email\": \"a@b.c\", \"amount\": 1, \"currency\": \"USD\"}"
                    : path.endsWith("origin") ? "{\"lead\": \"L1\"}" : "{\"identity\": {\"kind\": \"email\", "
                    + "\"value\": \"a@b.c\"}}";
            refused(router.post(path, body), 503, "server.store.enabled: false");
        }
    }

    /** Records a sale; its lead's id. */
    private String sale(String body) {
        final HttpResponse<String> answer = router.post("/v1/sales", body);
        assertEquals(201, answer.statusCode(), answer::body);
        return json(answer).path("lead").asText();
    }

    private static void refused(HttpResponse<String> answer, int status, String reason) {
        assertEquals(status, answer.statusCode(), answer::body);
        final String error = json(answer).path("error").path("message").asText();
        assertTrue(!error.isEmpty() && error.contains(reason), () -> "\"" + reason + "\" in " + answer.body());
    }
}
