package org.callrouter.server.webhook;

import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.callrouter.routing.criteria.BuiltinTag;
import org.callrouter.routing.criteria.Tags;
import org.callrouter.routing.quarantine.NumberWindow;

/**
 * A {@code number_flagged} event: the marked call that brought its number's share of spam and
 * misdirected calls to {@code number_policy.spam_threshold}. Its tokens: {@code event},
 * {@code number} (and {@code dialed_number}), {@code campaign}, {@code call_id},
 * {@code caller_number}, {@code reason} (the mark), {@code calls}, {@code spam_calls},
 * {@code misdirected_calls}, {@code spam_share} (0–1), {@code window_days}.
 */
public record FlaggedNumber(String campaign, String callId, String caller, String reason, NumberWindow window,
                            int windowDays) implements Tags {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String value(BuiltinTag builtin, String name) {
        return value(name);
    }

    /** A token's value, or null when it has none. */
    public String value(String name) {
        return switch (name) {
            case "event" -> "number_flagged";
            case "number", "dialed_number" -> window.number();
            case "campaign" -> campaign;
            case "call_id" -> callId;
            case "caller_number" -> caller;
            case "reason" -> reason;
            case "calls" -> Long.toString(window.calls());
            case "spam_calls" -> Long.toString(window.spam());
            case "misdirected_calls" -> Long.toString(window.misdirected());
            case "spam_share" -> String.format(Locale.ROOT, "%.4f", window.share());
            case "window_days" -> Integer.toString(windowDays);
            default -> null;
        };
    }

    /** The default body: every token as JSON. */
    public String json() {
        final ObjectNode node = JSON.createObjectNode();
        node.put("event", "number_flagged");
        node.put("number", window.number());
        node.put("campaign", campaign);
        node.put("call_id", callId);
        node.put("caller_number", caller);
        node.put("reason", reason);
        node.put("calls", window.calls());
        node.put("spam_calls", window.spam());
        node.put("misdirected_calls", window.misdirected());
        node.put("spam_share", window.share());
        node.put("window_days", windowDays);
        return node.toString();
    }
}
