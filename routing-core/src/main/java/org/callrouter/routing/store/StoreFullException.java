package org.callrouter.routing.store;

/** A store has no room for another entry; the message names the setting that sizes it. */
public final class StoreFullException extends StoreException {

    private static final long serialVersionUID = 1L;

    public StoreFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
