package org.callrouter.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.callrouter.routing.ConversionOutcome.Status;
import org.callrouter.routing.caps.SharedCaps;
import org.callrouter.routing.config.Caps;
import org.callrouter.routing.store.CallerIndex;
import org.callrouter.routing.store.SharedCallers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Repeat callers and conversion dedupe through the cluster's shared caller index: the store's
 * answers decide (last handler first, a deduplicated attempt or timer side), only campaigns that
 * need a lookup wait for one, and a failing store follows the campaign's
 * {@code on_shared_state_error} for the lookup ({@code reject}: {@link RoutingPlan.Outcome#UNAVAILABLE};
 * {@code local}: this node's index) while a conversion falls back to this node's index and stands.
 */
class SharedCallersPolicyTest {

    private static final String YAML = """
            cluster: { redis: "redis://127.0.0.1:6379", node_id: n1, nodes: 3 }
            sources: [{ id: web }]
            handlers:
              - { id: first, uri: "sip:first@127.0.0.1" }
              - { id: second, uri: "sip:second@127.0.0.1", priority: 2 }
            campaigns:
              - id: strict
                handlers: [first, second]
                repeat_callers: { window: 1h, route: same_handler }
                conversion:
                  source: { type: attempt, payout: 2, dedupe: 1d }
                  handler: { type: timer, seconds: 30, revenue: 5, dedupe: forever }
              - id: lenient
                handlers: [first, second]
                on_shared_state_error: local
                repeat_callers: { window: 1h, route: same_handler }
              - { id: plain, handlers: [first, second] }
              - id: posted
                handlers: [first]
                conversion: { handler: { type: postback, revenue: 5, dedupe: 7d } }
            numbers:
              - { number: "+18005550100", campaign: strict, source: web }
              - { number: "+18005550101", campaign: lenient, source: web }
              - { number: "+18005550102", campaign: plain, source: web }
              - { number: "+18005550103", campaign: posted, source: web }
            """;
    private static final String CALLER = "+14155550123";

    @TempDir
    Path temp;

    private final TestClock clock = new TestClock("2026-03-14T18:10:00Z");
    private final StubCallers callers = new StubCallers();
    private Router router;

    /** Answers each step with what the test set; records the steps. */
    private static final class StubCallers implements SharedCallers {
        final List<String> steps = new ArrayList<>();
        CompletableFuture<String> last = new CompletableFuture<>();
        CompletableFuture<Converted> converted = new CompletableFuture<>();

        @Override
        public CompletionStage<String> lastHandler(String campaignId, long caller, long sinceMs) {
            steps.add("last " + campaignId + " " + caller);
            return last;
        }

        @Override
        public void recordAnswered(String campaignId, long caller, String handlerId, long nowMs, long retentionMs) {
            steps.add("answered " + campaignId + " " + handlerId + " retention=" + retentionMs);
        }

        @Override
        public CompletionStage<Converted> convert(String campaignId, long caller, CallerIndex.Side side, long callHash,
                                                  long nowMs, long windowMs, long retentionMs) {
            steps.add("convert " + campaignId + " " + side + " window=" + windowMs + " retention=" + retentionMs);
            return converted;
        }
    }

    /** Grants every slot at once (the handlers have no caps, so it is never asked). */
    private static final class NoCaps implements SharedCaps {
        @Override
        public CompletionStage<Acquired> acquire(String handlerId, long[] windows, long[] windowEndsMs, Caps caps,
                                                 boolean commitNow, boolean hold) {
            throw new AssertionError("no handler here has caps");
        }

        @Override
        public void commitNow(String handlerId, long[] windows, long[] windowEndsMs) {
            throw new AssertionError("no handler here has caps");
        }
    }

    private Router router() {
        if (router == null) {
            router = new Fixture(temp).open(YAML, clock, 3);
            router.shareCaps(new NoCaps());
            router.shareCallers(callers);
        }
        return router;
    }

    private CompletableFuture<RoutingPlan> route(String dialed) {
        return router().routeShared(Fixture.call(dialed, CALLER)).toCompletableFuture();
    }

    @AfterEach
    void close() {
        if (router != null) {
            router.close();
        }
    }

    private static List<String> order(RoutingPlan plan) {
        return plan.candidates().stream().map(Candidate::handlerId).toList();
    }

    private Reservation reserve(RoutingPlan plan, String handler) {
        Candidate candidate = plan.candidates().stream().filter(c -> c.handlerId().equals(handler)).findFirst()
                .orElseThrow();
        return plan.reserveShared(candidate, clock.millis()).toCompletableFuture().join();
    }

    @Test
    void theStoresLastHandlerGoesFirstOnceItAnswers() {
        CompletableFuture<RoutingPlan> routed = route("+18005550100");
        assertFalse(routed.isDone(), "the decision waits on the store");
        callers.last.complete("second");
        assertEquals(List.of("second", "first"), order(routed.join()));
        assertEquals(List.of("last strict 14155550123"), callers.steps);
    }

    @Test
    void aCampaignWithoutRepeatCallersDecidesAtOnce() {
        CompletableFuture<RoutingPlan> routed = route("+18005550102");
        assertTrue(routed.isDone());
        assertEquals(List.of("first", "second"), order(routed.join()));
        assertEquals(List.of(), callers.steps);
    }

    @Test
    void rejectMakesTheCallUnavailable() {
        callers.last.completeExceptionally(new IllegalStateException("connection refused"));
        RoutingPlan plan = route("+18005550100").join();
        assertEquals(RoutingPlan.Outcome.UNAVAILABLE, plan.outcome());
        assertEquals("shared state unavailable: IllegalStateException", plan.rejectionReason());
        assertEquals("strict", plan.campaignId());
        assertEquals(1, router.sharedStateRejections());
    }

    @Test
    void localReadsThisNodesIndexWrittenBesideTheStore() {
        callers.last.complete(null);
        RoutingPlan plan = route("+18005550101").join();
        Reservation answered = reserve(plan, "second");
        answered.answered(clock.millis());
        answered.ended(clock.millis(), 1000);
        assertEquals("answered lenient second retention=3600000", callers.steps.get(1));

        callers.last = CompletableFuture.failedFuture(new IllegalStateException("timed out"));
        clock.advanceMs(60_000);
        assertEquals(List.of("second", "first"), order(route("+18005550101").join()));
        assertEquals(1, router.sharedStateFallbacks());
    }

    @Test
    void theStoresDedupeDecidesTheAttemptAndTimerSides() {
        callers.last.complete(null);
        RoutingPlan plan = route("+18005550100").join();
        Candidate first = plan.candidates().get(0);
        CompletableFuture<Reservation> reserved = plan.reserveShared(first, clock.millis()).toCompletableFuture();
        assertFalse(reserved.isDone(), "the attempt conversion waits on the store");
        callers.converted.complete(new SharedCallers.Converted(CallerIndex.Conversion.DEDUPED,
                clock.millis() - 3_600_000));
        Reservation reservation = reserved.join();
        assertEquals(Status.NOT_CONVERTED, reservation.conversion().source().status());
        assertEquals("dedupe: caller converted 1h ago (window 1d)", reservation.conversion().source().reason());
        assertTrue(callers.steps.contains("convert strict SOURCE window=86400000 retention=" + Long.MAX_VALUE),
                callers.steps.toString());

        reservation.answered(clock.millis());
        callers.converted = new CompletableFuture<>();
        CompletableFuture<Void> ended = reservation.endedShared(clock.millis(), 45_000).toCompletableFuture();
        assertFalse(ended.isDone(), "the timer conversion waits on the store");
        callers.converted.complete(new SharedCallers.Converted(CallerIndex.Conversion.CONVERTED, 0));
        ended.join();
        assertEquals(Status.CONVERTED, plan.conversion().handler().status());
        assertEquals("timer 45s >= 30s", plan.conversion().handler().reason());
        assertTrue(callers.steps.contains("convert strict HANDLER window=" + Long.MAX_VALUE + " retention="
                + Long.MAX_VALUE), callers.steps.toString());
    }

    @Test
    void aFailingStoreNeverLosesAConversion() {
        callers.last.complete(null);
        callers.converted.completeExceptionally(new IllegalStateException("connection refused"));
        RoutingPlan plan = route("+18005550100").join();
        Reservation reservation = reserve(plan, "first");
        reservation.answered(clock.millis());
        reservation.endedShared(clock.millis(), 45_000).toCompletableFuture().join();
        assertEquals(Status.CONVERTED, plan.conversion().source().status());
        assertEquals(Status.CONVERTED, plan.conversion().handler().status());
        assertEquals(2, router.sharedDedupeFallbacks());

        RoutingPlan again = route("+18005550100").join();
        Reservation second = reserve(again, "first");
        assertEquals(Status.NOT_CONVERTED, second.conversion().source().status(),
                "the fallback recorded the conversion in this node's index");
        assertEquals(3, router.sharedDedupeFallbacks());
    }

    @Test
    void aPostbackIsDeduplicatedInTheStore() {
        callers.converted.complete(new SharedCallers.Converted(CallerIndex.Conversion.DEDUPED,
                clock.millis() - 2 * 86_400_000L));
        ConversionOutcome posted = router().conversions().postback("call-1", "posted", "first", CALLER,
                clock.millis());
        assertEquals(Status.NOT_CONVERTED, posted.handler().status());
        assertEquals("dedupe: caller converted 2d ago (window 7d)", posted.handler().reason());
        assertEquals(List.of("convert posted HANDLER window=604800000 retention=604800000"), callers.steps);

        callers.converted = CompletableFuture.completedFuture(new SharedCallers.Converted(
                CallerIndex.Conversion.SAME_CALL, clock.millis()));
        ConversionOutcome repeated = router.conversions().postback("call-2", "posted", "first", CALLER,
                clock.millis());
        assertEquals(Status.CONVERTED, repeated.handler().status());
        assertEquals("postback (repeated)", repeated.handler().reason());
    }
}
