package org.callrouter.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;

import org.callrouter.routing.CallContext;
import org.callrouter.routing.Reservation;
import org.callrouter.routing.Router;
import org.callrouter.routing.RoutingPlan;
import org.callrouter.routing.TestClock;
import org.callrouter.routing.store.StoreCapacity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The caller index of a repeat-caller campaign stays below its capacity because the purge runs on
 * its schedule, driven by the router's clock; without it the same calls fill the index.
 */
class CallerPurgeTest {

    private static final int ROUNDS = 5;
    private static final int CALLERS_PER_ROUND = 600;
    private static final long TWO_HOURS_MS = 2 * 3_600_000L;

    @TempDir
    Path temp;

    /** The router's wall clock, stepped by the test (read from the purge thread too). */
    private final TestClock clock = new TestClock("2026-06-01T12:00:00Z");
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();

    private Router open() {
        return Router.open(TestConfig.load(temp, """
                server: { data_dir: "%s", stores: { max_callers: 1000, purge_interval_seconds: 3600 } }
                sources: [{ id: s }]
                handlers: [{ id: a, uri: "sip:a@127.0.0.1" }]
                campaigns: [{ id: camp, handlers: [a], repeat_callers: { window: 1h, route: same_handler } }]
                numbers: [{ number: "+18005550100", campaign: camp, source: s }]
                """.formatted(temp.resolve("data"))), clock, new SplittableRandom(3));
    }

    /** Hours of traffic: each round new callers' calls are answered, then two hours pass. */
    private void traffic(Router router, int round) {
        for (int i = 0; i < CALLERS_PER_ROUND; i++) {
            final RoutingPlan plan = router.route(CallContext.builder().dialedNumber("+18005550100")
                    .callerNumber("+1212" + (1_000_000 + round * CALLERS_PER_ROUND + i)).build());
            final Reservation reservation = plan.reserve(plan.candidates().get(0), clock.millis());
            reservation.answered(clock.millis());
            reservation.ended(clock.millis() + 1000, 1000);
        }
    }

    private static StoreCapacity callers(Router router) {
        return router.storeCapacities().stream().filter(c -> c.name().equals("callers")).findFirst().orElseThrow();
    }

    @Test
    void withoutThePurgeTheIndexFills() {
        try (Router router = open()) {
            for (int round = 0; round < ROUNDS; round++) {
                traffic(router, round);
                clock.advanceMs(TWO_HOURS_MS);
            }
            assertEquals(1000, callers(router).entries());
            assertEquals(ROUNDS * CALLERS_PER_ROUND - 1000, callers(router).refused(),
                    "callers past the capacity are not remembered");
        }
    }

    @Test
    void theScheduledPurgeKeepsTheIndexBelowCapacity() {
        try (Router router = open(); CallerPurge purge = CallerPurge.start(router, clock, errors::add)) {
            Await.until(Duration.ofSeconds(10), () -> purge.purges() == 1, () -> "the purge at start");
            for (int round = 0; round < ROUNDS; round++) {
                traffic(router, round);
                assertEquals(CALLERS_PER_ROUND, callers(router).entries(), "round " + round);
                final long done = purge.purges();
                clock.advanceMs(TWO_HOURS_MS);
                Await.until(Duration.ofSeconds(10), () -> purge.purges() == done + 1,
                        () -> purge.purges() + " purges after round " + done);
                assertEquals(0, callers(router).entries(), "round " + round + "'s callers are outside the 1h window");
            }
            assertEquals(0, callers(router).refused());
            assertEquals((long) ROUNDS * CALLERS_PER_ROUND, purge.removed());
            assertTrue(errors.isEmpty(), errors::toString);
        }
    }
}
