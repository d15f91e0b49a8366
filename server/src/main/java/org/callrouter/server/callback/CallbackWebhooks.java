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
    public void on(Event event, Callback callback) {
        final WebhookEvent hook = switch (event) {
            case SCHEDULED -> WebhookEvent.CALLBACK_SCHEDULED;
            case ATTEMPT -> WebhookEvent.CALLBACK_ATTEMPT;
            case CONNECTED -> WebhookEvent.CALLBACK_CONNECTED;
            case GAVE_UP -> WebhookEvent.CALLBACK_GAVE_UP;
            case RETRY, CANCELLED -> null;
        };
        if (hook != null) {
            webhooks.callback(hook, callback);
        }
    }
}
