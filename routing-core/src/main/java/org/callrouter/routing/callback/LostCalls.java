package org.callrouter.routing.callback;

import org.callrouter.routing.config.CallbackConfig;
import org.callrouter.routing.config.CallbackTrigger;

/**
 * Which finished calls are lost (issue 13): no handler answered ({@code no-answer}), every handler
 * was busy ({@code busy}), the caller hung up while ringing after {@code abandoned_after_seconds}
 * ({@code abandoned}), or, when asked for, an answered call shorter than {@code short_under_seconds}
 * ({@code short}). Never a call that was refused (untrusted source, blocked or anonymous caller),
 * a caller without a number, a caller the campaign's blocklist names (spam-marked callers are
 * added there), or a callback try itself.
 */
public final class LostCalls {

    private LostCalls() {
    }

    /**
     * Why {@code call} is lost under {@code config}, or null when it is not (or the campaign does
     * not call back).
     *
     * @param blocked whether the campaign's caller rules refuse this caller now
     */
    public static CallbackTrigger lost(FinishedCall call, CallbackConfig config, boolean blocked) {
        if (config == null || !config.enabled() || call.callback() || blocked || call.caller() == null
                || call.campaign() == null) {
            return null;
        }
        final CallbackTrigger trigger = switch (call.ending()) {
            case NO_ANSWER -> CallbackTrigger.NO_ANSWER;
            case BUSY -> CallbackTrigger.BUSY;
            case CALLER_HUNG_UP -> call.ringMs() >= config.abandonedAfterSeconds() * 1000L
                    ? CallbackTrigger.ABANDONED : null;
            case ANSWERED -> call.talkMs() < config.shortUnderSeconds() * 1000L ? CallbackTrigger.SHORT : null;
            case REFUSED, OTHER -> null;
        };
        return trigger != null && config.on().contains(trigger) ? trigger : null;
    }
}
