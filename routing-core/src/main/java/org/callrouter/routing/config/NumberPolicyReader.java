package org.callrouter.routing.config;

import java.math.BigDecimal;

/** Reads the top-level {@code number_policy:} section ({@link NumberPolicy}). */
final class NumberPolicyReader {

    private NumberPolicyReader() {
    }

    static NumberPolicy read(MapReader section) {
        NumberPolicy d = NumberPolicy.DEFAULT;
        int quarantineDays = section.integer("quarantine_days", d.quarantineDays(), 0, 3650);
        int quietDays = section.integer("quiet_days", d.quietDays(), 0, 3650);
        int status = section.integer("quarantine_status", d.quarantineStatus(), 400, 699);
        int windowDays = section.integer("spam_window_days", d.spamWindowDays(), 1, 365);
        BigDecimal share = section.money("spam_threshold", BigDecimal.valueOf(d.spamThreshold()));
        double threshold = share.doubleValue();
        if (!(threshold > 0 && threshold <= 1)) {
            section.error("spam_threshold", "must be a share above 0 and at most 1 (such as 0.2), got " + share);
            threshold = d.spamThreshold();
        }
        int minCalls = section.integer("spam_min_calls", d.spamMinCalls(), 1, 1_000_000);
        section.finish();
        return new NumberPolicy(quarantineDays, quietDays, status, windowDays, threshold, minCalls);
    }
}
