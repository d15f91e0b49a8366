package org.callrouter.routing;

/**
 * A handler that was not tried, and why: {@code disabled}, {@code closed},
 * {@code criteria: <criterion>}, {@code cap: concurrency|hourly|daily|monthly|total},
 * {@code unhealthy} or {@code repeat: ...}.
 *
 * @param handlerId the handler's id
 * @param reason    the reason, as above
 */
public record Skip(String handlerId, String reason) {
}
