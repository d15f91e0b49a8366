package org.callrouter.loadtest.stats;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** Counts by name (a failure reason, a kind of unexpected message, a retransmitted method), sorted by name. */
public final class Counts {

    private final Map<String, Long> counts = new TreeMap<>();
    private long total;

    /** Counts one occurrence of {@code reason}. */
    public void add(String reason) {
        counts.merge(reason, 1L, Long::sum);
        total++;
    }

    /** Adds every count of {@code other}. */
    public void add(Counts other) {
        other.counts.forEach((reason, n) -> counts.merge(reason, n, Long::sum));
        total += other.total;
    }

    /** The count of {@code reason}, 0 when never counted. */
    public long count(String reason) {
        return counts.getOrDefault(reason, 0L);
    }

    /** The sum of all counts. */
    public long total() {
        return total;
    }

    /** The counts by reason (a read-only view). */
    public Map<String, Long> asMap() {
        return Collections.unmodifiableMap(counts);
    }
}
