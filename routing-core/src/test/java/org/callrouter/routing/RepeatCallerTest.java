package org.callrouter.routing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Repeat callers: the handler that answered the caller's last call, within the window. */
class RepeatCallerTest {

    private static final String YAML = """
            sources: [{ id: s }]
            handlers:
              - { id: a, uri: "sip:a@h" }
              - { id: b, uri: "sip:b@h" }
              - { id: c, uri: "sip:c@h" }
              - { id: late, uri: "sip:late@h", priority: 9 }
            campaigns:
              - { id: camp, handlers: [a, b, c, late], repeat_callers: { window: 7d, route: ROUTE } }
              - { id: other, handlers: [a, b, c], repeat_callers: { window: 7d, route: ROUTE } }
            numbers:
              - { number: "+18005550100", campaign: camp, source: s }
              - { number: "+18005550101", campaign: other, source: s }
            """;

    @TempDir
    Path temp;

    private final TestClock clock = new TestClock("2026-06-01T12:00:00Z");

    private static List<String> order(RoutingPlan plan) {
        return plan.candidates().stream().map(Candidate::handlerId).toList();
    }

    /** Answers the caller's call at {@code handler}. */
    private void answeredBy(Router router, String caller, String handler) {
        RoutingPlan plan = router.route(Fixture.call("+18005550100", caller));
        Candidate candidate = plan.candidates().stream().filter(c -> c.handlerId().equals(handler)).findFirst().orElseThrow();
        Reservation reservation = plan.reserve(candidate, clock.millis());
        reservation.answered(clock.millis());
        reservation.ended(clock.millis() + 60_000, 60_000);
    }

    @Test
    void sameHandlerGoesFirstWithinTheWindow() {
        try (Router router = new Fixture(temp).open(YAML.replace("ROUTE", "same_handler"), clock, 11)) {
            answeredBy(router, "+12125550100", "c");
            clock.advanceMs(6 * 86_400_000L);
            for (int i = 0; i < 50; i++) {
                assertEquals("c", order(router.route(Fixture.call("+18005550100", "+12125550100"))).get(0));
            }
            RoutingPlan otherCampaign = router.route(Fixture.call("+18005550101", "+12125550100"));
            assertEquals(3, otherCampaign.candidates().size(), "repeat is per campaign");
            clock.advanceMs(2 * 86_400_000L);
            int cFirst = 0;
            for (int i = 0; i < 300; i++) {
                cFirst += order(router.route(Fixture.call("+18005550100", "+12125550100"))).get(0).equals("c") ? 1 : 0;
            }
            assertTrue(cFirst < 200, "after the window c is first only by its weight: " + cFirst + "/300");
        }
    }

    @Test
    void sameHandlerThatIsNotEligibleFallsBackToNormalOrder() {
        try (Router router = new Fixture(temp).open(YAML.replace("ROUTE", "same_handler"), clock, 11)) {
            answeredBy(router, "+12125550100", "b");
            router.health().probeResult("b", false, clock.millis());
            router.health().probeResult("b", false, clock.millis());
            RoutingPlan plan = router.route(Fixture.call("+18005550100", "+12125550100"));
            assertEquals(3, plan.candidates().size());
            assertEquals("unhealthy", plan.skipped().get(0).reason());
        }
    }

    @Test
    void newHandlerSkipsTheLastOne() {
        try (Router router = new Fixture(temp).open(YAML.replace("ROUTE", "new_handler"), clock, 11)) {
            answeredBy(router, "+12125550100", "a");
            RoutingPlan plan = router.route(Fixture.call("+18005550100", "+12125550100"));
            assertEquals(3, plan.candidates().size());
            assertTrue(!order(plan).contains("a"));
            assertEquals(new Skip("a", "repeat: answered this caller within 7d (new_handler)"), plan.skipped().get(0));
            assertEquals(4, router.route(Fixture.call("+18005550100", "+13125550100")).candidates().size(),
                    "another caller is not a repeat caller");
        }
    }

    @Test
    void anyRoutesNormally() {
        try (Router router = new Fixture(temp).open(YAML.replace("ROUTE", "any"), clock, 11)) {
            answeredBy(router, "+12125550100", "a");
            RoutingPlan plan = router.route(Fixture.call("+18005550100", "+12125550100"));
            assertEquals(4, plan.candidates().size());
            assertTrue(plan.skipped().isEmpty());
        }
    }

    @Test
    void unansweredCallsDoNotMakeARepeatCaller() {
        try (Router router = new Fixture(temp).open(YAML.replace("ROUTE", "new_handler"), clock, 11)) {
            RoutingPlan plan = router.route(Fixture.call("+18005550100", "+12125550100"));
            plan.reserve(plan.candidates().get(0), clock.millis()).failed(clock.millis());
            assertEquals(4, router.route(Fixture.call("+18005550100", "+12125550100")).candidates().size());
        }
    }

    @Test
    void purgeRemovesEntriesOutsideEveryWindow() {
        try (Router router = new Fixture(temp).open(YAML.replace("ROUTE", "new_handler"), clock, 11)) {
            answeredBy(router, "+12125550100", "a");
            clock.advanceMs(86_400_000L);
            answeredBy(router, "+13125550100", "a");
            assertEquals(0, router.purgeCallers(clock.millis()));
            clock.advanceMs(6 * 86_400_000L + 1000);
            assertEquals(1, router.purgeCallers(clock.millis()), "the first caller's answer is 7 days old");
            assertEquals(4, router.route(Fixture.call("+18005550100", "+12125550100")).candidates().size());
            assertEquals(3, router.route(Fixture.call("+18005550100", "+13125550100")).candidates().size());
        }
    }
}
