package org.callrouter.server.leads;

import java.util.Map;

import org.callrouter.routing.lead.Identity;
import org.callrouter.routing.lead.SessionStatus;

/**
 * A lead's session: a call (id = call id) or a web visit (id = visitor session id).
 *
 * @param kind      {@code call} or {@code web}
 * @param via       the identity that brought it to its lead, null for a call without a usable one
 * @param endedMs   null while open
 * @param tracking  UTM values, click ids, landing page, ... (as {@link TouchView#tracking})
 */
public record SessionView(String id, String kind, String leadId, SessionStatus status, long startedMs, Long endedMs,
                          String campaign, String source, String handler, Identity via,
                          Map<String, String> tracking) {
}
