package org.callrouter.server.webhook;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import java.util.function.Function;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.callrouter.routing.callback.Callback;
import org.callrouter.routing.config.WebhookConfig;
import org.callrouter.routing.criteria.Criterion;
import org.callrouter.routing.criteria.Tags;
import org.callrouter.server.callback.CallbackJson;
import org.callrouter.server.records.CallRecord;
import org.callrouter.server.records.RecordJson;

/**
 * Turns a campaign webhook and a call event into the request to send.
 *
 * <ul>
 *   <li>URL: the {@code url} template, each value percent-encoded (RFC 3986 2.1; a space is
 *       {@code %20}).</li>
 *   <li>Body: without a {@code body} template, the call record as JSON (the journal's fields
 *       so far) with {@code "event"} first, {@code application/json}. A template that starts
 *       with <code>{</code> or {@code [} is JSON: values are escaped as JSON string content
 *       (RFC 8259 7), {@code application/json}. Any other template is a form: values are
 *       percent-encoded, {@code application/x-www-form-urlencoded}.</li>
 * </ul>
 */
public final class WebhookRenderer {

    static final String JSON = "application/json";
    static final String FORM = "application/x-www-form-urlencoded";

    private WebhookRenderer() {
    }

    /** Whether the call (or callback) meets every {@code when} criterion of the webhook. */
    public static boolean matches(WebhookConfig webhook, Tags tokens) {
        for (Criterion criterion : webhook.when()) {
            if (!criterion.test(tokens)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The request for one webhook at one event.
     *
     * @param key the idempotency key.
     */
    public static WebhookRequest render(WebhookConfig webhook, CallRecord record, CallTokens tokens, String key,
                                        long nowMs) {
        return request(webhook, tokens::value, () -> {
            final String line = new String(RecordJson.callLine(record), StandardCharsets.UTF_8);
            return "{\"event\":\"" + tokens.value("event") + "\"," + line.substring(1);
        }, record.campaign(), record.id(), key, nowMs);
    }

    /**
     * The request for a {@code number_flagged} webhook; without a body template the body is the
     * flag as JSON ({@link FlaggedNumber#json}).
     */
    public static WebhookRequest render(WebhookConfig webhook, FlaggedNumber flag, String key, long nowMs) {
        return request(webhook, flag::value, flag::json, flag.campaign(), flag.callId(), key, nowMs);
    }

    private static WebhookRequest request(WebhookConfig webhook, Function<String, String> tokens,
                                          Supplier<String> defaultBody, String campaign, String callId, String key,
                                          long nowMs) {
        final String url = webhook.url().render(tokens, WebhookRenderer::percentEncode);
        final String body;
        final String contentType;
        if (webhook.body() == null) {
            body = defaultBody.get();
            contentType = JSON;
        } else if (isJson(webhook.body().text())) {
            body = webhook.body().render(tokens, WebhookRenderer::jsonEscape);
            contentType = JSON;
        } else {
            body = webhook.body().render(tokens, WebhookRenderer::percentEncode);
            contentType = FORM;
        }
        return new WebhookRequest(key, tokens.apply("event"), campaign, callId, url, contentType, body, nowMs);
    }

    /**
     * The request for one webhook at one callback event: without a {@code body} template, the
     * callback as the API lists it ({@link CallbackJson}) with {@code "event"} first.
     *
     * @param key the idempotency key.
     */
    public static WebhookRequest render(WebhookConfig webhook, Callback callback, CallbackTokens tokens, String key,
                                        long nowMs) {
        final String url = webhook.url().render(tokens::value, WebhookRenderer::percentEncode);
        final String body;
        final String contentType;
        if (webhook.body() == null) {
            final ObjectNode json = CallbackJson.node(callback);
            final ObjectNode withEvent = json.objectNode().put("event", tokens.value("event"));
            withEvent.setAll(json);
            body = withEvent.toString();
            contentType = JSON;
        } else if (isJson(webhook.body().text())) {
            body = webhook.body().render(tokens::value, WebhookRenderer::jsonEscape);
            contentType = JSON;
        } else {
            body = webhook.body().render(tokens::value, WebhookRenderer::percentEncode);
            contentType = FORM;
        }
        return new WebhookRequest(key, tokens.value("event"), callback.campaign(), callback.lostCallId(), url,
                contentType, body, nowMs);
    }

    private static boolean isJson(String template) {
        final String trimmed = template.stripLeading();
        return trimmed.startsWith("{") || trimmed.startsWith("[");
    }

    static String percentEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String jsonEscape(String value) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(value));
    }
}
