package org.callrouter.server.callback;

import org.callrouter.routing.callback.Callback;

/**
 * Told of each change in a callback's life, on the callback scheduler's thread: webhooks and
 * metrics listen. Must not block.
 */
public interface CallbackEvents {

    /** A lost call's callback was scheduled ({@code callback_scheduled}). */
    default void onScheduled(Callback callback) {
    }

    /** A try is being placed ({@code callback_attempt}); {@code tries} is its number. */
    default void onAttempt(Callback callback) {
    }

    /** A try's outcome left the callback pending for a later try. */
    default void onRetry(Callback callback) {
    }

    /** A try joined a handler and the customer ({@code callback_connected}). */
    default void onConnected(Callback callback) {
    }

    /** It gave up ({@code callback_gave_up}). */
    default void onGaveUp(Callback callback) {
    }

    /** It was cancelled (caller answered on a new call, an operator, callbacks turned off). */
    default void onCancelled(Callback callback) {
    }
}
