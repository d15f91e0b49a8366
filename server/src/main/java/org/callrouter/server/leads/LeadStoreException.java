package org.callrouter.server.leads;

/** The database failed (connection lost, disk full, cannot open); the message has no password. */
public final class LeadStoreException extends RuntimeException {

    public LeadStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
