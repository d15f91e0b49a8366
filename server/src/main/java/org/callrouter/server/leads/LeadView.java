package org.callrouter.server.leads;

import java.util.List;

/**
 * A lead with everything about it.
 *
 * @param mergedInto    the lead it was merged into (its data is there), or null
 * @param unattributed  it has no session
 * @param origin        its earliest session, null when none
 * @param lastTouch     its latest session, null when none
 * @param sessions      in time order
 * @param sales         in time order, each with the session it is credited to
 */
public record LeadView(String id, long createdMs, String mergedInto, boolean unattributed,
                       List<IdentityView> identities, TouchView origin, TouchView lastTouch,
                       List<SessionView> sessions, List<SaleView> sales) {
}
