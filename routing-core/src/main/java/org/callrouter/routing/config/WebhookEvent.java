package org.callrouter.routing.config;

/** Call events a webhook can be sent on. */
public enum WebhookEvent {
    /** {@code started}: the call arrived and was routed. */
    STARTED,
    /** {@code selected}: a handler was selected (each attempt). */
    SELECTED,
    /** {@code answered}: a handler answered. */
    ANSWERED,
    /** {@code ended}: the call is over (its record is complete). */
    ENDED,
    /** {@code converted}: the call converted (either side). */
    CONVERTED,
    /**
     * {@code dni_canary}: a call to a {@code canary: true} number arrived (the site's hard-coded
     * number: the visitor's page did not swap it); the call is still routed.
     */
    DNI_CANARY,
    /**
     * {@code number_flagged}: a call marked spam or misdirected brought its number's share of such
     * calls over {@code number_policy.spam_threshold}; the number should be replaced.
     */
    NUMBER_FLAGGED,
    /** {@code callback_scheduled}: a lost call's callback was scheduled (issue 13). */
    CALLBACK_SCHEDULED,
    /** {@code callback_attempt}: a callback try is being placed. */
    CALLBACK_ATTEMPT,
    /** {@code callback_connected}: a callback try joined a handler and the customer. */
    CALLBACK_CONNECTED,
    /** {@code callback_gave_up}: a callback's last try failed, or its trunk failed. */
    CALLBACK_GAVE_UP;

    /** Whether the event is about a callback rather than a call's own progress. */
    public boolean callback() {
        return ordinal() >= CALLBACK_SCHEDULED.ordinal();
    }
}
