package org.callrouter.routing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import org.callrouter.routing.store.StoreException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Counters, numbers and the caller index survive reopening the stores. */
class PersistenceTest {

    private static final String YAML = """
            sources: [{ id: s }]
            handlers:
              - id: h
                uri: sip:h@h
                time_zone: America/New_York
                caps: { concurrency: 10, hourly: 100, daily: 100, monthly: 100, total: 100 }
            campaigns: [{ id: c, handlers: [h], repeat_callers: { window: 1d, route: same_handler } }]
            numbers: [{ number: "+18005550100", campaign: c, source: s }]
            """;

    @TempDir
    Path temp;

    @Test
    void countsSurviveARestartButLiveCallsDoNot() {
        Fixture fixture = new Fixture(temp);
        TestClock clock = new TestClock("2026-06-01T12:10:00Z");
        try (Router router = fixture.open(YAML, clock, 1)) {
            for (int i = 0; i < 3; i++) {
                RoutingPlan plan = router.route(Fixture.call("+18005550100", "+12125550100"));
                assertNotNull(plan.reserve(plan.candidates().get(0), clock.millis()));
            }
            router.numbers().put("+18005550177", "c", "s");
        }
        try (Router router = fixture.open(YAML, clock, 1)) {
            assertEquals("[CapUsage[cap=concurrency, limit=10, used=0], CapUsage[cap=hourly, limit=100, used=3], "
                    + "CapUsage[cap=daily, limit=100, used=3], CapUsage[cap=monthly, limit=100, used=3], "
                    + "CapUsage[cap=total, limit=100, used=3]]", router.capUsage("h", clock.millis()).toString());
            assertEquals("c", router.numbers().find("+18005550177").orElseThrow().campaign());
            clock.set("2026-06-01T13:00:00Z");
            assertEquals(0, router.capUsage("h", clock.millis()).get(1).used(), "a new hour");
            assertEquals(3, router.capUsage("h", clock.millis()).get(2).used());
            clock.set("2026-06-02T04:00:00Z");
            assertEquals(0, router.capUsage("h", clock.millis()).get(2).used(), "midnight in New York");
            assertEquals(3, router.capUsage("h", clock.millis()).get(3).used());
            clock.set("2026-07-01T04:00:00Z");
            assertEquals(0, router.capUsage("h", clock.millis()).get(3).used(), "a new month");
            assertEquals(3, router.capUsage("h", clock.millis()).get(4).used(), "total stays");
        }
    }

    @Test
    void repeatCallersSurviveARestart() {
        Fixture fixture = new Fixture(temp);
        TestClock clock = new TestClock("2026-06-01T12:10:00Z");
        try (Router router = fixture.open(YAML, clock, 1)) {
            RoutingPlan plan = router.route(Fixture.call("+18005550100", "+12125550100"));
            plan.reserve(plan.candidates().get(0), clock.millis()).answered(clock.millis());
        }
        try (Router router = fixture.open(YAML, clock, 1)) {
            assertTrue(router.callers().lastHandler(12125550100L, router.snapshot().campaign("c").code, 0) >= 0);
        }
    }

    @Test
    void onlyOneRouterServesFromADataDirectory() {
        Fixture fixture = new Fixture(temp);
        TestClock clock = new TestClock("2026-06-01T12:10:00Z");
        try (Router router = fixture.open(YAML, clock, 1)) {
            StoreException e = assertThrows(StoreException.class, () -> fixture.open(YAML, clock, 1));
            assertTrue(e.getMessage().contains("is in use by another router"), e.getMessage());
            try (Router inspector = Router.openReadOnly(fixture.config(YAML), clock, Fixture.random(1))) {
                assertEquals(RoutingPlan.Outcome.ROUTED, inspector.route(Fixture.call("+18005550100", null)).outcome());
            }
        }
    }
}
