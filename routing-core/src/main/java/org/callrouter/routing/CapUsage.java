package org.callrouter.routing;

import org.callrouter.routing.config.Caps;

/**
 * One cap of a handler and how much of it is used in the current window.
 *
 * @param cap   {@code concurrency}, {@code hourly}, {@code daily}, {@code monthly} or {@code total}
 * @param limit the cap; {@link Caps#NONE} when not set
 * @param used  live calls (concurrency), or committed plus pending counts in the window
 */
public record CapUsage(String cap, int limit, int used) {

    /** Room left; {@link Integer#MAX_VALUE} when the cap is not set. */
    public int remaining() {
        return limit == Caps.NONE ? Integer.MAX_VALUE : Math.max(0, limit - used);
    }
}
