package org.callrouter.server.b2bua;

import org.callrouter.routing.HandlerHealth;

/**
 * Which INVITE attempts count against a handler's passive health (issue 14): no response at
 * all (a transaction timeout, a transport error, or a ring timeout before even a 100 Trying)
 * and 5xx answers. Any other answer, a ring timeout after a provisional response included,
 * proves the handler alive. Routing-core's {@link HandlerHealth} does the counting.
 */
final class PassiveHealth {

    /** The status reported for an attempt that got no response at all. */
    static final int NO_RESPONSE = 408;

    private PassiveHealth() {
    }

    /**
     * Reports one attempt's outcome.
     *
     * @param status    the final status (0 for a ring timeout; 408/503 made up locally for a
     *                  transaction timeout or transport error, with {@link AttemptResult#FAILED})
     * @param responded whether the handler sent any response to this INVITE
     */
    static void report(HandlerHealth health, String handlerId, int status, AttemptResult result, boolean responded,
                       long nowMs) {
        final boolean noResponse = !responded && (status == 0 || result == AttemptResult.FAILED);
        final boolean failed = noResponse || status >= 500 && status < 600;
        health.inviteResult(handlerId, failed, noResponse ? NO_RESPONSE : status, nowMs);
    }
}
