package org.callrouter.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.api.sync.RedisCommands;
import org.callrouter.routing.config.ClusterConfig;
import org.callrouter.routing.config.PoolConfig;
import org.callrouter.routing.pool.Allocation;
import org.callrouter.routing.pool.Attribution;
import org.callrouter.routing.pool.PoolSessions;
import org.callrouter.routing.pool.SessionRequest;
import org.callrouter.routing.pool.SharedPoolSessions;
import org.callrouter.server.Await;
import org.callrouter.server.testsupport.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pools' Lua steps ({@code pools.lua}) against a real {@code redis-server}, through
 * {@link SharedPoolSessions} as the tracking listener and the call path use them: the allocation
 * order, one live holder per number while two routers race, lease expiry, the grace window,
 * overflow, the address cap, and keys that expire with their session.
 */
class RedisSharedPoolsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long N1 = 18005550001L;
    private static final long N2 = 18005550002L;
    private static final long N3 = 18005550003L;

    private static RedisServer redis;

    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start(62300, 62399);
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
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private static RedisCommands<String, String> redis() {
        return redis.commands();
    }

    private static PoolConfig pool(int leaseSeconds, int graceSeconds, String overflow, long... numbers) {
        List<String> texts = new ArrayList<>();
        for (long n : numbers) {
            texts.add("+" + n);
        }
        return new PoolConfig("web", "sales", texts, "organic", leaseSeconds, true, false, graceSeconds, overflow,
                List.of("*"), List.of(), Map.of("google", "google_ads"));
    }

    /** A router's pools in Redis: its own {@link RedisSharedCaps} connection, as {@code RouterServer} wires it. */
    private SharedPoolSessions node(String id, PoolConfig pool, int maxPerAddress) {
        RedisSharedCaps caps = RedisSharedCaps.start(new ClusterConfig(redis.uri(), id, 2, 15_000, 2000));
        open.add(caps);
        Await.until(WAIT, caps::connected, () -> "node " + id + " did not connect");
        PoolSessions local = new PoolSessions(null, List.of(pool), maxPerAddress, System.currentTimeMillis());
        open.add(local);
        return new SharedPoolSessions(local, new RedisSharedPools(caps));
    }

    private static long redisMillis() {
        List<String> time = redis().time();
        return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
    }

    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    private static Allocation create(SharedPoolSessions node, String held, String address) {
        return await(node.create("web", held, SessionRequest.EMPTY, address, System.currentTimeMillis()));
    }

    private static SessionRequest visitor(String utmSource, String gclid) {
        return new SessionRequest("https://shop.example/landing", null, utmSource, "cpc", null, null, null, gclid,
                null, null, null, null, null, null, List.of(), Map.of());
    }

    @Test
    void ownNumberFirstThenTheLeastRecentlyReleasedThenNone() {
        SharedPoolSessions node = node("r1", pool(600, 600, null, N1, N2, N3), 10);
        Allocation a = create(node, null, null);
        Allocation b = create(node, null, null);
        assertEquals(Allocation.Status.CREATED, a.status());
        assertEquals("+" + N1, a.number(), "never-held numbers go in list order");
        assertEquals("+" + N2, b.number());

        Allocation renewed = await(node.renew(a.sessionId()));
        assertEquals(Allocation.Status.RENEWED, renewed.status());
        assertEquals(a.number(), renewed.number());
        assertTrue(renewed.expiresAtMs() >= a.expiresAtMs(), "a renewal never shortens the lease");
        assertEquals(Allocation.Status.UNKNOWN_SESSION, await(node.renew("0123456789abcdef0123456789abcdef")).status());
        assertFalse(await(node.pageView("0123456789abcdef0123456789abcdef", "https://shop.example/")));

        Allocation again = create(node, a.sessionId(), null);
        assertEquals(Allocation.Status.KEPT, again.status(), "the visitor's own session keeps its number");
        assertEquals(a.sessionId(), again.sessionId());
        assertEquals(a.number(), again.number());

        assertTrue(await(node.release(b.sessionId())));
        assertTrue(await(node.release(a.sessionId())));
        Allocation c = create(node, null, null);
        assertEquals("+" + N3, c.number(), "a never-held number was freed longest ago");
        Allocation d = create(node, null, null);
        assertEquals(b.number(), d.number(), "then the number released first (b before a)");

        Allocation back = create(node, a.sessionId(), null);
        assertEquals(Allocation.Status.KEPT, back.status(), "a released visitor takes its number back while free");
        assertEquals(a.number(), back.number());
        assertEquals(Allocation.Status.NO_NUMBER, create(node, null, null).status(), "all three held, no overflow");
        assertEquals(Allocation.Status.UNKNOWN_SESSION, await(node.renew(b.sessionId())).status(),
                "b's number went to d: b's session is gone");
    }

    @Test
    void numbersReleasedInOneMillisecondComeBackInTheirReleaseOrder() {
        long[] numbers = new long[6];
        for (int i = 0; i < numbers.length; i++) {
            numbers[i] = 18005552000L + i;
        }
        SharedPoolSessions node = node("r1", pool(600, 600, null, numbers), 10);
        List<Allocation> held = new ArrayList<>();
        for (int i = 0; i < numbers.length; i++) {
            held.add(create(node, null, null));
        }
        List<CompletionStage<Boolean>> releases = new ArrayList<>();
        List<String> order = new ArrayList<>();
        for (int i : new int[] {4, 1, 5, 0, 3, 2}) {
            releases.add(node.release(held.get(i).sessionId())); // sent back to back: one or two ms apart at most
            order.add(held.get(i).number());
        }
        releases.forEach(release -> assertTrue(await(release)));
        List<String> again = new ArrayList<>();
        for (int i = 0; i < numbers.length; i++) {
            again.add(create(node, null, null).number());
        }
        assertEquals(order, again);
    }

    @Test
    void everyNumberHeldGivesTheOverflowNumber() {
        SharedPoolSessions node = node("r1", pool(600, 600, "+18005559999", N1), 10);
        assertEquals(Allocation.Status.CREATED, create(node, null, null).status());
        Allocation overflow = create(node, null, null);
        assertEquals(Allocation.Status.OVERFLOW, overflow.status());
        assertEquals("+18005559999", overflow.number());
        assertNull(overflow.sessionId());
        assertNull(node.attribute(18005559999L), "the overflow number needs no look-up: the local pool answers it");
    }

    @Test
    void twoRoutersRacingForTenNumbersNeverGiveOneNumberToTwoSessions() {
        long[] numbers = new long[10];
        for (int i = 0; i < numbers.length; i++) {
            numbers[i] = 18005551000L + i;
        }
        PoolConfig pool = pool(600, 600, null, numbers);
        SharedPoolSessions r1 = node("r1", pool, 100);
        SharedPoolSessions r2 = node("r2", pool, 100);
        List<CompletionStage<Allocation>> racing = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            long now = System.currentTimeMillis();
            racing.add(r1.create("web", null, SessionRequest.EMPTY, null, now));
            racing.add(r2.create("web", null, SessionRequest.EMPTY, null, now));
        }
        Set<String> given = new HashSet<>();
        int created = 0;
        for (CompletionStage<Allocation> stage : racing) {
            Allocation a = await(stage);
            if (a.status() == Allocation.Status.CREATED) {
                created++;
                assertTrue(given.add(a.number()), a.number() + " given to two live sessions");
            } else {
                assertEquals(Allocation.Status.NO_NUMBER, a.status());
            }
        }
        assertEquals(10, created, "each number once, 50 creations refused");
        assertEquals(10, redis().zcard("cr:{pools}:p:web:lease"));
        assertEquals(0, redis().zcard("cr:{pools}:p:web:free"));
    }

    @Test
    void anEndedLeaseFreesItsNumberAndTheSessionStaysFindableInItsGraceWindow() {
        SharedPoolSessions node = node("r1", pool(1, 600, null, N1), 10);
        Allocation a = await(node.create("web", null, visitor("Google", "gclid-1"), null, System.currentTimeMillis()));
        assertEquals(Allocation.Status.CREATED, a.status());
        assertTrue(await(node.pageView(a.sessionId(), "https://shop.example/pricing")));
        Attribution live = await(node.attribute(N1));
        assertEquals(a.sessionId(), live.sessionId());
        assertEquals("google_ads", live.source(), "the source rule applied to utm_source");
        assertEquals("gclid-1", live.tags().get("gclid"));
        assertEquals("Google", live.tags().get("utm_source"));
        assertEquals(List.of("https://shop.example/landing", "https://shop.example/pricing"), live.pagePath());
        long ttl = redis().pttl(RedisSharedPools.sessionKey(a.sessionId()));
        assertTrue(ttl > 1000 && ttl <= 601_000, "the session key lives for its lease and grace, got " + ttl);

        // Waiting on Redis's clock (a renewal would move the lease on).
        Await.until(WAIT, () -> redisMillis() > a.expiresAtMs(), () -> "Redis time never passed the lease");
        assertEquals(Allocation.Status.UNKNOWN_SESSION, await(node.renew(a.sessionId())).status(),
                "an ended lease is not renewed");
        assertEquals(a.sessionId(), await(node.attribute(N1)).sessionId(), "a call within the grace window finds it");

        Allocation b = create(node, null, null);
        assertEquals(a.number(), b.number(), "the ended lease freed the only number");
        assertEquals(b.sessionId(), await(node.attribute(N1)).sessionId(), "the number's new holder");
        assertEquals(0, redis().exists(RedisSharedPools.sessionKey(a.sessionId())), "a's grace ended with its number");
    }

    @Test
    void afterTheGraceWindowACallFindsOnlyThePoolAndTheSessionKeysAreGone() {
        SharedPoolSessions node = node("r1", pool(1, 1, null, N1), 10);
        Allocation a = await(node.create("web", null, visitor("bing", null), null, System.currentTimeMillis()));
        Await.until(WAIT, () -> await(node.attribute(N1)).sessionId() == null, () -> "the grace window never ended");
        Attribution miss = await(node.attribute(N1));
        assertEquals("organic", miss.source());
        assertEquals(Map.of("pool", "web"), miss.tags());
        Await.until(WAIT, () -> redis().exists(RedisSharedPools.sessionKey(a.sessionId()),
                RedisSharedPools.sessionKey(a.sessionId()) + ":path") == 0, () -> "the session's keys never expired");
    }

    @Test
    void oneAddressHoldsAtMostItsCapAcrossRouters() {
        PoolConfig pool = pool(600, 600, null, N1, N2, N3);
        SharedPoolSessions r1 = node("r1", pool, 2);
        SharedPoolSessions r2 = node("r2", pool, 2);
        Allocation first = create(r1, null, "203.0.113.7");
        assertEquals(Allocation.Status.CREATED, first.status());
        assertEquals(Allocation.Status.CREATED, create(r2, null, "203.0.113.7").status());
        assertEquals(Allocation.Status.ADDRESS_CAP, create(r1, null, "203.0.113.7").status());
        assertEquals(Allocation.Status.CREATED, create(r2, null, "198.51.100.1").status(), "another address");
        assertTrue(await(r2.release(first.sessionId())), "released on the other router");
        assertNotEquals(Allocation.Status.ADDRESS_CAP, create(r2, null, "203.0.113.7").status());
    }

    @Test
    void aPoolWhoseNumbersChangedIsSeededAgainAndKeepsTheLeasesOfNumbersItStillHas() {
        SharedPoolSessions before = node("r1", pool(600, 600, null, N1, N2), 10);
        Allocation a = create(before, null, null);
        assertEquals("+" + N1, a.number());
        SharedPoolSessions after = node("r2", pool(600, 600, null, N1, N3), 10);
        Allocation b = create(after, null, null);
        assertEquals("+" + N3, b.number(), "N2 left the pool, N1 is still a's");
        assertEquals(a.sessionId(), await(after.attribute(N1)).sessionId());
        assertNotNull(redis().get("cr:{pools}:p:web:numbers"));
        assertNull(redis().zscore("cr:{pools}:p:web:free", "+" + N2));
    }
}
