package org.callrouter.server.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.callrouter.routing.callback.Callback;
import org.callrouter.routing.callback.CallbackState;
import org.callrouter.routing.config.CallbackTrigger;
import org.callrouter.routing.config.WebhookConfig;
import org.callrouter.routing.config.WebhookEvent;
import org.callrouter.routing.criteria.Criterion;
import org.callrouter.routing.template.Template;
import org.junit.jupiter.api.Test;

/** Callback webhooks: their tokens, {@code when} criteria and the default body. */
class CallbackWebhookRenderTest {

    private static final Callback PENDING = new Callback("cb0123", "solar", "+14155550123", "+18005550100", "c-lost",
            CallbackTrigger.NO_ANSWER, Map.of("utm_source", "google ads"), CallbackState.PENDING, 1,
            1_780_000_120_000L, 1_780_000_000_000L, 1_780_000_060_000L, "customer-no-answer: 480", "c-try1");

    private static WebhookConfig hook(String url, String body, String when) throws Exception {
        return new WebhookConfig(Set.of(WebhookEvent.CALLBACK_ATTEMPT), Template.parse(url),
                body == null ? null : Template.parse(body), null, when == null ? List.of() : List.of(Criterion.parse(when)));
    }

    @Test
    void theDefaultBodyIsTheCallbackWithItsEventFirst() throws Exception {
        final CallbackTokens tokens = new CallbackTokens(PENDING, WebhookEvent.CALLBACK_ATTEMPT);
        final WebhookRequest request = WebhookRenderer.render(
                hook("https://crm.example/cb/[callback_id]?n=[caller_number]&src=[utm_source]", null, null), PENDING,
                tokens, "cb0123:callback_attempt-1:0", 5);
        assertEquals("https://crm.example/cb/cb0123?n=%2B14155550123&src=google%20ads", request.url());
        assertEquals("callback_attempt", request.event());
        assertEquals("c-lost", request.callId());
        assertEquals("application/json", request.contentType());
        final JsonNode body = new ObjectMapper().readTree(request.body());
        assertEquals("event", body.fieldNames().next());
        assertEquals("callback_attempt", body.path("event").asText());
        assertEquals("pending", body.path("state").asText());
        assertEquals("2026-05-28T20:28:40.000Z", body.path("next_try_at").asText());
        assertEquals("google ads", body.path("tags").path("utm_source").asText());
    }

    @Test
    void templatesAndCriteriaReadTheCallbacksTokens() throws Exception {
        final CallbackTokens tokens = new CallbackTokens(PENDING, WebhookEvent.CALLBACK_ATTEMPT);
        final WebhookRequest request = WebhookRenderer.render(hook("https://crm.example/cb",
                "{\"lost\": \"[call_id]\", \"try\": \"[callback_call_id]\", \"n\": [attempt], \"why\": \"[reason]\","
                        + " \"trigger\": \"[trigger]\"}", null), PENDING, tokens, "k:0", 5);
        assertEquals("{\"lost\": \"c-lost\", \"try\": \"c-try1\", \"n\": 1, \"why\": \"customer-no-answer: 480\","
                + " \"trigger\": \"no-answer\"}", request.body());
        assertTrue(WebhookRenderer.matches(hook("https://x/", null, "campaign == solar"), tokens));
        assertFalse(WebhookRenderer.matches(hook("https://x/", null, "trigger == busy"), tokens));
    }
}
