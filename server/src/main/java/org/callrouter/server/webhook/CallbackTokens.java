package org.callrouter.server.webhook;

import org.callrouter.routing.callback.Callback;
import org.callrouter.routing.config.WebhookEvent;
import org.callrouter.routing.criteria.BuiltinTag;
import org.callrouter.routing.criteria.Tags;
import org.callrouter.server.records.RecordJson;

/**
 * The {@code [token]}s of a callback webhook ({@code callback_scheduled}, {@code callback_attempt},
 * {@code callback_connected}, {@code callback_gave_up}), for URL and body templates and
 * {@code when} criteria.
 *
 * <table>
 *   <caption>Tokens</caption>
 *   <tr><th>token</th><th>value</th></tr>
 *   <tr><td>{@code event}</td><td>the event's name</td></tr>
 *   <tr><td>{@code callback_id}</td><td>the callback's id</td></tr>
 *   <tr><td>{@code call_id}</td><td>the lost call's record id</td></tr>
 *   <tr><td>{@code callback_call_id}</td><td>the last try's call id (at {@code callback_connected}: the joined call)</td></tr>
 *   <tr><td>{@code caller_number}, {@code dialed_number}, {@code campaign}</td><td>the customer, the number they had called, the campaign</td></tr>
 *   <tr><td>{@code trigger}</td><td>{@code no-answer}, {@code busy}, {@code abandoned}, {@code short}</td></tr>
 *   <tr><td>{@code attempt}</td><td>tries so far (at {@code callback_attempt}: this try's number)</td></tr>
 *   <tr><td>{@code state}, {@code reason}</td><td>the callback's state and why</td></tr>
 *   <tr><td>{@code next_try_at}</td><td>ISO-8601 UTC, while pending</td></tr>
 *   <tr><td>any other name</td><td>the lost call's tag</td></tr>
 * </table>
 */
public final class CallbackTokens implements Tags {

    private final Callback callback;
    private final WebhookEvent event;

    public CallbackTokens(Callback callback, WebhookEvent event) {
        this.callback = callback;
        this.event = event;
    }

    @Override
    public String value(BuiltinTag builtin, String name) {
        return value(name);
    }

    /** A token's value, or null when it has none. */
    public String value(String name) {
        return switch (name) {
            case "event" -> CallTokens.eventName(event);
            case "callback_id" -> callback.id();
            case "call_id" -> callback.lostCallId();
            case "callback_call_id" -> callback.lastCallId();
            case "caller_number" -> callback.customer();
            case "dialed_number" -> callback.dialed();
            case "campaign" -> callback.campaign();
            case "trigger" -> callback.trigger().label();
            case "attempt" -> Integer.toString(callback.tries());
            case "state" -> callback.state().label();
            case "reason" -> callback.reason();
            case "next_try_at" -> callback.state().terminal() ? null : RecordJson.time(callback.nextTryMs());
            default -> callback.tags().get(name);
        };
    }
}
