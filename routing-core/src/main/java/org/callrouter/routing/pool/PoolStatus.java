package org.callrouter.routing.pool;

/**
 * A pool's state and counters since the router started (counters survive reloads).
 *
 * @param pool               pool id
 * @param campaign           its campaign
 * @param size               numbers in the pool (the overflow number not included)
 * @param held               numbers held by a live lease
 * @param free               numbers a new visitor can get
 * @param sessionsCreated    sessions created
 * @param renewals           leases extended
 * @param exhausted          requests that found every number held (overflow or no number)
 * @param addressCapRefusals requests refused by {@code max_sessions_per_address}
 * @param attributionHits    calls to a pool number that found a session
 * @param attributionMisses  calls to a pool number (or the overflow number) that found none
 */
public record PoolStatus(String pool, String campaign, int size, int held, int free,
                         long sessionsCreated, long renewals, long exhausted, long addressCapRefusals,
                         long attributionHits, long attributionMisses) {
}
