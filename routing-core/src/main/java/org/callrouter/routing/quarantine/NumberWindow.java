package org.callrouter.routing.quarantine;

import org.callrouter.routing.config.NumberPolicy;

/**
 * A number's calls over the last {@code spam_window_days}, and how many of them were marked.
 *
 * @param number      E.164
 * @param calls       calls to it
 * @param spam        of which marked {@code spam}
 * @param misdirected of which marked {@code misdirected}
 */
public record NumberWindow(String number, long calls, long spam, long misdirected) {

    /** Calls marked either way. */
    public long marked() {
        return spam + misdirected;
    }

    /** The share of marked calls (0 without calls; a mark never counts for more than its call). */
    public double share() {
        long all = Math.max(calls, marked());
        return all == 0 ? 0 : (double) marked() / all;
    }

    /**
     * Whether the number should be replaced: at least {@code spam_min_calls} calls in the window,
     * and a marked share of at least {@code spam_threshold}.
     */
    public boolean flagged(NumberPolicy policy) {
        return Math.max(calls, marked()) >= policy.spamMinCalls() && share() >= policy.spamThreshold();
    }
}
