package org.callrouter.server.webhook;

import java.math.BigDecimal;
import java.util.Locale;

import org.callrouter.routing.config.WebhookEvent;
import org.callrouter.routing.criteria.BuiltinTag;
import org.callrouter.routing.criteria.Tags;
import org.callrouter.server.records.CallRecord;
import org.callrouter.server.records.RecordJson;

/**
 * The values of a call's {@code [token]}s at one webhook event, for URL and body templates and
 * for {@code when} criteria. Values that do not exist yet (the duration before the call ends)
 * are null, so {@code [token]{default}} applies.
 *
 * <table>
 *   <caption>Tokens</caption>
 *   <tr><th>token</th><th>value</th></tr>
 *   <tr><td>{@code call_id}, {@code call_key}</td><td>the record's id and postback key</td></tr>
 *   <tr><td>{@code event}</td><td>{@code started}, {@code selected}, {@code answered}, {@code ended}, {@code converted}, {@code dni_canary}, {@code number_flagged}</td></tr>
 *   <tr><td>{@code caller_number}, {@code dialed_number}, {@code campaign}, {@code source}</td><td>E.164 numbers and ids</td></tr>
 *   <tr><td>{@code handler}</td><td>the handler selected (at {@code selected}), else the one that answered, else the last tried</td></tr>
 *   <tr><td>{@code attempt}</td><td>the attempt's number, from 1 ({@code selected})</td></tr>
 *   <tr><td>{@code status}, {@code sip_status}, {@code reason}</td><td>the final status ({@code in-progress} before the end)</td></tr>
 *   <tr><td>{@code duration}</td><td>whole seconds of talk, once the call ended</td></tr>
 *   <tr><td>{@code ring_seconds}, {@code talk_seconds}</td><td>with milliseconds, once the call ended</td></tr>
 *   <tr><td>{@code converted}, {@code revenue}, {@code payout}</td><td>{@code true}/{@code false} and amounts, at {@code ended} and {@code converted}</td></tr>
 *   <tr><td>{@code received_at}, {@code answered_at}, {@code ended_at}</td><td>ISO-8601 UTC</td></tr>
 *   <tr><td>any other name</td><td>the call's tag ({@code caller_state}, a carrier header tag...)</td></tr>
 * </table>
 */
public final class CallTokens implements Tags {

    private final CallRecord record;
    private final WebhookEvent event;
    private final CallRecord.Attempt attempt;

    /**
     * @param attempt the attempt a {@code selected} event is about, else null.
     */
    public CallTokens(CallRecord record, WebhookEvent event, CallRecord.Attempt attempt) {
        this.record = record;
        this.event = event;
        this.attempt = attempt;
    }

    /** The event's name as in the configuration. */
    public static String eventName(WebhookEvent event) {
        return event.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String value(BuiltinTag builtin, String name) {
        return value(name);
    }

    /** A token's value, or null when it has none (now). */
    public String value(String name) {
        final boolean ended = record.ended();
        final boolean decided = ended || event == WebhookEvent.CONVERTED;
        return switch (name) {
            case "call_id" -> record.id();
            case "call_key" -> record.key();
            case "event" -> eventName(event);
            case "caller_number" -> record.caller();
            case "dialed_number" -> record.dialed();
            case "campaign" -> record.campaign();
            case "source" -> record.source();
            case "handler" -> attempt != null ? attempt.handler() : record.handler();
            case "attempt" -> attempt == null ? null : Integer.toString(record.attempts().indexOf(attempt) + 1);
            case "status" -> ended ? record.status().label() : RecordJson.IN_PROGRESS;
            case "sip_status" -> ended ? Integer.toString(record.sipStatus()) : null;
            case "reason" -> record.reason();
            case "duration" -> ended ? Long.toString(record.talkMs() / 1000) : null;
            case "ring_seconds" -> ended ? seconds(record.ringMs()) : null;
            case "talk_seconds" -> ended ? seconds(record.talkMs()) : null;
            case "converted" -> decided ? Boolean.toString(record.converted()) : null;
            case "revenue" -> decided ? record.revenue().toPlainString() : null;
            case "payout" -> decided ? record.payout().toPlainString() : null;
            case "received_at" -> RecordJson.time(record.receivedMs());
            case "answered_at" -> RecordJson.time(record.answeredMs());
            case "ended_at" -> RecordJson.time(record.endedMs());
            default -> record.tags().get(name);
        };
    }

    private static String seconds(long ms) {
        return BigDecimal.valueOf(ms, 3).toPlainString();
    }
}
