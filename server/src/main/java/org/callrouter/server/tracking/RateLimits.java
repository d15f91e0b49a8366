package org.callrouter.server.tracking;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.local.SynchronizationStrategy;
import org.callrouter.routing.config.ServerSettings.Tracking.Rate;

/**
 * The tracking listener's rate limits: a Bucket4j token bucket per client address and one per
 * pool ({@code server.tracking.rate}). A request takes one token from its address's bucket and,
 * on a pool route, one from the pool's; an empty bucket answers how long until the next token
 * (for {@code Retry-After}).
 *
 * <p>Address buckets are kept for the {@value #MAX_ADDRESSES} addresses seen most recently (an
 * access-ordered map drops the oldest), so memory stays bounded whoever calls; an address
 * dropped comes back with a full bucket, which only an attacker with more than that many
 * addresses in play can use, and the per-pool bucket still caps them together. Pool buckets are
 * made only for pools that exist ({@link #pool} is asked after the pool is found), so their
 * number is bounded by the configuration.
 *
 * <p>Confined to the tracking event loop (one thread), hence plain maps and buckets without
 * synchronisation ({@link SynchronizationStrategy#NONE}).
 */
final class RateLimits {

    /** Client addresses whose buckets are kept. */
    static final int MAX_ADDRESSES = 65_536;
    /** {@link #take}'s answer when a token was taken. */
    static final long ALLOWED = 0;

    private final Rate rate;
    private final TimeMeter time;
    private final Map<String, Bucket> addresses = new LinkedHashMap<>(1024, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };
    private final Map<String, Bucket> pools = new HashMap<>();

    RateLimits(Rate rate, TimeMeter time) {
        this.rate = rate;
        this.time = time;
    }

    Rate rate() {
        return rate;
    }

    /**
     * Takes a token from {@code client}'s bucket: {@link #ALLOWED}, or the nanoseconds until
     * the bucket has one again.
     */
    long address(String client) {
        return take(addresses.computeIfAbsent(client, c -> bucket(rate.perAddressPerSecond(), rate.perAddressBurst())));
    }

    /** As {@link #address}, for a pool that exists. */
    long pool(String poolId) {
        return take(pools.computeIfAbsent(poolId, p -> bucket(rate.perPoolPerSecond(), rate.perPoolBurst())));
    }

    /** Addresses whose buckets are kept now. */
    int addressesKept() {
        return addresses.size();
    }

    private static long take(Bucket bucket) {
        final ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? ALLOWED : Math.max(1, probe.getNanosToWaitForRefill());
    }

    private Bucket bucket(int perSecond, int burst) {
        // Greedy refill: tokens come back spread over the second, not all at its end, so a
        // client at the steady rate is never refused.
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(burst).refillGreedy(perSecond, Duration.ofSeconds(1)))
                .withCustomTimePrecision(time)
                .withSynchronizationStrategy(SynchronizationStrategy.NONE)
                .build();
    }

    /** {@code Retry-After} in whole seconds (RFC 9110 10.2.3) for a wait of {@code nanos}: rounded up, at least 1. */
    static String retryAfterSeconds(long nanos) {
        return Long.toString(Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L));
    }
}
