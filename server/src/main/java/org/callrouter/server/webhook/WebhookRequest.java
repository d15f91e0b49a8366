package org.callrouter.server.webhook;

/**
 * One webhook POST, rendered when its event happened; retries send the very same body with
 * the same idempotency key. It is signed when each try is sent ({@link Signature}), with the
 * secret the configuration then has, so no secret is ever written to the outbox.
 *
 * @param key         the idempotency key ({@code <call id>:<event>[-<n>]:<webhook index>}): the
 *                    same for every try, before and after a restart, so receivers can dedupe.
 * @param event       {@code started}, {@code selected}, {@code answered}, {@code ended}, {@code converted}.
 * @param campaign    the call's campaign.
 * @param callId      the call's record id.
 * @param url         where to POST.
 * @param contentType the body's media type.
 * @param body        the body (UTF-8).
 * @param createdMs   when the event happened (epoch ms).
 */
public record WebhookRequest(String key, String event, String campaign, String callId, String url,
                             String contentType, String body, long createdMs) {

    /** Which webhook of its campaign this is: the last part of the key. */
    public int webhookIndex() {
        try {
            return Integer.parseInt(key.substring(key.lastIndexOf(':') + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
