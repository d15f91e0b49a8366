package org.callrouter.server.leads;

/** A change the lead's state does not allow: merged already, onto itself, a cycle, a foreign identity (HTTP 409). */
public final class LeadConflictException extends RuntimeException {

    public LeadConflictException(String message) {
        super(message);
    }
}
