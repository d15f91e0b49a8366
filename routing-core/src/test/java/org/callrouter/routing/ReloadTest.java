package org.callrouter.routing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import org.callrouter.routing.config.ConfigException;
import org.callrouter.routing.config.ConfigLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reload swaps the configuration and keeps counters, health and live reservations. */
class ReloadTest {

    private static final String V1 = """
            sources: [{ id: s }]
            handlers:
              - { id: a, uri: "sip:a@h", caps: { concurrency: 1, daily: 5 } }
              - { id: b, uri: "sip:b@h", priority: 2 }
            campaigns: [{ id: c, handlers: [a, b] }]
            numbers:
              - { number: "+18005550100", campaign: c, source: s }
              - { number: "+18005550101", campaign: c, source: s }
            """;

    @TempDir
    Path temp;

    @Test
    void reloadKeepsCountersAndLiveReservations() throws ConfigException {
        Fixture fixture = new Fixture(temp);
        TestClock clock = new TestClock("2026-06-01T12:00:00Z");
        try (Router router = fixture.open(V1, clock, 5)) {
            RoutingPlan plan = router.route(Fixture.call("+18005550100", null));
            Reservation live = plan.reserve(plan.candidates().get(0), clock.millis());
            assertNotNull(live);
            router.health().probeResult("b", false, clock.millis());
            router.reload(fixture.config(V1
                    .replace("daily: 5", "daily: 1")
                    .replace("- { number: \"+18005550101\", campaign: c, source: s }", "")
                    .replace("priority: 2 }", "priority: 2, send_digits: \"9\" }")));
            assertEquals(1, router.capUsage("a", clock.millis()).get(0).used(), "the live call still counts");
            assertEquals(1, router.capUsage("a", clock.millis()).get(2).used());
            RoutingPlan after = router.route(Fixture.call("+18005550100", null));
            assertEquals("cap: concurrency", after.skipped().get(0).reason());
            assertEquals("9", after.candidates().get(0).sendDigits(), "the new configuration is in use");
            live.ended(clock.millis(), 1000);
            assertEquals(0, router.capUsage("a", clock.millis()).get(0).used(), "the old reservation ends on the same counters");
            assertEquals("cap: daily", router.route(Fixture.call("+18005550100", null)).skipped().get(0).reason());
            assertEquals(RoutingPlan.Outcome.QUARANTINED, router.route(Fixture.call("+18005550101", null)).outcome(),
                    "a number removed from the YAML is removed from the store and quarantined");
            assertTrue(router.numbers().find("+18005550101").isEmpty());
        }
    }

    @Test
    void settingsThatNeedARestartAreRefused() throws ConfigException {
        Fixture fixture = new Fixture(temp);
        TestClock clock = new TestClock("2026-06-01T12:00:00Z");
        try (Router router = fixture.open(V1, clock, 5)) {
            ConfigException e = assertThrows(ConfigException.class, () -> router.reload(ConfigLoader.parse(
                    "server: { data_dir: \"" + temp.resolve("elsewhere") + "\" }\n" + V1, Path.of("next.yaml"))));
            assertTrue(e.getMessage().startsWith("next.yaml:1:21: server.data_dir: cannot change while running"), e.getMessage());
            assertEquals(2, router.route(Fixture.call("+18005550100", null)).candidates().size(), "the old configuration stays");
        }
    }

    @Test
    void importedNumbersStayWhenTheYamlChanges() throws ConfigException {
        Fixture fixture = new Fixture(temp);
        TestClock clock = new TestClock("2026-06-01T12:00:00Z");
        try (Router router = fixture.open(V1, clock, 5)) {
            router.numbers().put("+18005550177", "c", "s");
            router.reload(fixture.config(V1.replace("- { number: \"+18005550100\", campaign: c, source: s }", "")));
            assertEquals(RoutingPlan.Outcome.ROUTED, router.route(Fixture.call("+18005550177", null)).outcome());
            assertEquals(RoutingPlan.Outcome.QUARANTINED, router.route(Fixture.call("+18005550100", null)).outcome());
        }
    }
}
