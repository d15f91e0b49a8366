package org.callrouter.server.admin;

import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.bucket4j.Bucket;

/**
 * Slows down guessing on {@code POST /postback/<call id>}, the route a call's key alone
 * authorises: each client address may be refused (a wrong key or an unknown call) at most
 * {@value #REFUSALS} times, one more allowed every {@value #REFILL_SECONDS} s / {@value #REFUSALS};
 * past that every postback from the address is answered {@code 429} until the bucket refills.
 * Good keys cost nothing. A Bucket4j token bucket per address, for the
 * {@value #MAX_CLIENTS} addresses refused most recently (the oldest is forgotten first), so
 * the guard's memory is bounded whoever calls.
 */
final class PostbackGuard {

    static final int REFUSALS = 10;
    static final int REFILL_SECONDS = 60;
    static final int MAX_CLIENTS = 10_000;

    private final Map<InetAddress, Bucket> buckets = new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, Bucket> eldest) {
            return size() > MAX_CLIENTS;
        }
    };

    /** Whether {@code client} may try a postback now (it has refusals left). */
    synchronized boolean allowed(InetAddress client) {
        final Bucket bucket = buckets.get(client);
        return bucket == null || bucket.getAvailableTokens() > 0;
    }

    /** Counts a refused postback of {@code client}. */
    synchronized void refused(InetAddress client) {
        buckets.computeIfAbsent(client, c -> Bucket.builder()
                .addLimit(limit -> limit.capacity(REFUSALS).refillGreedy(REFUSALS, Duration.ofSeconds(REFILL_SECONDS)))
                .build()).tryConsume(1);
    }

    /** Seconds until {@code client} may try again (for {@code Retry-After}). */
    static String retryAfterSeconds() {
        return Integer.toString(Math.max(1, REFILL_SECONDS / REFUSALS));
    }
}
