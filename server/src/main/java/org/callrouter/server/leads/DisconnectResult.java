package org.callrouter.server.leads;

import java.util.List;

import org.callrouter.routing.lead.Identity;

/** The outcome of a disconnect: the identities moved to new lead {@code newLeadId} with their sessions and sales. */
public record DisconnectResult(String leadId, String newLeadId, List<Identity> movedIdentities, int movedSessions,
                               int movedSales) {
}
