package org.callrouter.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.RedisException;
import io.lettuce.core.api.sync.RedisCommands;
import org.callrouter.routing.config.ClusterConfig;
import org.callrouter.routing.store.CallerIndex;
import org.callrouter.routing.store.CallerIndex.Conversion;
import org.callrouter.routing.store.SharedCallers;
import org.callrouter.server.Await;
import org.callrouter.server.testsupport.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The caller index's Lua scripts against a real {@code redis-server}: the repeat caller's last
 * handler within its window, dedupe once per window and side, a repeated call's own conversion,
 * keys that expire when the campaign's longest window ends ({@code forever}: never), two nodes'
 * answers out of order, and a Redis that lost its scripts or is gone.
 */
class RedisSharedCallersTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long HOUR = 3_600_000L;
    private static final long NOW = 1_900_000_000_000L;
    private static final long CALLER = 14_155_550_123L;

    private static RedisServer redis;
    private static RedisSharedCaps node;
    private static SharedCallers callers;

    @BeforeAll
    static void start() {
        redis = RedisServer.start(62100, 62199);
        node = RedisSharedCaps.start(new ClusterConfig(redis.uri(), "n1", 3, 15_000, 1000));
        Await.until(WAIT, node::connected, () -> "node did not connect");
        callers = new RedisSharedCallers(node);
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @BeforeEach
    void clean() {
        redis().flushall();
    }

    private static RedisCommands<String, String> redis() {
        return redis.commands();
    }

    private static <T> T get(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    /** Waits until the steps sent so far ran: they go in order on the node's one connection. */
    private static void settle() {
        get(callers.lastHandler("settle", 0, 0));
    }

    private static SharedCallers.Converted convert(String campaign, CallerIndex.Side side, long callHash, long nowMs,
                                                   long windowMs, long retentionMs) {
        return get(callers.convert(campaign, CALLER, side, callHash, nowMs, windowMs, retentionMs));
    }

    @Test
    void theLastAnsweringHandlerWithinTheWindow() {
        assertNull(get(callers.lastHandler("sales", CALLER, NOW - HOUR)), "a caller never seen");
        callers.recordAnswered("sales", CALLER, "buyer-a", NOW - 30 * 60_000, HOUR);
        callers.recordAnswered("sales", CALLER, "buyer-b", NOW - 10 * 60_000, HOUR);
        assertEquals("buyer-b", get(callers.lastHandler("sales", CALLER, NOW - HOUR)));
        assertNull(get(callers.lastHandler("sales", CALLER, NOW - 5 * 60_000)), "answered before the window");
        assertEquals("buyer-b", get(callers.lastHandler("sales", CALLER, Long.MIN_VALUE)), "a forever window");
        assertNull(get(callers.lastHandler("support", CALLER, NOW - HOUR)), "per campaign");
        assertNull(get(callers.lastHandler("sales", CALLER + 1, NOW - HOUR)), "per caller");
    }

    @Test
    void anEarlierAnswerArrivingLateDoesNotReplaceALaterOne() {
        callers.recordAnswered("sales", CALLER, "buyer-b", NOW, HOUR);
        callers.recordAnswered("sales", CALLER, "buyer-a", NOW - 60_000, HOUR);
        assertEquals("buyer-b", get(callers.lastHandler("sales", CALLER, NOW - HOUR)));
    }

    @Test
    void keysExpireWhenTheLongestWindowEndsAndForeverNever() {
        callers.recordAnswered("sales", CALLER, "buyer-a", NOW, 2 * HOUR);
        callers.recordAnswered("forever", CALLER, "buyer-a", NOW, SharedCallers.FOREVER);
        callers.recordAnswered("postback-only", CALLER, "buyer-a", NOW, 0);
        settle();
        long ttl = redis().pttl(RedisSharedCallers.key("sales", CALLER));
        assertTrue(ttl > 2 * HOUR - 60_000 && ttl <= 2 * HOUR, "ttl " + ttl);
        assertEquals(-1L, redis().pttl(RedisSharedCallers.key("forever", CALLER)), "no expiry");
        long day = redis().pttl(RedisSharedCallers.key("postback-only", CALLER));
        assertTrue(day > RedisSharedCallers.NO_WINDOW_RETENTION_MS - 60_000
                && day <= RedisSharedCallers.NO_WINDOW_RETENTION_MS, "ttl " + day);

        redis().pexpire(RedisSharedCallers.key("sales", CALLER), 1);
        Await.until(WAIT, () -> redis().exists(RedisSharedCallers.key("sales", CALLER)) == 0,
                () -> "the key did not expire");
        assertNull(get(callers.lastHandler("sales", CALLER, Long.MIN_VALUE)), "gone with its key");
    }

    @Test
    void aCallerConvertsOncePerWindowAndSide() {
        SharedCallers.Converted first = convert("sales", CallerIndex.Side.SOURCE, 11, NOW, HOUR, HOUR);
        assertEquals(Conversion.CONVERTED, first.result());
        SharedCallers.Converted again = convert("sales", CallerIndex.Side.SOURCE, 12, NOW + HOUR - 1, HOUR, HOUR);
        assertEquals(Conversion.DEDUPED, again.result());
        assertEquals(NOW, again.earlierMs());
        assertEquals(Conversion.CONVERTED, convert("sales", CallerIndex.Side.HANDLER, 12, NOW + 1, HOUR, HOUR).result(),
                "the other side has its own window");
        assertEquals(Conversion.CONVERTED, convert("sales", CallerIndex.Side.SOURCE, 13, NOW + HOUR, HOUR, HOUR).result(),
                "the window is over");
        assertEquals(Conversion.DEDUPED,
                convert("sales", CallerIndex.Side.SOURCE, 14, NOW + 2 * HOUR - 1, HOUR, HOUR).result());
    }

    @Test
    void theSameCallConvertingAgainIsRecognised() {
        assertEquals(Conversion.CONVERTED, convert("sales", CallerIndex.Side.HANDLER, 42, NOW, 0, 0).result());
        SharedCallers.Converted repeated = convert("sales", CallerIndex.Side.HANDLER, 42, NOW + 5000, 0, 0);
        assertEquals(Conversion.SAME_CALL, repeated.result());
        assertEquals(NOW, repeated.earlierMs());
        assertEquals(Conversion.CONVERTED, convert("sales", CallerIndex.Side.HANDLER, 43, NOW + 6000, 0, 0).result(),
                "without a window another call always converts");
    }

    @Test
    void aForeverWindowDedupesForeverAndItsKeyNeverExpires() {
        long forever = SharedCallers.FOREVER;
        assertEquals(Conversion.CONVERTED, convert("sales", CallerIndex.Side.SOURCE, 1, NOW, forever, forever).result());
        assertEquals(Conversion.DEDUPED,
                convert("sales", CallerIndex.Side.SOURCE, 2, NOW + 400L * 86_400_000L, forever, forever).result());
        assertEquals(-1L, redis().pttl(RedisSharedCallers.key("sales", CALLER)));
        callers.recordAnswered("sales", CALLER, "buyer-a", NOW, HOUR);
        settle();
        assertTrue(redis().pttl(RedisSharedCallers.key("sales", CALLER)) > 0,
                "a campaign whose windows shrank since gives its keys an expiry again");
    }

    @Test
    void aRedisThatLostItsScriptsIsSentThemAgain() {
        redis().scriptFlush();
        assertEquals(Conversion.CONVERTED, convert("sales", CallerIndex.Side.SOURCE, 1, NOW, HOUR, HOUR).result());
        callers.recordAnswered("sales", CALLER, "buyer-a", NOW, HOUR);
        assertEquals("buyer-a", get(callers.lastHandler("sales", CALLER, NOW - HOUR)));
    }

    @Test
    void aRedisThatIsGoneFailsTheStepAndCountsIt() {
        try (RedisServer gone = RedisServer.start(62100, 62199);
             RedisSharedCaps other = RedisSharedCaps.start(new ClusterConfig(gone.uri(), "n2", 3, 15_000, 1000))) {
            Await.until(WAIT, other::connected, () -> "node did not connect");
            SharedCallers lost = new RedisSharedCallers(other);
            gone.kill();
            Await.until(WAIT, () -> !other.connected(), () -> "the node did not see Redis go");
            ExecutionException e = assertThrows(ExecutionException.class, () -> lost.lastHandler("sales", CALLER, 0)
                    .toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            assertInstanceOf(RedisException.class, e.getCause());
            assertThrows(ExecutionException.class, () -> lost.convert("sales", CALLER, CallerIndex.Side.SOURCE, 1, NOW,
                    HOUR, HOUR).toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            assertEquals(1, other.stats().errors(ClusterStats.Step.REPEAT) + other.stats().timeouts(ClusterStats.Step.REPEAT));
            assertEquals(1, other.stats().errors(ClusterStats.Step.DEDUPE) + other.stats().timeouts(ClusterStats.Step.DEDUPE));
        }
    }
}
