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
    CONVERTED
}
