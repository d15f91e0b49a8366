package org.callrouter.routing;

import org.callrouter.routing.config.ConversionRule;

/**
 * A handler as one campaign uses it: the candidate handed to the server (built once), the
 * priority and weight it is ordered by and the revenue rule that applies to it.
 */
final class LinkRoute {

    final HandlerRoute handler;
    final Candidate candidate;
    final int priority;
    final int weight;
    final ConversionRule handlerRule;
    final Skip repeatSkip;

    LinkRoute(HandlerRoute handler, int priority, int weight, ConversionRule handlerRule, String repeatReason) {
        this.handler = handler;
        this.priority = priority;
        this.weight = weight;
        this.handlerRule = handlerRule;
        this.candidate = new Candidate(handler.id, handler.config.uri(), handler.config.timeoutSeconds(),
                handler.config.sendDigits(), priority, weight);
        this.repeatSkip = repeatReason == null ? null : new Skip(handler.id, repeatReason);
    }

    /** The skip of a {@link HandlerRoute#check} code, or of {@link HandlerRoute#REPEAT}. */
    Skip skip(int code) {
        return code == HandlerRoute.REPEAT ? repeatSkip : handler.skip(code);
    }
}
