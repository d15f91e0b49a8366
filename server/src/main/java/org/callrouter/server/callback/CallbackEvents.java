package org.callrouter.server.callback;

import org.callrouter.routing.callback.Callback;

/**
 * Told of each change in a callback's life, on the callback scheduler's thread, after the change
 * is stored: webhooks and metrics listen. Must not block.
 */
@FunctionalInterface
public interface CallbackEvents {

    /** What happened to a callback. */
    enum Event {
        /** A lost call's callback was scheduled ({@code callback_scheduled}). */
        SCHEDULED,
        /** A try is being placed ({@code callback_attempt}); the callback's {@code tries} is its number. */
        ATTEMPT,
        /** A try's outcome left it pending for a later try. */
        RETRY,
        /** A try joined a handler and the customer ({@code callback_connected}). */
        CONNECTED,
        /** It gave up ({@code callback_gave_up}). */
        GAVE_UP,
        /** It was cancelled (caller answered on a new call, an operator, callbacks turned off). */
        CANCELLED
    }

    void on(Event event, Callback callback);
}
