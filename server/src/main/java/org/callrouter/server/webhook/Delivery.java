package org.callrouter.server.webhook;

/**
 * A webhook request stored in the outbox: where its line is, so that its outcome can be
 * acknowledged there.
 *
 * @param request the request.
 * @param segment the outbox segment holding it.
 * @param index   its line in the segment, from 0.
 */
public record Delivery(WebhookRequest request, long segment, int index) {
}
