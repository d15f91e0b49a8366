package org.callrouter.loadtest.stats;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** Counts by name (a failure reason, a kind of unexpected message, a retransmitted method), sorted by name. */
public final class Counts {

    private final Map<String, Long> counts = new TreeMap<>();

    /** Counts one occurrence of {@code name}. */
    public void add(String name) {
        counts.merge(name, 1L, Long::sum);
    }

    /** Adds every count of {@code other}. */
    public void add(Counts other) {
        other.counts.forEach((name, n) -> counts.merge(name, n, Long::sum));
    }

    /** The counts by name (a read-only view). */
    public Map<String, Long> asMap() {
        return Collections.unmodifiableMap(counts);
    }
}
