package org.callrouter.routing.callback;

/** What one callback try means for the callback's schedule. */
public enum TryResult {
    /** A handler and the customer were joined: the callback is done. */
    CONNECTED,
    /** No handler answered, or the customer did not answer or was busy: a try spent. */
    NOT_REACHED,
    /** The trunk had no room (its {@code max_concurrent}): retried soon, the try not counted. */
    TRUNK_BUSY,
    /** The trunk refused us (403, credentials refused, unreachable): retrying cannot help. */
    TRUNK_FAILED
}
