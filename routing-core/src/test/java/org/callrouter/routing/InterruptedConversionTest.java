package org.callrouter.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;

import org.callrouter.routing.ConversionOutcome.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Conversions of an answered call whose router died before the call ended, decided by the next
 * router on the same stores ({@link ConversionService#interrupted}).
 */
class InterruptedConversionTest {

    private static final String CALLER = "+12125550100";

    @TempDir
    Path temp;

    private final TestClock clock = new TestClock("2026-06-01T12:00:00Z");
    private Router router;

    @AfterEach
    void close() {
        router.close();
    }

    private static final String YAML = """
            sources: [{ id: s }]
            handlers:
              - { id: a, uri: "sip:a@h", caps: { daily: 1, trigger: converted } }
            campaigns:
              - id: c
                handlers: [a]
                conversion:
                  source:  { type: attempt, payout: 2.00, dedupe: 30d }
                  handler: { type: timer, seconds: 90, revenue: 35.00, dedupe: 1h }
            numbers: [{ number: "+18005550100", campaign: c, source: s }]
            """;

    /** Routes a call and answers it; the router then "dies": the call never ends. Returns the answer time. */
    private long answeredThenCrash(String callId) {
        final RoutingPlan plan = router.route(CallContext.builder().dialedNumber("+18005550100").callerNumber(CALLER)
                .callId(callId).build());
        final Reservation reservation = plan.reserve(plan.candidates().get(0), clock.millis());
        reservation.answered(clock.millis());
        return clock.millis();
    }

    private void restart() {
        router.close();
        router = new Fixture(temp).open(YAML, clock, 3);
    }

    @Test
    void aTimerSideConvertsOnlyOnTheTalkTimeKnownAndCountsAConvertedTriggerCap() {
        router = new Fixture(temp).open(YAML, clock, 3);
        final long answeredMs = answeredThenCrash("call-1");
        clock.advanceMs(100_000);
        restart();

        final ConversionOutcome longEnough = router.conversions().interrupted("call-1", "c", "a", CALLER, answeredMs,
                95_000, clock.millis());
        assertEquals(new ConversionOutcome.Side(Status.CONVERTED, new BigDecimal("35.00"),
                "timer 95s (known before the interruption) >= 90s"), longEnough.handler());
        assertEquals(new ConversionOutcome.Side(Status.CONVERTED, new BigDecimal("2.00"), "attempt"),
                longEnough.source(), "the attempt conversion recorded at selection, not a repeat");
        // The converted-trigger hold died with the process; the conversion counts it now.
        final RoutingPlan next = router.route(CallContext.builder().dialedNumber("+18005550100")
                .callerNumber("+13125550100").callId("call-2").build());
        assertTrue(next.candidates().isEmpty(), "the daily cap of 1 is used: " + next.skipped());
        assertEquals("cap: daily", next.skipped().get(0).reason());
    }

    @Test
    void aShortTalkTimeDoesNotConvertAndCountsNoCap() {
        router = new Fixture(temp).open(YAML, clock, 3);
        final long answeredMs = answeredThenCrash("call-1");
        restart();

        final ConversionOutcome outcome = router.conversions().interrupted("call-1", "c", "a", CALLER, answeredMs,
                20_000, clock.millis());
        assertEquals(new ConversionOutcome.Side(Status.NOT_CONVERTED, BigDecimal.ZERO,
                "timer 20s (known before the interruption) < 90s"), outcome.handler());
        final RoutingPlan next = router.route(CallContext.builder().dialedNumber("+18005550100")
                .callerNumber("+13125550100").callId("call-2").build());
        assertEquals(1, next.candidates().size(), "no cap counted: " + next.skipped());
    }

    @Test
    void anAttemptDedupedAtSelectionStaysDeduped() {
        router = new Fixture(temp).open(YAML.replace("trigger: converted", "trigger: routed").replace("daily: 1",
                "daily: 10"), clock, 3);
        answeredThenCrash("call-1");
        clock.advanceMs(60_000);
        final long secondAnsweredMs = answeredThenCrash("call-2");
        router.close();
        router = new Fixture(temp).open(YAML.replace("trigger: converted", "trigger: routed").replace("daily: 1",
                "daily: 10"), clock, 3);

        final ConversionOutcome second = router.conversions().interrupted("call-2", "c", "a", CALLER,
                secondAnsweredMs, 0, clock.millis());
        assertEquals(Status.NOT_CONVERTED, second.source().status(), second.source().reason());
        assertTrue(second.source().reason().startsWith("dedupe: caller converted"), second.source().reason());
    }

    @Test
    void aCampaignNoLongerConfiguredConvertsNothing() {
        router = new Fixture(temp).open(YAML, clock, 3);
        final ConversionOutcome outcome = router.conversions().interrupted("call-1", "gone", "a", CALLER,
                clock.millis(), 100_000, clock.millis());
        assertEquals(Status.NO_RULE, outcome.source().status());
        assertEquals(Status.NO_RULE, outcome.handler().status());
    }
}
