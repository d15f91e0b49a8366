package org.callrouter.server.callback;

import org.callrouter.routing.callback.Callback;
import org.callrouter.routing.config.WebhookEvent;
import org.callrouter.server.webhook.WebhookScheduler;

/** Sends the campaign webhooks that listen to callback events ({@code callback_scheduled} ...). */
public final class CallbackWebhooks implements CallbackEvents {

    private final WebhookScheduler webhooks;

    public CallbackWebhooks(WebhookScheduler webhooks) {
        this.webhooks = webhooks;
    }

    @Override
    public void onScheduled(Callback callback) {
        webhooks.callback(WebhookEvent.CALLBACK_SCHEDULED, callback);
    }

    @Override
    public void onAttempt(Callback callback) {
        webhooks.callback(WebhookEvent.CALLBACK_ATTEMPT, callback);
    }

    @Override
    public void onConnected(Callback callback) {
        webhooks.callback(WebhookEvent.CALLBACK_CONNECTED, callback);
    }

    @Override
    public void onGaveUp(Callback callback) {
        webhooks.callback(WebhookEvent.CALLBACK_GAVE_UP, callback);
    }
}
