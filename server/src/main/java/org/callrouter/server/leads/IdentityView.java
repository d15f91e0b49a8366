package org.callrouter.server.leads;

import org.callrouter.routing.lead.Identity;

/** An identity of a lead and when it was linked. */
public record IdentityView(Identity identity, long linkedMs) {
}
