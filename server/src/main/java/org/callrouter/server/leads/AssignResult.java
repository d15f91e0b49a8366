package org.callrouter.server.leads;

import java.util.List;

import org.callrouter.routing.lead.Identity;

/**
 * The outcome of an assign-origin: lead {@code leadId} merged into {@code targetLeadId}.
 *
 * @param movedIdentities  what an undo disconnects
 */
public record AssignResult(String leadId, String targetLeadId, List<Identity> movedIdentities, int movedSessions,
                           int movedSales) {
}
