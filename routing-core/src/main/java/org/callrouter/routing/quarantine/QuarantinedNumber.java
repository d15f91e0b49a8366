package org.callrouter.routing.quarantine;

import java.time.Instant;

import org.callrouter.routing.config.NumberPolicy;

/**
 * A number in quarantine: taken out of its campaign, answered with the policy's status, and
 * not assignable again until {@link #untilMs}.
 *
 * @param number      E.164
 * @param campaign    the campaign it was removed from
 * @param removedAtMs when it entered quarantine
 * @param lastCallMs  its last call since then; {@link #NO_CALL} when none
 * @param calls       calls to it since it entered quarantine
 */
public record QuarantinedNumber(String number, String campaign, long removedAtMs, long lastCallMs, long calls) {

    /** {@link #lastCallMs} of a number nobody called since its removal. */
    public static final long NO_CALL = Long.MIN_VALUE;

    /**
     * When the number may be assigned again: its quarantine has passed and it had no call for
     * the policy's quiet days (a number that keeps being called keeps moving this forward).
     */
    public long untilMs(NumberPolicy policy) {
        long quarantineEnds = removedAtMs + policy.quarantineMs();
        return lastCallMs == NO_CALL ? quarantineEnds : Math.max(quarantineEnds, lastCallMs + policy.quietMs());
    }

    /** Whether it may be assigned again at {@code nowMs} without force. */
    public boolean releasable(NumberPolicy policy, long nowMs) {
        return nowMs >= untilMs(policy);
    }

    /**
     * Why the number may not be assigned at this time: the number, the campaign it left and until
     * when (UTC), and how to override.
     */
    public String refusal(NumberPolicy policy) {
        return number + " is quarantined until " + Instant.ofEpochMilli(untilMs(policy)) + " (removed from campaign \""
                + campaign + "\" at " + Instant.ofEpochMilli(removedAtMs) + (calls == 0 ? "" : ", " + calls
                + " calls since, the last at " + Instant.ofEpochMilli(lastCallMs)) + "); `router numbers quarantine release "
                + number + " --force` assigns it earlier";
    }
}
