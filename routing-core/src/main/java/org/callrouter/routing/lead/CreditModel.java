package org.callrouter.routing.lead;

import java.util.List;
import java.util.function.ToLongFunction;

/** Which session of a lead a sale is credited to ({@code attribution.credit}). */
public enum CreditModel {
    /** The lead's earliest session (its origin), by start time then id. */
    FIRST_TOUCH("first_touch"),
    /** The latest session started at or before the sale; the earliest when all started later. */
    LAST_TOUCH("last_touch");

    private final String wireName;

    CreditModel(String wireName) {
        this.wireName = wireName;
    }

    /** {@code first_touch} or {@code last_touch}. */
    public String wireName() {
        return wireName;
    }

    /**
     * The session a sale made at {@code soldMs} is credited to, or null when the lead has none.
     * The same choice as the store's SQL ranking (server {@code Credit}), for a lead whose
     * sessions are already read: {@code sessions} in the order start time, then kind and id.
     */
    public <T> T credited(List<T> sessions, ToLongFunction<T> startedMs, long soldMs) {
        if (sessions.isEmpty()) {
            return null;
        }
        if (this == FIRST_TOUCH) {
            return sessions.get(0);
        }
        // The latest start at or before the sale; among sessions of that start, the first in
        // kind and id order (the SQL orders by -started_ms, kind, id).
        T latest = null;
        long latestStartMs = Long.MIN_VALUE;
        for (T session : sessions) {
            final long started = startedMs.applyAsLong(session);
            if (started > soldMs) {
                break;
            }
            if (latest == null || started > latestStartMs) {
                latest = session;
                latestStartMs = started;
            }
        }
        return latest != null ? latest : sessions.get(0);
    }

    /**
     * The model named {@code name} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the allowed names
     */
    public static CreditModel fromWire(String name) {
        return WireNames.parse(values(), CreditModel::wireName, name, "credit model", "first_touch or last_touch");
    }
}
