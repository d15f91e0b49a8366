package org.callrouter.server.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.callrouter.routing.config.WebhookConfig;
import org.callrouter.routing.config.WebhookEvent;
import org.callrouter.routing.criteria.Criterion;
import org.callrouter.routing.template.Template;
import org.callrouter.server.records.CallRecord;
import org.callrouter.server.records.RecordJson;
import org.junit.jupiter.api.Test;

class WebhookRendererTest {

    private static final String ENDED = """
            {"record":"call","id":"c19cd50a2da0000000000a","key":"k1","status":"completed","sip_status":200,
             "reason":"carrier hung up","campaign":"sales","source":"web","caller":"+14155550123",
             "dialed":"+18005550100","received_at":"2026-03-09T14:00:00.000Z","answered_at":"2026-03-09T14:00:02.000Z",
             "ended_at":"2026-03-09T14:01:37.500Z","ring_seconds":2.000,"talk_seconds":95.500,"handler":"acme",
             "converted":true,"revenue":25.00,"payout":4.50,
             "conversion":{"source":{"status":"converted","amount":4.50,"reason":"attempt"},
                           "handler":{"status":"converted","amount":25.00,"reason":"timer 95s >= 90s"}},
             "attempts":[{"handler":"acme","started_at":"2026-03-09T14:00:00.010Z","ended_at":"2026-03-09T14:00:02.000Z",
                          "result":"answered","sip_status":200}],
             "skipped":[],"tags":{"caller_state":"CA","lead":"Say \\"hi\\" & bye"},"routing_seconds":0.000012}
            """;
    private static final String RINGING = """
            {"record":"call","id":"c19cd50a2da0000000000b","key":"k2","status":"in-progress","sip_status":0,
             "campaign":"sales","source":"web","caller":null,"dialed":"+18005550100",
             "received_at":"2026-03-09T14:00:00.000Z","ring_seconds":0,"talk_seconds":0,"handler":null,
             "converted":false,"revenue":0,"payout":0,"conversion":null,
             "attempts":[{"handler":"acme","started_at":"2026-03-09T14:00:00.010Z","result":null,"sip_status":0}],
             "skipped":[],"tags":{},"routing_seconds":0.000012}
            """;

    private static CallRecord record(String json) throws Exception {
        return RecordJson.read(RecordJson.parse(json.replace("\n", "")));
    }

    private static WebhookConfig hook(String url, String body, String secret, String... when) throws Exception {
        final List<Criterion> criteria = new ArrayList<>();
        for (String w : when) {
            criteria.add(Criterion.parse(w));
        }
        return new WebhookConfig(Set.of(WebhookEvent.ENDED), Template.parse(url),
                body == null ? null : Template.parse(body), secret, criteria);
    }

    @Test
    void aJsonBodyEscapesValuesAndAUrlPercentEncodesThem() throws Exception {
        final CallRecord r = record(ENDED);
        final WebhookConfig hook = hook("https://crm.example.com/calls/[campaign]?id=[call_id]&lead=[lead]",
                "{\"caller\": \"[caller_number]\", \"lead\": \"[lead]\", \"duration\": [duration]{0}, "
                        + "\"revenue\": [revenue]{0}, \"handler\": \"[handler]{none}\", \"zip\": \"[zip]{unknown}\"}",
                "s3cret");
        final WebhookRequest request = WebhookRenderer.render(hook, r, new CallTokens(r, WebhookEvent.ENDED, null),
                "key-1", 42);
        assertEquals("https://crm.example.com/calls/sales?id=c19cd50a2da0000000000a&lead=Say%20%22hi%22%20%26%20bye",
                request.url());
        final JsonNode body = new ObjectMapper().readTree(request.body());
        assertEquals("+14155550123", body.path("caller").asText());
        assertEquals("Say \"hi\" & bye", body.path("lead").asText());
        assertEquals(95, body.path("duration").asInt());
        assertTrue(request.body().contains("\"revenue\": 25.00,"), request.body());
        assertEquals("acme", body.path("handler").asText());
        assertEquals("unknown", body.path("zip").asText());
        assertEquals(WebhookRenderer.JSON, request.contentType());
        assertEquals("key-1", request.key());
        assertEquals("ended", request.event());
    }

    @Test
    void valuesNotKnownYetTakeTheirDefaults() throws Exception {
        final CallRecord r = record(RINGING);
        final WebhookConfig hook = hook("http://h/x", "{\"d\": [duration]{0}, \"c\": \"[caller_number]{anonymous}\", "
                + "\"h\": \"[handler]\", \"n\": [attempt]{0}}", null);
        final CallRecord.Attempt attempt = r.attempts().get(0);
        final WebhookRequest request = WebhookRenderer.render(hook, r,
                new CallTokens(r, WebhookEvent.SELECTED, attempt), "k", 1);
        assertEquals("{\"d\": 0, \"c\": \"anonymous\", \"h\": \"acme\", \"n\": 1}", request.body());
    }

    @Test
    void anyOtherBodyIsAForm() throws Exception {
        final CallRecord r = record(ENDED);
        final WebhookRequest request = WebhookRenderer.render(hook("http://h/x", "caller=[caller_number]&lead=[lead]",
                null), r, new CallTokens(r, WebhookEvent.ENDED, null), "k", 1);
        assertEquals("caller=%2B14155550123&lead=Say%20%22hi%22%20%26%20bye", request.body());
        assertEquals(WebhookRenderer.FORM, request.contentType());
    }

    @Test
    void withoutABodyTheRecordIsSentWithItsEvent() throws Exception {
        final CallRecord r = record(ENDED);
        final WebhookRequest request = WebhookRenderer.render(hook("http://h/x", null, null), r,
                new CallTokens(r, WebhookEvent.ENDED, null), "k", 1);
        final JsonNode body = new ObjectMapper().readTree(request.body());
        assertEquals("ended", body.path("event").asText());
        assertEquals("c19cd50a2da0000000000a", body.path("id").asText());
        assertEquals("completed", body.path("status").asText());
        assertTrue(request.body().startsWith("{\"event\":\"ended\",\"record\":\"call\","));
    }

    @Test
    void whenCriteriaSeeTagsAndCallFields() throws Exception {
        final CallRecord r = record(ENDED);
        final CallTokens tokens = new CallTokens(r, WebhookEvent.ENDED, null);
        assertTrue(WebhookRenderer.matches(hook("http://h", null, null, "caller_state in [CA, NY]",
                "status == completed", "duration >= 90"), tokens));
        assertFalse(WebhookRenderer.matches(hook("http://h", null, null, "caller_state in [CA]", "duration > 100"),
                tokens));
        assertFalse(WebhookRenderer.matches(hook("http://h", null, null, "zip exists"), tokens));
    }
}
