package org.callrouter.routing.config;

/**
 * How a campaign routes a caller whose earlier call was answered within the window.
 *
 * @param window how far back an answered call makes the caller a repeat caller
 * @param route  what to do with a repeat caller
 */
public record RepeatCallers(DurationSetting window, Route route) {

    /** Routing of repeat callers. */
    public enum Route {
        /** {@code same_handler}: the handler that answered last time goes first when eligible. */
        SAME_HANDLER,
        /** {@code new_handler}: the handler that answered last time is skipped. */
        NEW_HANDLER,
        /** {@code any}: normal routing. */
        ANY
    }
}
