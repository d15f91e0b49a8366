package org.callrouter.routing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;

import org.callrouter.routing.ConversionOutcome.Status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Conversions: attempt, timer and postback; split sides; per-handler override; dedupe windows. */
class ConversionTest {

    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;

    @TempDir
    Path temp;

    private final TestClock clock = new TestClock("2026-06-01T12:00:00Z");
    private Router router;

    @AfterEach
    void close() {
        router.close();
    }

    private void open(String yaml) {
        router = new Fixture(temp).open(yaml, clock, 3);
    }

    private RoutingPlan route(String caller, String callId) {
        return router.route(CallContext.builder().dialedNumber("+18005550100").callerNumber(caller).callId(callId).build());
    }

    /** Routes, reserves the first candidate, answers, talks for {@code talkSeconds} and ends. */
    private ConversionOutcome call(String caller, String callId, int talkSeconds) {
        RoutingPlan plan = route(caller, callId);
        Reservation reservation = plan.reserve(plan.candidates().get(0), clock.millis());
        reservation.answered(clock.millis());
        clock.advanceMs(talkSeconds * 1000L);
        reservation.ended(clock.millis(), talkSeconds * 1000L);
        return reservation.conversion();
    }

    private static final String TIMER = """
            sources: [{ id: s }]
            handlers:
              - { id: a, uri: "sip:a@h" }
              - { id: b, uri: "sip:b@h", conversion: { type: timer, seconds: 10, revenue: 7 } }
            campaigns:
              - id: c
                handlers: [a, b]
                conversion:
                  source:  { type: timer, seconds: 30, payout: 20.00, dedupe: 30d }
                  handler: { type: timer, seconds: 90, revenue: 35.00, dedupe: 1h }
            numbers: [{ number: "+18005550100", campaign: c, source: s }]
            """;

    @Test
    void timerSidesUseTheirOwnThresholds() {
        open(TIMER.replace("handlers: [a, b]", "handlers: [a]"));
        ConversionOutcome short_ = call("+12125550100", "call-1", 12);
        assertEquals(new ConversionOutcome.Side(Status.NOT_CONVERTED, BigDecimal.ZERO, "timer 12s < 30s"), short_.source());
        assertEquals("timer 12s < 90s", short_.handler().reason());
        ConversionOutcome medium = call("+12125550100", "call-2", 45);
        assertEquals(new ConversionOutcome.Side(Status.CONVERTED, new BigDecimal("20.00"), "timer 45s >= 30s"), medium.source());
        assertEquals(Status.NOT_CONVERTED, medium.handler().status());
        assertEquals(new BigDecimal("20.00"), medium.payout());
        assertEquals(BigDecimal.ZERO, medium.revenue());
        assertTrue(medium.converted());
    }

    @Test
    void aSettledPlanStillDecidesTheConversionButNoLongerRoutes() {
        open(TIMER.replace("handlers: [a, b]", "handlers: [a]"));
        RoutingPlan plan = route("+12125550100", "call-1");
        Candidate a = plan.candidates().get(0);
        Reservation reservation = plan.reserve(a, clock.millis());
        reservation.answered(clock.millis());
        plan.settle();
        clock.advanceMs(45_000);
        reservation.ended(clock.millis(), 45_000);
        assertEquals("timer 45s >= 30s", plan.conversion().source().reason());
        assertTrue(plan.conversion().converted());
        assertEquals("c", plan.campaignId());
        assertNull(plan.attribution(), "no pool");
        assertThrows(IllegalStateException.class, plan::tags);
        assertThrows(IllegalStateException.class, plan::callerNumber);
        assertThrows(IllegalStateException.class, plan::candidates);
        assertThrows(IllegalStateException.class, () -> plan.reserve(a, clock.millis()));
    }

    @Test
    void dedupeWindowsPerSide() {
        open(TIMER.replace("handlers: [a, b]", "handlers: [a]"));
        ConversionOutcome first = call("+12125550100", "call-1", 100);
        assertTrue(first.source().converted());
        assertTrue(first.handler().converted());
        clock.advanceMs(2 * HOUR);
        ConversionOutcome second = call("+12125550100", "call-2", 100);
        assertEquals(Status.NOT_CONVERTED, second.source().status());
        assertEquals("dedupe: caller converted 2h 1m ago (window 30d)", second.source().reason());
        assertTrue(second.handler().converted(), "the handler side's window is only 1h");
        ConversionOutcome otherCaller = call("+13125550100", "call-3", 100);
        assertTrue(otherCaller.source().converted(), "dedupe is per caller");
        clock.advanceMs(30 * DAY);
        assertTrue(call("+12125550100", "call-4", 100).source().converted(), "after the window");
    }

    @Test
    void dedupeForeverAndAnonymousCallers() {
        open(TIMER.replace("dedupe: 30d", "dedupe: forever").replace("handlers: [a, b]", "handlers: [a]"));
        assertTrue(call("+12125550100", "call-1", 40).source().converted());
        clock.advanceMs(3650 * DAY);
        assertEquals(Status.NOT_CONVERTED, call("+12125550100", "call-2", 40).source().status());
        ConversionOutcome anonymous = call("anonymous", "call-3", 40);
        assertTrue(anonymous.source().converted());
        assertEquals("timer 40s >= 30s (anonymous caller: no dedupe)", anonymous.source().reason());
        assertTrue(call(null, "call-4", 40).source().converted());
    }

    @Test
    void perHandlerOverrideAndUnansweredAttempts() {
        open(TIMER);
        RoutingPlan plan = route("+12125550100", "call-1");
        Candidate b = plan.candidates().stream().filter(c -> c.handlerId().equals("b")).findFirst().orElseThrow();
        Candidate a = plan.candidates().stream().filter(c -> c.handlerId().equals("a")).findFirst().orElseThrow();
        Reservation first = plan.reserve(a, clock.millis());
        first.failed(clock.millis());
        assertEquals("not answered", first.conversion().source().reason());
        assertEquals(Status.NOT_CONVERTED, first.conversion().handler().status());
        Reservation second = plan.reserve(b, clock.millis());
        second.answered(clock.millis());
        assertEquals(Status.PENDING, second.conversion().handler().status());
        second.ended(clock.millis() + 15_000, 15_000);
        assertEquals(new ConversionOutcome.Side(Status.CONVERTED, new BigDecimal("7"), "timer 15s >= 10s"),
                second.conversion().handler());
        ConversionOutcome call = plan.conversion();
        assertEquals(new BigDecimal("7"), call.revenue());
        assertEquals(BigDecimal.ZERO, call.payout());
        assertEquals("timer 15s < 30s", call.source().reason());
    }

    @Test
    void attemptConvertsOncePerCall() {
        open("""
                sources: [{ id: s }]
                handlers: [{ id: a, uri: "sip:a@h" }, { id: b, uri: "sip:b@h" }]
                campaigns:
                  - id: c
                    handlers: [a, b]
                    conversion:
                      source: { type: attempt, payout: 2 }
                      handler: { type: attempt, revenue: 5 }
                numbers: [{ number: "+18005550100", campaign: c, source: s }]
                """);
        RoutingPlan plan = route("+12125550100", "call-1");
        Reservation first = plan.reserve(plan.candidates().get(0), clock.millis());
        assertEquals(new ConversionOutcome.Side(Status.CONVERTED, new BigDecimal("2"), "attempt"), first.conversion().source());
        first.failed(clock.millis());
        assertTrue(first.conversion().source().converted(), "an attempt conversion stays when the attempt fails");
        Reservation second = plan.reserve(plan.candidates().get(1), clock.millis());
        assertEquals("converted by an earlier attempt of this call", second.conversion().handler().reason());
        assertEquals(new BigDecimal("5"), plan.conversion().revenue());
        assertEquals(new BigDecimal("2"), plan.conversion().payout());
    }

    private static final String POSTBACK = """
            sources: [{ id: s }]
            handlers:
              - { id: a, uri: "sip:a@h", caps: { daily: 2, trigger: converted } }
            campaigns:
              - id: c
                handlers: [a]
                conversion:
                  source:  { type: timer, seconds: 30, payout: 20 }
                  handler: { type: postback, revenue: 50, dedupe: 7d }
            numbers: [{ number: "+18005550100", campaign: c, source: s }]
            """;

    @Test
    void postbackConvertsOnceAndIsIdempotentPerCall() {
        open(POSTBACK);
        ConversionOutcome atEnd = call("+12125550100", "call-1", 40);
        assertEquals(new ConversionOutcome.Side(Status.PENDING, BigDecimal.ZERO, "awaiting postback"), atEnd.handler());
        assertTrue(atEnd.source().converted());
        ConversionOutcome posted = router.conversions().postback("call-1", "c", "a", "+12125550100", clock.millis());
        assertEquals(new ConversionOutcome.Side(Status.CONVERTED, new BigDecimal("50"), "postback"), posted.handler());
        assertEquals("source conversion is timer 30s, not postback", posted.source().reason());
        assertEquals(posted, router.conversions().postback("call-1", "c", "a", "+12125550100", clock.millis() + 1000));
        assertEquals(1, router.capUsage("a", clock.millis()).get(2).used(), "counted once for the converted trigger");
        call("+12125550100", "call-2", 40);
        ConversionOutcome deduped = router.conversions().postback("call-2", "c", "a", "+12125550100", clock.millis());
        assertEquals(Status.NOT_CONVERTED, deduped.handler().status());
        assertTrue(deduped.handler().reason().startsWith("dedupe: caller converted"), deduped.handler().reason());
        assertThrows(IllegalArgumentException.class, () -> router.conversions().postback("x", "nope", "a", null, 0));
        assertThrows(IllegalArgumentException.class, () -> router.conversions().postback("x", "c", "zz", null, 0));
    }

    @Test
    void postbackIdempotencySurvivesARestart() {
        open(POSTBACK);
        call("+12125550100", "call-1", 40);
        assertTrue(router.conversions().postback("call-1", "c", "a", "+12125550100", clock.millis()).handler().converted());
        router.close();
        open(POSTBACK);
        ConversionOutcome again = router.conversions().postback("call-1", "c", "a", "+12125550100", clock.millis());
        assertEquals("postback (repeated)", again.handler().reason());
        assertTrue(again.handler().converted());
        assertEquals(1, router.capUsage("a", clock.millis()).get(2).used(), "a repeated postback is not counted again");
    }

    @Test
    void convertedTriggerHoldsWhileTheCallIsLive() {
        open("""
                sources: [{ id: s }]
                handlers: [{ id: a, uri: "sip:a@h", caps: { hourly: 1, trigger: converted } }]
                campaigns:
                  - id: c
                    handlers: [a]
                    conversion: { handler: { type: timer, seconds: 60, revenue: 1 } }
                numbers: [{ number: "+18005550100", campaign: c, source: s }]
                """);
        RoutingPlan first = route("+12125550100", "call-1");
        Reservation live = first.reserve(first.candidates().get(0), clock.millis());
        assertNotNull(live);
        RoutingPlan second = route("+13125550100", "call-2");
        assertTrue(second.candidates().isEmpty(), "the live call holds the only slot");
        live.answered(clock.millis());
        live.ended(clock.millis(), 5_000);
        assertFalse(live.conversion().handler().converted());
        RoutingPlan third = route("+13125550100", "call-3");
        Reservation converting = third.reserve(third.candidates().get(0), clock.millis());
        assertNotNull(converting, "a call that did not convert gives its hold back");
        converting.answered(clock.millis());
        converting.ended(clock.millis(), 61_000);
        assertTrue(converting.conversion().handler().converted());
        assertNull(route("+14155550100", "call-4").candidates().stream().findFirst().orElse(null));
        assertEquals("cap: hourly", route("+14155550100", "call-5").skipped().get(0).reason());
    }

    @Test
    void connectedTriggerCountsAnsweredCallsAndHoldsWhileRinging() {
        open("""
                sources: [{ id: s }]
                handlers: [{ id: a, uri: "sip:a@h", caps: { daily: 2, trigger: connected } }]
                campaigns: [{ id: c, handlers: [a] }]
                numbers: [{ number: "+18005550100", campaign: c, source: s }]
                """);
        RoutingPlan one = route("+12125550100", "1");
        RoutingPlan two = route("+12125550100", "2");
        RoutingPlan three = route("+12125550100", "3");
        Reservation r1 = one.reserve(one.candidates().get(0), clock.millis());
        Reservation r2 = two.reserve(two.candidates().get(0), clock.millis());
        assertNull(three.reserve(three.candidates().get(0), clock.millis()), "two ringing calls hold both slots");
        r1.failed(clock.millis());
        r1.failed(clock.millis());
        r1.ended(clock.millis(), 0);
        assertEquals(1, router.capUsage("a", clock.millis()).get(2).used(), "failing twice releases once");
        r2.answered(clock.millis());
        r2.answered(clock.millis());
        r2.ended(clock.millis(), 1000);
        assertEquals(1, router.capUsage("a", clock.millis()).get(2).used());
        assertEquals(0, router.capUsage("a", clock.millis()).get(0).used(), "no live calls");
    }
}
