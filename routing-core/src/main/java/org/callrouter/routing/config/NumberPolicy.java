package org.callrouter.routing.config;

/**
 * The top-level {@code number_policy:} section: how numbers taken out of service are quarantined
 * and when a number's share of spam calls flags it for replacement.
 *
 * @param quarantineDays   {@code quarantine_days} [45]: how long a number removed from its campaign
 *                         stays quarantined (the US minimum aging before a number is reassigned)
 * @param quietDays        {@code quiet_days} [14]: a quarantined number may be assigned again only
 *                         after this many days without a call (and after its quarantine)
 * @param quarantineStatus {@code quarantine_status} [404]: the SIP answer to a call to a
 *                         quarantined number (4xx–6xx)
 * @param spamWindowDays   {@code spam_window_days} [7]: the days a number's spam share is counted over
 * @param spamThreshold    {@code spam_threshold} [0.2]: the share of spam or misdirected calls
 *                         (0 &lt; share ≤ 1) above which a number is flagged for replacement
 * @param spamMinCalls     {@code spam_min_calls} [5]: a number is flagged only after this many calls
 *                         in the window, so one early spam call does not flag a new number
 */
public record NumberPolicy(int quarantineDays, int quietDays, int quarantineStatus, int spamWindowDays,
                           double spamThreshold, int spamMinCalls) {

    /** No section: the defaults above. */
    public static final NumberPolicy DEFAULT = new NumberPolicy(45, 14, 404, 7, 0.2, 5);

    /** {@link #quarantineDays} in milliseconds. */
    public long quarantineMs() {
        return quarantineDays * 86_400_000L;
    }

    /** {@link #quietDays} in milliseconds. */
    public long quietMs() {
        return quietDays * 86_400_000L;
    }

    /** {@link #spamWindowDays} in milliseconds. */
    public long spamWindowMs() {
        return spamWindowDays * 86_400_000L;
    }
}
