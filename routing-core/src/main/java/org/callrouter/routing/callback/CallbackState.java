package org.callrouter.routing.callback;

import org.callrouter.routing.config.EnumLabels;

/**
 * A callback's life (issue 13): {@code PENDING} until its next try is due, {@code DIALING} while
 * a try rings a handler and then the customer, back to {@code PENDING} when the try did not join
 * them and tries are left; it ends {@code CONNECTED}, {@code GAVE_UP} or {@code CANCELLED}.
 */
public enum CallbackState {
    /** Waiting for its next try. */
    PENDING,
    /** A try is being placed. */
    DIALING,
    /** A try joined a handler and the customer. */
    CONNECTED,
    /** The last try failed, or the trunk failed. */
    GAVE_UP,
    /** The caller called again and was answered, an operator deleted it, or callbacks were turned off. */
    CANCELLED;

    /** Whether the callback's life is over. */
    public boolean terminal() {
        return this == CONNECTED || this == GAVE_UP || this == CANCELLED;
    }

    /** Whether it may go to {@code next}. */
    boolean allows(CallbackState next) {
        return switch (this) {
            case PENDING -> next == DIALING || next == CANCELLED || next == GAVE_UP;
            case DIALING -> next == PENDING || next == CONNECTED || next == GAVE_UP;
            case CONNECTED, GAVE_UP, CANCELLED -> false;
        };
    }

    /** The name in the API and webhooks ({@code gave-up}). */
    public String label() {
        return EnumLabels.label(this);
    }

    /** The state labelled {@code label}, or null. */
    public static CallbackState of(String label) {
        return EnumLabels.of(CallbackState.class, label);
    }
}
