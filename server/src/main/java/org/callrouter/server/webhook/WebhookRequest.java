package org.callrouter.server.webhook;

/**
 * One webhook POST, rendered and signed when its event happened; retries send the very same
 * bytes with the same idempotency key.
 *
 * @param key         the idempotency key ({@code <call id>:<event>[-<n>]:<webhook index>}): the
 *                    same for every try, before and after a restart, so receivers can dedupe.
 * @param event       {@code started}, {@code selected}, {@code answered}, {@code ended}, {@code converted}.
 * @param campaign    the call's campaign.
 * @param callId      the call's record id.
 * @param url         where to POST.
 * @param contentType the body's media type.
 * @param body        the body (UTF-8).
 * @param signature   the {@code X-Signature} value, or null for an unsigned webhook.
 * @param createdMs   when the event happened (epoch ms).
 */
public record WebhookRequest(String key, String event, String campaign, String callId, String url,
                             String contentType, String body, String signature, long createdMs) {
}
