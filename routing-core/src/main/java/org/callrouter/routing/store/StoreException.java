package org.callrouter.routing.store;

/** A store cannot be opened or used (file in use, corrupt, disk error); the message says which and why. */
public class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
