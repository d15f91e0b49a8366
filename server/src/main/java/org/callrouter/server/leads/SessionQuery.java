package org.callrouter.server.leads;

import org.callrouter.routing.lead.SessionStatus;

/**
 * A filter on sessions; null fields do not filter. Times bound the start, {@code [fromMs, toMs)}.
 * Newest started first, then by kind and id.
 *
 * @param kind  {@code call} or {@code web}
 * @param after only the sessions after this one in that order (the next page), or null
 */
public record SessionQuery(SessionStatus status, String campaign, String kind, Long fromMs, Long toMs, int limit,
                           After after) {

    /** The first page. */
    public SessionQuery(SessionStatus status, String campaign, String kind, Long fromMs, Long toMs, int limit) {
        this(status, campaign, kind, fromMs, toMs, limit, null);
    }

    /** The last session of a page: where the next one starts. */
    public record After(long startedMs, String kind, String id) {
    }
}
