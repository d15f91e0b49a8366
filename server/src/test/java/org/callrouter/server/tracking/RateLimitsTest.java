package org.callrouter.server.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.callrouter.routing.config.ServerSettings;
import org.junit.jupiter.api.Test;

class RateLimitsTest {

    private final SteppedTime time = new SteppedTime();
    private final RateLimits limits = new RateLimits(new ServerSettings.Tracking.Rate(2, 4, 10, 10), time);

    @Test
    void anAddressGetsItsBurstThenWaitsForTheRefill() {
        for (int i = 0; i < 4; i++) {
            assertEquals(RateLimits.ALLOWED, limits.address("192.0.2.1"), "request " + i + " of the burst");
        }
        final long wait = limits.address("192.0.2.1");
        assertEquals(500_000_000L, wait, "2 a second: the next token in half a second");
        assertEquals("1", RateLimits.retryAfterSeconds(wait));
        assertEquals(RateLimits.ALLOWED, limits.address("192.0.2.2"), "another address has its own bucket");
        time.nanos += 500_000_000L;
        assertEquals(RateLimits.ALLOWED, limits.address("192.0.2.1"));
        assertTrue(limits.address("192.0.2.1") > 0);
    }

    @Test
    void poolsHaveTheirOwnBuckets() {
        for (int i = 0; i < 10; i++) {
            assertEquals(RateLimits.ALLOWED, limits.pool("solar-web"));
        }
        assertEquals(100_000_000L, limits.pool("solar-web"));
        assertEquals(RateLimits.ALLOWED, limits.pool("roof-web"));
    }

    @Test
    void addressBucketsAreBoundedAndTheOldestIsForgotten() {
        for (int i = 0; i < 4; i++) {
            limits.address("198.51.100.1");
        }
        assertTrue(limits.address("198.51.100.1") > 0);
        for (int i = 0; i < RateLimits.MAX_ADDRESSES; i++) {
            limits.address("10." + (i >> 16) + "." + ((i >> 8) & 0xff) + "." + (i & 0xff));
        }
        assertEquals(RateLimits.MAX_ADDRESSES, limits.addressesKept());
        assertEquals(RateLimits.ALLOWED, limits.address("198.51.100.1"), "forgotten, so a full bucket again");
        assertEquals(RateLimits.MAX_ADDRESSES, limits.addressesKept());
    }

    @Test
    void retryAfterRoundsUpToWholeSeconds() {
        assertEquals("1", RateLimits.retryAfterSeconds(1));
        assertEquals("1", RateLimits.retryAfterSeconds(1_000_000_000L));
        assertEquals("2", RateLimits.retryAfterSeconds(1_000_000_001L));
    }
}
