package org.callrouter.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.callrouter.routing.config.ConfigException;
import org.callrouter.routing.quarantine.QuarantinedNumber;
import org.callrouter.routing.store.NumberRemoval;
import org.callrouter.routing.store.StoreException;

/**
 * Numbers a reload removes are quarantined: their calls are refused and counted, and they cannot
 * be assigned again until the quarantine and the quiet days have passed (stepped clock).
 */
class QuarantineTest {

    private static final String NUMBERS = """
            sources: [{ id: s }]
            handlers: [{ id: a, uri: "sip:a@h" }]
            campaigns: [{ id: c, handlers: [a] }]
            number_policy: { quarantine_days: 45, quiet_days: 14 }
            numbers:
              - { number: "+18005550100", campaign: c, source: s }
              - { number: "+18005550101", campaign: c, source: s }
            """;
    private static final String WITHOUT_101 = NUMBERS.replace("  - { number: \"+18005550101\", campaign: c, source: s }\n", "");
    private static final long DAY_MS = 86_400_000L;

    @TempDir
    Path temp;

    @Test
    void aRemovedNumberIsRefusedAndCannotComeBackUntilQuarantineAndQuietDaysPassed() throws ConfigException {
        Fixture fixture = new Fixture(temp);
        TestClock clock = new TestClock("2026-06-01T12:00:00Z");
        try (Router router = fixture.open(NUMBERS, clock, 5)) {
            router.reload(fixture.config(WITHOUT_101));
            RoutingPlan refused = router.route(Fixture.call("+18005550101", "+14155550123"));
            assertEquals(RoutingPlan.Outcome.QUARANTINED, refused.outcome());
            assertEquals("quarantined", refused.rejectionReason());
            List<QuarantinedNumber> listed = router.quarantine().list();
            assertEquals(1, listed.size());
            QuarantinedNumber q = listed.get(0);
            assertEquals("+18005550101", q.number());
            assertEquals("c", q.campaign());
            assertEquals(1, q.calls());
            assertEquals(clock.millis(), q.removedAtMs());

            ConfigException early = assertThrows(ConfigException.class, () -> router.reload(fixture.config(NUMBERS)));
            assertTrue(early.getMessage().contains("numbers[1].number: +18005550101 is quarantined until 2026-07-16T12:00:00Z"
                    + " (removed from campaign \"c\""), early.getMessage());

            // Past the 45 days, but called 40 days in: 14 quiet days from that call.
            clock.advanceMs(40 * DAY_MS);
            router.route(Fixture.call("+18005550101", "+14155550123"));
            clock.advanceMs(6 * DAY_MS);
            ConfigException quiet = assertThrows(ConfigException.class, () -> router.reload(fixture.config(NUMBERS)));
            assertTrue(quiet.getMessage().contains("is quarantined until 2026-07-25T12:00:00Z"), quiet.getMessage());
            assertEquals(RoutingPlan.Outcome.QUARANTINED, router.route(Fixture.call("+18005550101", null)).outcome(),
                    "the refused reload changed nothing");

            clock.advanceMs(9 * DAY_MS + 1);
            assertFalse(router.quarantine().find(18005550101L).get().releasable(router.config().numberPolicy(),
                    clock.millis()), "the refused call 6 days ago moved the quiet time on");
            clock.advanceMs(6 * DAY_MS);
            router.reload(fixture.config(NUMBERS));
            assertEquals(RoutingPlan.Outcome.ROUTED, router.route(Fixture.call("+18005550101", null)).outcome());
            assertTrue(router.quarantine().list().isEmpty(), "assigning it took it out of quarantine");
        }
    }

    @Test
    void quarantineSurvivesARestartAndRefusesAStartThatAssignsTheNumber() throws ConfigException {
        Fixture fixture = new Fixture(temp);
        TestClock clock = new TestClock("2026-06-01T12:00:00Z");
        try (Router router = fixture.open(NUMBERS, clock, 5)) {
            router.reload(fixture.config(WITHOUT_101));
        }
        StoreException refused = assertThrows(StoreException.class, () -> fixture.open(NUMBERS, clock, 5));
        assertTrue(refused.getMessage().contains("+18005550101 is quarantined until"), refused.getMessage());
        try (Router router = fixture.open(WITHOUT_101, clock, 5)) {
            assertEquals(RoutingPlan.Outcome.QUARANTINED, router.route(Fixture.call("+18005550101", null)).outcome());
            assertTrue(router.quarantine().release(18005550101L), "released by hand (the server audits it)");
            router.reload(fixture.config(NUMBERS));
            assertEquals(RoutingPlan.Outcome.ROUTED, router.route(Fixture.call("+18005550101", null)).outcome());
        }
    }

    @Test
    void explainingDoesNotCountCalls() throws ConfigException {
        Fixture fixture = new Fixture(temp);
        TestClock clock = new TestClock("2026-06-01T12:00:00Z");
        try (Router router = fixture.open(NUMBERS, clock, 5)) {
            router.reload(fixture.config(WITHOUT_101));
            try (Router readOnly = Router.openReadOnly(fixture.config(WITHOUT_101), clock, Fixture.random(1))) {
                assertEquals(RoutingPlan.Outcome.QUARANTINED, readOnly.route(Fixture.call("+18005550101", null)).outcome());
            }
            assertEquals(0, router.quarantine().list().get(0).calls());
        }
    }

    @Test
    void anImportedNumberRemovedByHandIsQuarantinedAndAYamlNumberIsRefused() {
        Fixture fixture = new Fixture(temp);
        TestClock clock = new TestClock("2026-06-01T12:00:00Z");
        try (Router router = fixture.open(NUMBERS, clock, 5)) {
            router.numbers().put("+18005550200", "c", "s");
            List<QuarantinedNumber> audited = new ArrayList<>();

            assertThrows(IllegalStateException.class, () -> router.removeNumber(18005550200L, q -> {
                throw new IllegalStateException("audit disk full");
            }));
            assertEquals(RoutingPlan.Outcome.ROUTED, router.route(Fixture.call("+18005550200", null)).outcome(),
                    "an unaudited removal is undone");
            assertTrue(router.quarantine().list().isEmpty());

            NumberRemoval.Result removed = router.removeNumber(18005550200L, audited::add);
            assertEquals(NumberRemoval.Outcome.REMOVED, removed.outcome());
            assertEquals(List.of(removed.quarantined()), audited);
            assertEquals("c", removed.quarantined().campaign());
            assertEquals(clock.millis(), removed.quarantined().removedAtMs());
            assertEquals(RoutingPlan.Outcome.QUARANTINED, router.route(Fixture.call("+18005550200", null)).outcome());

            NumberRemoval.Result again = router.removeNumber(18005550200L, audited::add);
            assertEquals(NumberRemoval.Outcome.ALREADY_QUARANTINED, again.outcome());
            assertTrue(again.reason().startsWith("+18005550200 is already quarantined (removed from campaign \"c\""),
                    again.reason());
            NumberRemoval.Result listed = router.removeNumber(18005550101L, audited::add);
            assertEquals(NumberRemoval.Outcome.IN_CONFIG, listed.outcome());
            assertTrue(listed.reason().startsWith("test.yaml:") && listed.reason().contains(
                    ": numbers[1].number: +18005550101 is listed in the configuration file; remove it there and reload"),
                    listed.reason());
            assertEquals(NumberRemoval.Outcome.NOT_TRACKED, router.removeNumber(18005550299L, audited::add).outcome());
            assertEquals(1, audited.size(), "refusals are not audited");
            assertEquals(RoutingPlan.Outcome.ROUTED, router.route(Fixture.call("+18005550101", null)).outcome());
        }
    }
}
