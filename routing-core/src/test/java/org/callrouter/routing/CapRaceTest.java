package org.callrouter.routing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Many threads racing for the last slots: exactly the cap succeeds. */
class CapRaceTest {

    private static final int THREADS = 8;

    @TempDir
    Path temp;

    @Test
    void exactlyTheCapSucceedsUnderRacingThreads() throws Exception {
        TestClock clock = new TestClock("2026-06-01T12:00:00Z");
        try (Router router = new Fixture(temp).open("""
                sources: [{ id: s }]
                handlers:
                  - { id: hourly, uri: "sip:h@h", caps: { hourly: 37 } }
                  - { id: live, uri: "sip:l@h", caps: { concurrency: 5 } }
                campaigns:
                  - { id: c, handlers: [hourly] }
                  - { id: d, handlers: [live] }
                numbers:
                  - { number: "+18005550100", campaign: c, source: s }
                  - { number: "+18005550101", campaign: d, source: s }
                """, clock, 1)) {
            assertEquals(37, race(router, "+18005550100", 20));
            assertEquals(5, race(router, "+18005550101", 3));
            assertEquals(37, router.capUsage("hourly", clock.millis()).get(1).used());
            assertEquals(5, router.capUsage("live", clock.millis()).get(0).used());
        }
    }

    /** Each thread waits at a barrier, then tries {@code attempts} times; returns the total granted. */
    private static int race(Router router, String number, int attempts) throws Exception {
        CallContext call = Fixture.call(number, "+12125550100");
        List<RoutingPlan> plans = new ArrayList<>();
        for (int i = 0; i < THREADS * attempts; i++) {
            plans.add(router.route(call));
        }
        CyclicBarrier start = new CyclicBarrier(THREADS);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    start.await();
                    int granted = 0;
                    for (int i = 0; i < attempts; i++) {
                        RoutingPlan plan = plans.get(thread * attempts + i);
                        if (!plan.candidates().isEmpty() && plan.reserve(plan.candidates().get(0), plan.nowMs()) != null) {
                            granted++;
                        }
                    }
                    return granted;
                }));
            }
            int total = 0;
            for (Future<Integer> result : results) {
                total += result.get(60, TimeUnit.SECONDS);
            }
            return total;
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
        }
    }
}
