package org.callrouter.routing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An inspecting router (explain) sees the stores but changes nothing. */
class ReadOnlyRouterTest {

    private static final String YAML = """
            sources: [{ id: s }]
            handlers: [{ id: a, uri: "sip:a@h", caps: { daily: 1 } }, { id: b, uri: "sip:b@h", priority: 2 }]
            campaigns: [{ id: c, handlers: [a, b] }]
            numbers: [{ number: "+18005550100", campaign: c, source: s }]
            """;

    @TempDir
    Path temp;

    @Test
    void seesTheServersCountsAndReservesNothing() {
        Fixture fixture = new Fixture(temp);
        TestClock clock = new TestClock("2026-06-01T12:00:00Z");
        try (Router server = fixture.open(YAML, clock, 1)) {
            RoutingPlan plan = server.route(Fixture.call("+18005550100", null));
            server.route(Fixture.call("+18005550100", null));
            plan.reserve(plan.candidates().get(0), clock.millis());
            try (Router inspector = Router.openReadOnly(fixture.config(YAML), clock, Fixture.random(1))) {
                RoutingPlan seen = inspector.route(Fixture.call("+18005550100", null));
                assertEquals("cap: daily", seen.skipped().get(0).reason());
                assertThrows(IllegalStateException.class, () -> seen.reserve(seen.candidates().get(0), clock.millis()));
            }
        }
    }

    @Test
    void explainsAConfigurationWhoseNumbersAreNotInTheStoreYet() {
        Fixture fixture = new Fixture(temp);
        TestClock clock = new TestClock("2026-06-01T12:00:00Z");
        String changed = YAML.replace("campaigns: [{ id: c, handlers: [a, b] }]",
                "campaigns: [{ id: c, handlers: [a, b] }, { id: fresh, handlers: [b] }]")
                .replace("numbers: [", "numbers: [{ number: \"+18005550155\", campaign: fresh, source: s }, ");
        try (Router inspector = Router.openReadOnly(fixture.config(changed), clock, Fixture.random(1))) {
            RoutingPlan plan = inspector.route(Fixture.call("+18005550155", null));
            assertEquals(RoutingPlan.Outcome.ROUTED, plan.outcome());
            assertEquals("fresh", plan.campaignId());
            assertTrue(inspector.numbers().find("+18005550155").isEmpty(), "explain does not write numbers");
        }
    }
}
