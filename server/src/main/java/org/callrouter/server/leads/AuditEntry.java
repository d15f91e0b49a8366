package org.callrouter.server.leads;

/**
 * One audited change.
 *
 * @param action  {@code merge}, {@code assign-origin} or {@code disconnect}
 * @param actor   {@code router}, {@code sale:<order id>}, {@code api:<token name>}, ...
 * @param detail  JSON: the identities, sessions and sales moved
 */
public record AuditEntry(String id, long atMs, String actor, String action, String leadId, String otherLeadId,
                         String detail) {
}
