package org.callrouter.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.api.sync.RedisCommands;
import org.callrouter.routing.caps.CapCounters;
import org.callrouter.routing.caps.CapWindow;
import org.callrouter.routing.caps.SharedCaps;
import org.callrouter.routing.caps.WindowClock;
import org.callrouter.routing.config.CapTrigger;
import org.callrouter.routing.config.Caps;
import org.callrouter.routing.config.ClusterConfig;
import org.callrouter.server.Await;
import org.callrouter.server.testsupport.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Lua scripts of the cluster's caps against a real {@code redis-server}: windows, triggers
 * and holds as {@link CapCounters} has them, keys that expire when their window ends, the lease
 * of a node that stops renewing, a Redis that lost its scripts, and one that is gone.
 */
class RedisSharedCapsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int NONE = Caps.NONE;
    /** Mid-hour, two days ahead: the windows cannot roll over under the test, and end in the future. */
    private static final long NOW_MS = Instant.now().plus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS)
            .plus(30, ChronoUnit.MINUTES).toEpochMilli();

    private static RedisServer redis;

    private final long[] windows = new long[4];
    private final long[] ends = new long[4];

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @BeforeEach
    void clean() {
        redis().flushall();
        WindowClock clock = new WindowClock(ZoneId.of("America/New_York"));
        clock.windowIds(NOW_MS, windows);
        clock.windowEnds(NOW_MS, ends);
    }

    private static RedisCommands<String, String> redis() {
        return redis.commands();
    }

    private static ClusterConfig node(String id, int leaseMs) {
        return new ClusterConfig(redis.uri(), id, 3, leaseMs, Math.min(1000, leaseMs / 3));
    }

    private static RedisSharedCaps connected(ClusterConfig config) {
        RedisSharedCaps caps = RedisSharedCaps.start(config);
        Await.until(WAIT, caps::connected, () -> "node " + config.nodeId() + " did not connect");
        return caps;
    }

    private SharedCaps.Acquired acquire(SharedCaps caps, String handler, Caps limits) {
        boolean commitNow = limits.trigger() == CapTrigger.ROUTED;
        try {
            return caps.acquire(handler, windows, ends, limits, commitNow, CapCounters.windowed(limits) && !commitNow)
                    .toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Waits until the node's steps sent so far ran: they go in order on its connection, so its
     * next acquire (answered) comes after them; the inspecting connection needs this to read them.
     */
    private void settle(SharedCaps node) {
        acquire(node, "settle", Caps.UNLIMITED);
    }

    @Test
    void routedCallsCountInEveryWindowAndReleasingGivesBackOnlyConcurrency() {
        Caps caps = new Caps(2, 3, NONE, NONE, NONE, CapTrigger.ROUTED);
        try (RedisSharedCaps node = connected(node("n1", 15_000))) {
            SharedCaps.Acquired first = acquire(node, "h", caps);
            SharedCaps.Acquired second = acquire(node, "h", caps);
            assertEquals(CapCounters.GRANTED, first.result());
            assertEquals(CapCounters.GRANTED, second.result());
            assertEquals(CapCounters.CONCURRENCY, acquire(node, "h", caps).result());
            first.slot().release(false);
            assertEquals(CapCounters.GRANTED, acquire(node, "h", caps).result(), "a released slot is free again");
            second.slot().release(false);
            assertEquals(CapWindow.HOURLY.ordinal(), acquire(node, "h", caps).result(), "3 routed calls fill hourly 3");
            assertNull(acquire(node, "h", caps).slot());
            for (CapWindow w : CapWindow.values()) {
                assertEquals("3", redis().get(key("n:", w)), w + " counts every routed call");
            }
        }
    }

    @Test
    void holdsCountFromSelectionAndTurnIntoCountsOnlyWhenCommitted() {
        Caps caps = new Caps(NONE, NONE, 2, NONE, NONE, CapTrigger.CONNECTED);
        try (RedisSharedCaps node = connected(node("n1", 15_000))) {
            SharedCaps.Acquired unanswered = acquire(node, "h", caps);
            SharedCaps.Acquired answered = acquire(node, "h", caps);
            assertEquals(CapWindow.DAILY.ordinal(), acquire(node, "h", caps).result(), "two ringing calls hold daily 2");
            unanswered.slot().release(true);
            answered.slot().commitHold();
            answered.slot().release(false);
            settle(node);
            assertEquals("1", redis().get(key("n:", CapWindow.DAILY)));
            assertEquals(0, redis().zcard(key("p:", CapWindow.DAILY)), "no hold left pending");
            assertEquals(CapCounters.GRANTED, acquire(node, "h", caps).result(), "the dropped hold gave its room back");
            assertEquals(CapWindow.DAILY.ordinal(), acquire(node, "h", caps).result());
        }
    }

    @Test
    void windowCountsExpireWhenTheirWindowEndsAndTotalNever() {
        Caps caps = new Caps(NONE, 5, 5, 5, 5, CapTrigger.ROUTED);
        try (RedisSharedCaps node = connected(node("n1", 15_000))) {
            acquire(node, "h", caps).slot().release(false);
            for (CapWindow w : List.of(CapWindow.HOURLY, CapWindow.DAILY, CapWindow.MONTHLY)) {
                assertEquals(ends[w.ordinal()], (long) redis().pexpiretime(key("n:", w)), w + " expires at its end");
            }
            assertEquals(-1L, (long) redis().pexpiretime(key("n:", CapWindow.TOTAL)), "total never expires");
            windows[CapWindow.HOURLY.ordinal()] += 60;
            assertEquals(CapCounters.GRANTED, acquire(node, "h", caps).result());
            assertEquals("1", redis().get(key("n:", CapWindow.HOURLY)), "the next hour starts at zero");
            assertEquals("2", redis().get(key("n:", CapWindow.DAILY)));
        }
    }

    @Test
    void aNodeThatStopsRenewingLosesItsSlotsAfterOneLeaseWhileALiveNodeKeepsItsOwn() {
        Caps caps = new Caps(2, NONE, NONE, NONE, 10, CapTrigger.CONNECTED);
        RedisSharedCaps dying = connected(node("dying", 300));
        try (RedisSharedCaps living = connected(node("living", 3000))) {
            assertEquals(CapCounters.GRANTED, acquire(dying, "h", caps).result());
            assertEquals(CapCounters.GRANTED, acquire(living, "h", caps).result());
            assertEquals(CapCounters.CONCURRENCY, acquire(living, "h", caps).result());
            dying.close();
            // Observed, not slept: wait until Redis's own clock passes the dead slot's lease.
            String dead = redis().zrange(CapKeys.live("h"), 0, -1).stream().filter(s -> s.startsWith("dying:"))
                    .findFirst().orElseThrow();
            double expiry = redis().zscore(CapKeys.live("h"), dead);
            Await.until(WAIT, () -> redisMillis() > expiry, () -> "Redis time never passed the lease");
            assertEquals(CapCounters.GRANTED, acquire(living, "h", caps).result(), "the dead node's slot is free");
            assertEquals(CapCounters.CONCURRENCY, acquire(living, "h", caps).result(), "the living node's slots hold");
            assertNull(redis().zscore(key("p:", CapWindow.TOTAL), dead), "the dead slot's holds went with it");
        }
    }

    private static long redisMillis() {
        List<String> time = redis().time();
        return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
    }

    @Test
    void renewalsMoveTheLeaseOn() {
        Caps caps = new Caps(1, NONE, NONE, NONE, NONE, CapTrigger.ROUTED);
        try (RedisSharedCaps node = connected(node("n1", 600))) {
            assertEquals(CapCounters.GRANTED, acquire(node, "h", caps).result());
            String slot = redis().zrange(CapKeys.live("h"), 0, -1).get(0);
            double first = redis().zscore(CapKeys.live("h"), slot);
            Await.until(WAIT, () -> redis().zscore(CapKeys.live("h"), slot) > first, () -> "the lease was never renewed");
        }
    }

    @Test
    void aRedisThatLostItsScriptsGetsThemAgain() {
        Caps caps = new Caps(NONE, 1, NONE, NONE, NONE, CapTrigger.ROUTED);
        try (RedisSharedCaps node = connected(node("n1", 15_000))) {
            assertEquals(CapCounters.GRANTED, acquire(node, "h", caps).result());
            redis().scriptFlush();
            assertEquals(CapWindow.HOURLY.ordinal(), acquire(node, "h", caps).result());
        }
    }

    @Test
    void aRedisThatIsGoneFailsEachStepInsteadOfHanging() {
        try (RedisServer own = RedisServer.start();
             RedisSharedCaps node = connected(new ClusterConfig(own.uri(), "n1", 3, 900, 300))) {
            own.kill();
            Caps caps = new Caps(1, NONE, NONE, NONE, NONE, CapTrigger.ROUTED);
            ExecutionException failed = assertThrows(ExecutionException.class, () -> node.acquire("h", windows, ends,
                    caps, true, false).toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            assertNotNull(failed.getCause());
            assertTrue(node.stats().errors(ClusterStats.Step.ACQUIRE) + node.stats().timeouts(ClusterStats.Step.ACQUIRE)
                    > 0, "the failure is counted");
        }
    }

    private String key(String kind, CapWindow w) {
        return "cr:{h}:" + kind + w.capName() + ":" + windows[w.ordinal()];
    }
}
