package org.callrouter.server.leads;

/** A lead or target identity that does not exist (HTTP 404). */
public final class LeadNotFoundException extends RuntimeException {

    public LeadNotFoundException(String message) {
        super(message);
    }
}
