package org.callrouter.server.leads;

import org.callrouter.routing.lead.SessionStatus;

/**
 * A filter on sessions; null fields do not filter. Times bound the start, {@code [fromMs, toMs)}.
 *
 * @param kind  {@code call} or {@code web}
 */
public record SessionQuery(SessionStatus status, String campaign, String kind, Long fromMs, Long toMs, int limit) {
}
