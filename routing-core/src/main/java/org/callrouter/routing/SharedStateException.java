package org.callrouter.routing;

/**
 * The cluster's shared store failed or did not answer in time while a handler's slot was being
 * taken, and the campaign's {@code on_shared_state_error} is {@code reject}: the call is refused
 * (the server answers {@code 503} with {@link #getMessage()} as the Reason).
 */
public final class SharedStateException extends RuntimeException {

    public SharedStateException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
