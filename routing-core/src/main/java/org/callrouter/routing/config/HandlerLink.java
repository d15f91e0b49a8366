package org.callrouter.routing.config;

/**
 * A handler as a campaign uses it; priority and weight default to the handler's own.
 *
 * @param handlerId  the handler's id
 * @param priority   lower is tried first
 * @param weight     share within its priority
 * @param conversion revenue rule for this handler in this campaign; {@code null} = the
 *                   handler's own override, else the campaign's handler rule
 */
public record HandlerLink(String handlerId, int priority, int weight, ConversionRule conversion) {
}
