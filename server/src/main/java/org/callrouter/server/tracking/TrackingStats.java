package org.callrouter.server.tracking;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the tracking listener counts, for metrics: requests by the status answered, requests
 * refused by a rate limit by scope, and the landing-page script's failure reports by pool. Owned
 * by {@code RouterServer}, so the counts outlive a reload and a restart of the listener; written
 * on the tracking event loop, read by metrics from any thread.
 */
public final class TrackingStats {

    /** The statuses the listener answers, each with its own {@code callrouter_tracking_requests_total}. */
    public static final List<Integer> STATUSES = List.of(200, 204, 304, 400, 403, 404, 405, 413, 429, 500, 503);

    /** Which rate limit refused a request. */
    public enum Scope {
        ADDRESS("address"), POOL("pool");

        private final String label;

        Scope(String label) {
            this.label = label;
        }

        /** The metric tag's value. */
        public String label() {
            return label;
        }
    }

    private final AtomicLongArray byStatus = new AtomicLongArray(600);
    private final AtomicLongArray rateLimited = new AtomicLongArray(Scope.values().length);
    private final ConcurrentHashMap<String, LongAdder> scriptFailures = new ConcurrentHashMap<>();

    void answered(int status) {
        byStatus.incrementAndGet(status);
    }

    void refused(Scope scope) {
        rateLimited.incrementAndGet(scope.ordinal());
    }

    /** Counts a failure report of a pool that exists (so the map is bounded by the configuration). */
    void scriptFailure(String pool) {
        scriptFailures.computeIfAbsent(pool, p -> new LongAdder()).increment();
    }

    /** Requests answered with {@code status} since start. */
    public long requests(int status) {
        return byStatus.get(status);
    }

    /** Requests refused by the {@code scope} rate limit since start. */
    public long rateLimited(Scope scope) {
        return rateLimited.get(scope.ordinal());
    }

    /** Failure reports the script sent for {@code pool} since start. */
    public long scriptFailures(String pool) {
        final LongAdder count = scriptFailures.get(pool);
        return count == null ? 0 : count.sum();
    }
}
