package org.callrouter.routing.config;

/** What a handler's hourly, daily, monthly and total caps count. */
public enum CapTrigger {
    /** {@code routed}: each call sent to the handler (counted when its slot is reserved). */
    ROUTED,
    /** {@code connected}: each call the handler answered. */
    CONNECTED,
    /** {@code converted}: each call that converted on the handler (revenue) side. */
    CONVERTED
}
