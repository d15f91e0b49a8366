package org.callrouter.routing.pool;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.callrouter.routing.config.PoolConfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoolSessionsTest {

    static final long T0 = 1_767_000_000_000L;
    static final long MINUTE = 60_000;
    static final String A = "+18005550200";
    static final String B = "+18005550201";
    static final String C = "+18005550202";
    static final String OVERFLOW = "+18005550299";

    /** A pool of {@code numbers} with a 30-minute lease, a 10-minute grace window and the overflow number. */
    static PoolConfig pool(String id, List<String> numbers, boolean renew, boolean releaseOnCallEnd, String overflow) {
        return new PoolConfig(id, "solar", numbers, "web", 1800, renew, releaseOnCallEnd, 600, overflow,
                List.of("https://solar.example"), List.of("keyword"), Map.of("google", "google-ads"));
    }

    static PoolConfig pool(List<String> numbers) {
        return pool("web", numbers, true, false, OVERFLOW);
    }

    static SessionRequest request(String utmSource, String gclid) {
        return new SessionRequest("https://solar.example/landing?gclid=" + gclid, "https://www.google.com/",
                utmSource, "cpc", "spring", "solar panels", null, gclid, null, null, null, null, "GA1.1.42", null,
                List.of("r-1"), Map.of("keyword", "solar"));
    }

    private static long e164(String number) {
        return Long.parseLong(number.substring(1));
    }

    @Test
    void aVisitorGetsItsHeldNumberElseTheLeastRecentlyUsedElseOverflow() {
        PoolSessions pools = new PoolSessions(null, List.of(pool(List.of(A, B, C))), 20, T0);
        Allocation first = pools.create("web", null, request("google", "g1"), "10.0.0.1", T0);
        assertEquals(Allocation.Status.CREATED, first.status());
        assertEquals(A, first.number(), "never used numbers go in file order");
        assertEquals(T0 + 30 * MINUTE, first.expiresAtMs());
        assertTrue(first.sessionId().matches("[0-9a-f]{32}"), first.sessionId());

        Allocation again = pools.create("web", first.sessionId(), request("google", "g1"), "10.0.0.1", T0 + MINUTE);
        assertEquals(new Allocation(Allocation.Status.KEPT, first.sessionId(), A, T0 + 31 * MINUTE), again);

        Allocation second = pools.create("web", null, request(null, null), "10.0.0.2", T0 + MINUTE);
        Allocation third = pools.create("web", "0123456789abcdef0123456789abcdef", request(null, null), "10.0.0.3",
                T0 + MINUTE);
        assertEquals(List.of(B, C), List.of(second.number(), third.number()), "an unknown held session gets a new one");
        assertNotEquals(second.sessionId(), third.sessionId());

        Allocation full = pools.create("web", null, request(null, null), "10.0.0.4", T0 + 2 * MINUTE);
        assertEquals(new Allocation(Allocation.Status.OVERFLOW, null, OVERFLOW, T0 + 3 * MINUTE), full);

        // C is released first, then A: C's lease ended longest ago, so it goes first.
        assertTrue(pools.release(third.sessionId(), T0 + 3 * MINUTE));
        assertTrue(pools.release(first.sessionId(), T0 + 4 * MINUTE));
        assertFalse(pools.release(first.sessionId(), T0 + 4 * MINUTE), "released once");
        assertEquals(C, pools.create("web", null, request(null, null), "10.0.0.5", T0 + 5 * MINUTE).number());
        assertEquals(A, pools.create("web", null, request(null, null), "10.0.0.6", T0 + 5 * MINUTE).number());

        PoolStatus status = pools.status(T0 + 5 * MINUTE).get(0);
        assertEquals(new PoolStatus("web", "solar", 3, 3, 0, 5, 0, 1, 0, 0, 0), status);
        assertEquals(Allocation.Status.UNKNOWN_POOL, pools.create("nope", null, request(null, null), null, T0).status());
        assertNull(pools.pool("nope"));
    }

    @Test
    void withoutAnOverflowNumberAFullPoolHasNoNumber() {
        PoolSessions pools = new PoolSessions(null, List.of(pool("web", List.of(A), true, false, null)), 20, T0);
        pools.create("web", null, request(null, null), "10.0.0.1", T0);
        assertEquals(Allocation.of(Allocation.Status.NO_NUMBER),
                pools.create("web", null, request(null, null), "10.0.0.2", T0));
        assertEquals(1, pools.status(T0).get(0).exhausted());
    }

    @Test
    void leasesEndUnlessRenewed() {
        PoolSessions pools = new PoolSessions(null, List.of(pool(List.of(A, B))), 20, T0);
        Allocation a = pools.create("web", null, request(null, null), "10.0.0.1", T0);
        Allocation b = pools.create("web", null, request(null, null), "10.0.0.2", T0);
        Allocation renewed = pools.renew(a.sessionId(), T0 + 20 * MINUTE);
        assertEquals(new Allocation(Allocation.Status.RENEWED, a.sessionId(), A, T0 + 50 * MINUTE), renewed);

        long afterB = T0 + 30 * MINUTE;
        assertEquals(Allocation.Status.UNKNOWN_SESSION, pools.renew(b.sessionId(), afterB).status(), "b's lease ended");
        assertFalse(pools.pageView(b.sessionId(), "https://solar.example/p2", afterB));
        PoolStatus status = pools.status(afterB).get(0);
        assertEquals(1, status.held());
        assertEquals(1, status.free());
        assertEquals(1, status.renewals());
        assertEquals(B, pools.create("web", null, request(null, null), "10.0.0.3", afterB).number());
        assertEquals(Allocation.Status.UNKNOWN_SESSION, pools.renew("not-an-id", T0).status());
        assertEquals(Allocation.Status.UNKNOWN_SESSION, pools.renew(null, T0).status());
    }

    @Test
    void aPoolWithoutRenewKeepsTheFirstLeaseEnd() {
        PoolSessions pools = new PoolSessions(null, List.of(pool("web", List.of(A), false, false, null)), 20, T0);
        Allocation a = pools.create("web", null, request(null, null), "10.0.0.1", T0);
        assertEquals(T0 + 30 * MINUTE, pools.renew(a.sessionId(), T0 + 10 * MINUTE).expiresAtMs());
        assertEquals(T0 + 30 * MINUTE, pools.create("web", a.sessionId(), request(null, null), "10.0.0.1",
                T0 + 10 * MINUTE).expiresAtMs());
        assertEquals(0, pools.status(T0).get(0).renewals());
    }

    @Test
    void aCallWithinTheGraceWindowFindsTheSessionAndTheNumberWaits() {
        PoolSessions pools = new PoolSessions(null, List.of(pool(List.of(A, B))), 20, T0);
        Allocation a = pools.create("web", null, request("google", "g1"), "10.0.0.1", T0);
        Attribution held = pools.attribute(e164(A), T0 + MINUTE);
        assertEquals(a.sessionId(), held.sessionId());

        long leaseEnd = T0 + 30 * MINUTE;
        assertEquals(a.sessionId(), pools.attribute(e164(A), leaseEnd + 9 * MINUTE).sessionId(), "within 10 minutes");
        // A is inside a's grace window and B is free: the new visitor gets B.
        Allocation b = pools.create("web", null, request(null, null), "10.0.0.2", leaseEnd + 5 * MINUTE);
        assertEquals(B, b.number());
        Attribution after = pools.attribute(e164(A), leaseEnd + 10 * MINUTE);
        assertNull(after.sessionId(), "the grace window has passed");
        assertEquals(Map.of("pool", "web"), after.tags());

        PoolStatus status = pools.status(leaseEnd + 10 * MINUTE).get(0);
        assertEquals(1, pools.sessionCount(), "a's session is forgotten once its grace window passed");
        assertEquals(2, status.attributionHits());
        assertEquals(1, status.attributionMisses());
        assertNull(pools.attribute(e164("+18005550999"), T0), "not a pool number");
    }

    @Test
    void whenEveryFreeNumberIsInAGraceWindowTheOneFreedFirstGoesAndItsOldSessionIsForgotten() {
        PoolSessions pools = new PoolSessions(null, List.of(pool(List.of(A, B))), 20, T0);
        Allocation a = pools.create("web", null, request(null, null), "10.0.0.1", T0);
        Allocation b = pools.create("web", null, request(null, null), "10.0.0.2", T0);
        pools.release(b.sessionId(), T0 + MINUTE);
        pools.release(a.sessionId(), T0 + 2 * MINUTE);
        Allocation c = pools.create("web", null, request(null, null), "10.0.0.3", T0 + 3 * MINUTE);
        assertEquals(B, c.number());
        assertEquals(c.sessionId(), pools.attribute(e164(B), T0 + 3 * MINUTE).sessionId());
        assertEquals(a.sessionId(), pools.attribute(e164(A), T0 + 3 * MINUTE).sessionId(), "A is still in a's window");
        assertEquals(2, pools.sessionCount());
    }

    @Test
    void aReturningVisitorTakesBackItsNumberIfNoOneElseGotIt() {
        PoolSessions pools = new PoolSessions(null, List.of(pool(List.of(A, B))), 20, T0);
        Allocation a = pools.create("web", null, request(null, null), "10.0.0.1", T0);
        pools.release(a.sessionId(), T0 + MINUTE);
        Allocation back = pools.create("web", a.sessionId(), request(null, null), "10.0.0.1", T0 + 2 * MINUTE);
        assertEquals(new Allocation(Allocation.Status.KEPT, a.sessionId(), A, T0 + 32 * MINUTE), back);
        assertEquals(1, pools.status(T0 + 2 * MINUTE).get(0).held());
    }

    @Test
    void oneAddressCannotDrainThePool() {
        PoolSessions pools = new PoolSessions(null, List.of(pool(List.of(A, B, C))), 2, T0);
        Allocation first = pools.create("web", null, request(null, null), "203.0.113.9", T0);
        pools.create("web", null, request(null, null), "203.0.113.9", T0);
        assertEquals(Allocation.of(Allocation.Status.ADDRESS_CAP),
                pools.create("web", null, request(null, null), "203.0.113.9", T0));
        assertEquals(Allocation.Status.KEPT,
                pools.create("web", first.sessionId(), request(null, null), "203.0.113.9", T0).status(),
                "the visitor's own session is no new session");
        assertEquals(C, pools.create("web", null, request(null, null), "198.51.100.1", T0).number());
        pools.reconfigure(List.of(pool(List.of(A, B, C))), 2, T0);
        assertEquals(Allocation.Status.ADDRESS_CAP,
                pools.create("web", null, request(null, null), "203.0.113.9", T0).status(),
                "the live sessions per address are counted again when the pools are rebuilt");
        pools.release(first.sessionId(), T0 + MINUTE);
        assertEquals(A, pools.create("web", null, request(null, null), "203.0.113.9", T0 + MINUTE).number());
        assertEquals(2, pools.status(T0).get(0).addressCapRefusals());
    }

    @Test
    void attributionCarriesTheVisitorsTagsSourceAndPagePath() {
        PoolSessions pools = new PoolSessions(null, List.of(pool(List.of(A))), 20, T0);
        Allocation a = pools.create("web", null, request("Google", "g-123"), "10.0.0.1", T0);
        for (int i = 1; i <= 25; i++) {
            assertTrue(pools.pageView(a.sessionId(), "https://solar.example/p" + i, T0 + i));
        }
        assertFalse(pools.pageView(a.sessionId(), "https://solar.example/\u0000", T0 + 30), "control characters");
        Attribution found = pools.attribute(e164(A), T0 + MINUTE);
        assertEquals("google-ads", found.source(), "source_rule on utm_source, case-insensitive");
        assertEquals("solar", found.campaign());
        assertEquals(Map.ofEntries(Map.entry("pool", "web"), Map.entry("utm_source", "Google"),
                Map.entry("utm_medium", "cpc"), Map.entry("utm_campaign", "spring"), Map.entry("utm_term", "solar panels"),
                Map.entry("gclid", "g-123"), Map.entry("ga_client_id", "GA1.1.42"), Map.entry("ref1", "r-1"),
                Map.entry("landing_page", "https://solar.example/landing?gclid=g-123"),
                Map.entry("referrer", "https://www.google.com/"), Map.entry("visitor_session", a.sessionId()),
                Map.entry("keyword", "solar")), found.tags());
        List<String> path = new ArrayList<>();
        for (int i = 6; i <= 25; i++) {
            path.add("https://solar.example/p" + i);
        }
        assertEquals(path, found.pagePath(), "the last 20 page views, oldest first");

        Attribution overflow = pools.attribute(e164(OVERFLOW), T0);
        assertTrue(overflow.exhausted());
        assertEquals(Map.of("pool", "web", "pool_exhausted", "true"), overflow.tags());
        assertEquals("web", overflow.source());
    }

    @Test
    void requestsOutOfBoundsAreNamed() {
        PoolConfig pool = pool(List.of(A));
        assertNull(request("google", "g").problem(pool));
        String longText = "x".repeat(257);
        assertEquals("utm_source longer than 256 characters", request(longText, "g").problem(pool));
        assertEquals("page_url contains a control character", request("google", "a\nb").problem(pool));
        assertEquals("utm_medium contains a control character", new SessionRequest(null, null, null, "a\u2028b",
                null, null, null, null, null, null, null, null, null, null, null, null).problem(pool));
        assertEquals("page_url longer than 2048 characters", new SessionRequest("h".repeat(2049), null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null).problem(pool));
        assertEquals("at most 3 references, got 4", new SessionRequest(null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, List.of("1", "2", "3", "4"), null).problem(pool));
        assertEquals("tag \"age\" is not allowed by pool web", new SessionRequest(null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, Map.of("age", "40")).problem(pool));
        assertEquals("tag name must be 1-64 of A-Z a-z 0-9 _", new SessionRequest(null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, Map.of("a b", "40")).problem(pool));
        PoolSessions pools = new PoolSessions(null, List.of(pool), 20, T0);
        IllegalArgumentException refused = assertThrows(
                IllegalArgumentException.class, () -> pools.create("web", null, request(longText, "g"), null, T0));
        assertEquals("utm_source longer than 256 characters", refused.getMessage());
        assertEquals(0, pools.status(T0).get(0).held(), "nothing is held for a refused request");
    }

    @Test
    void manyVisitorsRacingForTheLastNumbersGetEachAtMostOnce() throws Exception {
        int numbers = 50;
        int threads = 16;
        int perThread = 40;
        List<String> all = new ArrayList<>();
        for (int i = 0; i < numbers; i++) {
            all.add("+1800556" + String.format("%04d", i));
        }
        PoolSessions pools = new PoolSessions(null, List.of(pool("web", all, true, false, OVERFLOW)), 1000, T0);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Allocation>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(executor.submit(() -> {
                    start.await();
                    List<Allocation> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        mine.add(pools.create("web", null, request(null, null), "10.1." + thread + "." + i, T0));
                    }
                    return mine;
                }));
            }
            start.countDown();
            Set<String> given = new HashSet<>();
            int overflow = 0;
            for (Future<List<Allocation>> result : results) {
                for (Allocation allocation : result.get(60, TimeUnit.SECONDS)) {
                    if (allocation.status() == Allocation.Status.CREATED) {
                        assertTrue(given.add(allocation.number()), "handed out twice: " + allocation.number());
                    } else {
                        assertEquals(Allocation.Status.OVERFLOW, allocation.status());
                        overflow++;
                    }
                }
            }
            assertEquals(numbers, given.size());
            assertEquals(threads * perThread - numbers, overflow);
            PoolStatus status = pools.status(T0).get(0);
            assertEquals(numbers, status.held());
            assertEquals(overflow, status.exhausted());
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void creationsReleasesAndReloadsRacingKeepOneLiveSessionPerNumber() throws Exception {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            all.add("+1800557" + String.format("%04d", i));
        }
        PoolConfig pool = pool("web", all, true, false, OVERFLOW);
        PoolSessions pools = new PoolSessions(null, List.of(pool), 1000, T0);
        ExecutorService executor = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                results.add(executor.submit(() -> {
                    List<String> mine = new ArrayList<>();
                    for (int i = 0; i < 2000; i++) {
                        Allocation a = pools.create("web", null, request(null, null), "10.2." + thread + ".1", T0 + i);
                        if (a.status() == Allocation.Status.CREATED) {
                            mine.add(a.sessionId());
                        }
                        if (mine.size() > 4) {
                            assertTrue(pools.release(mine.remove(0), T0 + i));
                        }
                    }
                    return mine;
                }));
            }
            for (int i = 0; i < 50; i++) {
                pools.reconfigure(List.of(pool), 1000, T0 + i);
            }
            Set<String> numbers = new HashSet<>();
            int live = 0;
            for (Future<List<String>> result : results) {
                for (String session : result.get(60, TimeUnit.SECONDS)) {
                    Allocation renewed = pools.renew(session, T0 + 2000);
                    assertEquals(Allocation.Status.RENEWED, renewed.status());
                    assertTrue(numbers.add(renewed.number()), "two live sessions hold " + renewed.number());
                    live++;
                }
            }
            assertEquals(16, live);
            assertEquals(live, pools.status(T0 + 2000).get(0).held(), "every held number has its live session");
            PoolStatus status = pools.status(T0 + 2000).get(0);
            assertEquals(8000, status.sessionsCreated() + status.exhausted(), "each request got a number or overflow");
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void aReloadKeepsLiveLeasesOfNumbersThatStayAndForgetsRemovedOnes() {
        PoolSessions pools = new PoolSessions(null, List.of(pool(List.of(A, B, C))), 20, T0);
        Allocation a = pools.create("web", null, request(null, null), "10.0.0.1", T0);
        Allocation b = pools.create("web", null, request(null, null), "10.0.0.1", T0);
        pools.reconfigure(List.of(pool("web", List.of(A, C), true, false, null), pool("other", List.of(B), true, false,
                null)), 20, T0 + MINUTE);
        assertEquals(Allocation.Status.RENEWED, pools.renew(a.sessionId(), T0 + MINUTE).status());
        assertEquals(Allocation.Status.UNKNOWN_SESSION, pools.renew(b.sessionId(), T0 + MINUTE).status(),
                "B moved to another pool: its session is gone");
        assertEquals(C, pools.create("web", null, request(null, null), "10.0.0.1", T0 + MINUTE).number());
        assertEquals(Allocation.Status.NO_NUMBER,
                pools.create("web", null, request(null, null), "10.0.0.1", T0 + MINUTE).status());
        assertEquals(B, pools.create("other", null, request(null, null), "10.0.0.1", T0 + MINUTE).number());
        PoolStatus web = pools.status(T0 + MINUTE).get(0);
        assertEquals("web", web.pool());
        assertEquals(3, web.sessionsCreated(), "counters are kept by pool id across a reload");
        assertEquals(2, web.held(), "a's lease and the new one");
    }

    /** What a {@link SessionListener} was told, in order. */
    private static final class Told implements SessionListener {
        final List<String> events = new ArrayList<>();

        @Override
        public void onCreated(String sessionId, String poolId, String campaign, String source, long createdMs,
                              SessionRequest request) {
            events.add("created " + sessionId + " " + poolId + " " + campaign + " " + source + " " + createdMs
                    + " " + request.utmSource());
        }

        @Override
        public void onEnded(String sessionId, long endedMs) {
            events.add("ended " + sessionId + " " + endedMs);
        }
    }

    @Test
    void theListenerHearsOfEachSessionCreatedAndForgottenNotOfRenewalsOrReleases() {
        PoolSessions pools = new PoolSessions(null, List.of(pool(List.of(A, B))), 20, T0);
        Told told = new Told();
        pools.listener(told);
        Allocation a = pools.create("web", null, request("google", "g1"), "10.0.0.1", T0);
        Allocation b = pools.create("web", null, request(null, null), "10.0.0.2", T0 + MINUTE);
        assertEquals(Allocation.Status.KEPT, pools.create("web", a.sessionId(), request("google", "g1"), "10.0.0.1",
                T0 + 2 * MINUTE).status());
        pools.renew(a.sessionId(), T0 + 3 * MINUTE);
        assertTrue(pools.release(a.sessionId(), T0 + 4 * MINUTE));
        assertEquals(List.of("created " + a.sessionId() + " web solar google-ads " + T0 + " google",
                "created " + b.sessionId() + " web solar web " + (T0 + MINUTE) + " null"), told.events,
                "a kept session, a renewal and a release are no news");

        // a's grace window (10 minutes after its release) passes: ended at its end, not when noticed.
        pools.expire(T0 + 60 * MINUTE);
        assertEquals("ended " + a.sessionId() + " " + (T0 + 14 * MINUTE), told.events.get(2));
        // b's lease (31 min) and grace (41 min) passed too, noticed in the same sweep.
        assertEquals("ended " + b.sessionId() + " " + (T0 + 41 * MINUTE), told.events.get(3));

        // A number in its grace window going to a new visitor ends the old session now.
        Allocation c = pools.create("web", null, request(null, null), "10.0.0.3", T0 + 61 * MINUTE);
        assertTrue(pools.release(c.sessionId(), T0 + 62 * MINUTE));
        Allocation d = pools.create("web", null, request(null, null), "10.0.0.4", T0 + 63 * MINUTE);
        Allocation e = pools.create("web", null, request(null, null), "10.0.0.5", T0 + 63 * MINUTE);
        assertEquals(List.of("created " + c.sessionId(), "created " + d.sessionId(), "ended " + c.sessionId() + " "
                + (T0 + 63 * MINUTE), "created " + e.sessionId()), told.events.subList(4, 8).stream()
                .map(line -> line.startsWith("created") ? line.substring(0, line.indexOf(' ', 8)) : line).toList());

        // A number leaving the configuration forgets its session at the reload.
        pools.reconfigure(List.of(pool(List.of(A))), 20, T0 + 64 * MINUTE);
        String gone = d.number().equals(B) ? d.sessionId() : e.sessionId();
        assertEquals("ended " + gone + " " + (T0 + 64 * MINUTE), told.events.get(8));
        assertEquals(9, told.events.size());
    }
}
