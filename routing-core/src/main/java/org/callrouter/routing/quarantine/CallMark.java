package org.callrouter.routing.quarantine;

import java.util.Locale;

/** Why an operator (or the handler's system, by postback) marked a call as unwanted. */
public enum CallMark {
    /** {@code spam}: a robocall or a spoofed caller; the caller is blocked from then on. */
    SPAM,
    /** {@code misdirected}: a real person who wanted someone else (the number's earlier owner). */
    MISDIRECTED;

    /** The name in the API. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mark of a wire name. @throws IllegalArgumentException naming the accepted values */
    public static CallMark fromWire(String text) {
        for (CallMark mark : values()) {
            if (mark.wireName().equals(text)) {
                return mark;
            }
        }
        throw new IllegalArgumentException("reason must be spam or misdirected, got "
                + (text == null ? "none" : "\"" + (text.length() > 32 ? text.substring(0, 32) + "..." : text) + "\""));
    }
}
