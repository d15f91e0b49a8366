package org.callrouter.routing.callback;

import java.util.Map;

import org.callrouter.routing.config.CallbackTrigger;

/**
 * One lost call's callback, as stored and listed. Immutable: each change makes the next value
 * through {@link #state}, which refuses a transition its {@link CallbackState} does not allow.
 *
 * @param id         its id
 * @param campaign   the lost call's campaign
 * @param customer   the caller to call back, E.164
 * @param dialed     the tracked number the customer had called, E.164
 * @param lostCallId the lost call's record id
 * @param trigger    why the call was lost
 * @param tags       the lost call's tags
 * @param state      where it is in its life
 * @param tries      tries counted so far (a try being placed counts)
 * @param nextTryMs  when the next try is due (epoch ms); meaningless once terminal
 * @param createdMs  when it was scheduled
 * @param updatedMs  when it last changed
 * @param reason     why it is in its state (the last try's outcome, why it gave up or was cancelled)
 * @param lastCallId the last try's call id, or null
 */
public record Callback(String id, String campaign, String customer, String dialed, String lostCallId,
                       CallbackTrigger trigger, Map<String, String> tags, CallbackState state, int tries,
                       long nextTryMs, long createdMs, long updatedMs, String reason, String lastCallId) {

    public Callback {
        tags = Map.copyOf(tags);
    }

    /** The de-duplication key: one live callback per campaign and caller. */
    public String key() {
        return key(campaign, customer);
    }

    static String key(String campaign, String customer) {
        return campaign + '\n' + customer;
    }

    /**
     * This callback in state {@code next}.
     *
     * @throws IllegalStateException when {@code state} may not go to {@code next}
     */
    Callback state(CallbackState next, int nextTries, long nextTry, String why, String callId, long nowMs) {
        if (!state.allows(next)) {
            throw new IllegalStateException("callback " + id + " cannot go from " + state.label() + " to "
                    + next.label());
        }
        return new Callback(id, campaign, customer, dialed, lostCallId, trigger, tags, next, nextTries, nextTry,
                createdMs, nowMs, why, callId);
    }
}
