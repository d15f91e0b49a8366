package org.callrouter.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;

import org.callrouter.routing.config.ConfigException;
import org.callrouter.routing.config.ConfigLoader;
import org.callrouter.routing.config.RouterConfig;
import org.callrouter.routing.store.StoreCapacity;
import org.callrouter.routing.store.StoreFullException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A full store refuses by type, before Chronicle Map is asked, and a full caller index does not fail calls. */
class StoreFillTest {

    private static final String YAML = """
            sources: [{ id: s }]
            handlers: [{ id: a, uri: "sip:a@h" }]
            campaigns:
              - id: camp
                handlers: [a]
                repeat_callers: { window: 1h, route: same_handler }
                conversion: { source: { type: timer, seconds: 10, payout: 5, dedupe: 1d } }
            numbers: [{ number: "+18005550100", campaign: camp, source: s }]
            """;

    @TempDir
    Path temp;

    private final TestClock clock = new TestClock("2026-06-01T12:00:00Z");

    private Router open(int maxCallers) {
        try {
            RouterConfig config = ConfigLoader.parse("server: { data_dir: \"" + temp.resolve("data")
                    + "\", stores: { max_callers: " + maxCallers + " } }\n" + YAML, Path.of("test.yaml"));
            return Router.open(config, clock, Fixture.random(5));
        } catch (ConfigException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    /** A one-second call (too short to convert) from {@code caller} answered by the only handler. */
    private void answered(Router router, long caller) {
        talk(router, caller, 1000);
    }

    private ConversionOutcome talk(Router router, long caller, long talkMs) {
        RoutingPlan plan = router.route(Fixture.call("+18005550100", "+1" + caller));
        Reservation reservation = plan.reserve(plan.candidates().get(0), clock.millis());
        reservation.answered(clock.millis());
        reservation.ended(clock.millis() + talkMs, talkMs);
        return reservation.conversion();
    }

    private static StoreCapacity callers(Router router) {
        return router.storeCapacities().stream().filter(c -> c.name().equals("callers")).findFirst().orElseThrow();
    }

    @Test
    void theCallerIndexHoldsItsCapacityThenRefusesWithoutFailingTheCall() {
        try (Router router = open(1000)) {
            for (int i = 0; i < 1000; i++) {
                answered(router, 2_125_550_000L + i);
            }
            StoreCapacity callers = callers(router);
            assertEquals(1000, callers.entries());
            assertEquals(1.0, callers.fillRatio());
            assertEquals(0, callers.refused());

            answered(router, 3_125_550_000L);
            assertEquals(1, callers.refused(), "the new caller is refused, the call goes on");
            assertEquals(1000, callers.entries());

            StoreFullException full = assertThrows(StoreFullException.class,
                    () -> router.callers().recordAnswered(3_125_550_001L, 1, 1, clock.millis()));
            assertEquals("the caller index store is full (1000 of 1000 entries); raise server.stores.max_callers"
                    + " and rebuild the store (see routing-core/README.md, \"Stores\")", full.getMessage());
            assertNull(full.getCause(), "refused by the count, not by a Chronicle failure");

            answered(router, 2_125_550_000L);
            assertEquals(2, callers.refused(), "a known caller needs no room");

            ConversionOutcome converted = talk(router, 3_125_550_002L, 20_000);
            assertEquals(new ConversionOutcome.Side(ConversionOutcome.Status.CONVERTED, new BigDecimal("5"),
                    "timer 20s >= 10s (caller index full: no dedupe)"), converted.source());
            assertEquals(4, callers.refused(), "the answer and the conversion of the new caller");
            assertEquals(List.of("numbers", "quarantine", "counters", "callers", "number_days", "blocked_callers",
                    "sessions", "symbols"),
                    router.storeCapacities().stream().map(StoreCapacity::name).toList());
        }
    }

    @Test
    void purgingMakesRoomAgain() {
        try (Router router = open(1000)) {
            for (int i = 0; i < 1000; i++) {
                answered(router, 2_125_550_000L + i);
            }
            clock.advanceMs(3_600_001);
            assertEquals(0, router.purgeCallers(clock.millis()), "the 1d dedupe window still needs them");
            clock.advanceMs(86_400_000);
            assertEquals(1000, router.purgeCallers(clock.millis()));
            answered(router, 3_125_550_000L);
            assertEquals(1, callers(router).entries());
            assertEquals(0, callers(router).refused());
        }
    }

    @Test
    void chronicleRunningOutOfTiersIsRecognisedByTypeAndState() {
        try (Router router = open(1000)) {
            answered(router, 2_125_550_000L);
        }
        // The file keeps the size it was created with (1000, Chronicle takes about 2000);
        // the setting now claims more, so Chronicle's own limit comes first.
        try (Router router = open(100_000)) {
            StoreFullException full = null;
            long caller = 4_125_550_000L;
            while (full == null && caller < 4_125_560_000L) {
                try {
                    router.callers().recordAnswered(caller++, 1, 1, clock.millis());
                } catch (StoreFullException e) {
                    full = e;
                }
            }
            assertTrue(full != null, "Chronicle's limit was reached");
            assertInstanceOf(IllegalStateException.class, full.getCause());
            long entries = callers(router).entries();
            assertTrue(entries >= 1000 && entries < 100_000, entries + " entries");
            assertTrue(full.getMessage().startsWith("the caller index store is full (" + entries + " of 100000 entries)"),
                    full.getMessage());
            assertEquals(1, callers(router).refused());
        }
    }
}
