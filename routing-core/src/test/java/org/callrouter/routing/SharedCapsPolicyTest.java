package org.callrouter.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

import org.callrouter.routing.caps.CapCounters;
import org.callrouter.routing.caps.CapWindow;
import org.callrouter.routing.caps.SharedCaps;
import org.callrouter.routing.config.Caps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plan's reservation through the cluster's shared caps: the store's answer becomes the
 * reservation (or a late skip), a handler without caps never asks it, and a failing store
 * follows the campaign's {@code on_shared_state_error}: {@code local} caps of 1/N from this
 * node's counters, or {@code reject}.
 */
class SharedCapsPolicyTest {

    private static final String YAML = """
            cluster: { redis: "redis://127.0.0.1:6379", node_id: n1, nodes: 3 }
            sources: [{ id: web }]
            handlers:
              - { id: capped, uri: "sip:capped@127.0.0.1", caps: { concurrency: 10, hourly: 50, trigger: connected } }
              - { id: free, uri: "sip:free@127.0.0.1", priority: 2 }
            campaigns:
              - { id: strict, handlers: [capped, free] }
              - { id: lenient, handlers: [capped, free], on_shared_state_error: local }
            numbers:
              - { number: "+18005550100", campaign: strict, source: web }
              - { number: "+18005550101", campaign: lenient, source: web }
            """;

    @TempDir
    Path temp;

    private final TestClock clock = new TestClock("2026-03-14T18:10:00Z");
    private Router router;

    /** Answers acquire with what the test set; records the slot steps. */
    private static final class StubStore implements SharedCaps {
        final List<String> steps = new ArrayList<>();
        CompletableFuture<Acquired> answer = new CompletableFuture<>();

        @Override
        public CompletionStage<Acquired> acquire(String handlerId, long[] windows, long[] windowEndsMs, Caps caps,
                                                 boolean commitNow, boolean hold) {
            steps.add("acquire " + handlerId + " commitNow=" + commitNow + " hold=" + hold);
            return answer;
        }

        @Override
        public void commitNow(String handlerId, long[] windows, long[] windowEndsMs) {
            steps.add("count " + handlerId);
        }

        Slot slot() {
            return new Slot() {
                @Override
                public void commitHold() {
                    steps.add("commit");
                }

                @Override
                public void release(boolean dropHold) {
                    steps.add("release dropHold=" + dropHold);
                }
            };
        }
    }

    private final StubStore store = new StubStore();

    private RoutingPlan plan(String dialed) {
        if (router == null) {
            router = new Fixture(temp).open(YAML, clock, 3);
            router.shareCaps(store);
        }
        return router.route(Fixture.call(dialed, "+14155550123"));
    }

    @AfterEach
    void close() {
        if (router != null) {
            router.close();
        }
    }

    private static Candidate candidate(RoutingPlan plan, String id) {
        return plan.candidates().stream().filter(c -> c.handlerId().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void theStoresGrantBecomesTheReservationAndItsStepsGoToTheStore() throws Exception {
        RoutingPlan plan = plan("+18005550100");
        assertTrue(plan.sharesCaps());
        CompletableFuture<Reservation> reserved = plan.reserveShared(candidate(plan, "capped"), clock.millis())
                .toCompletableFuture();
        assertFalse(reserved.isDone(), "the plan waits on the store");
        store.answer.complete(new SharedCaps.Acquired(CapCounters.GRANTED, store.slot()));
        Reservation reservation = reserved.get();
        reservation.answered(clock.millis());
        reservation.ended(clock.millis(), 5000);
        assertEquals(List.of("acquire capped commitNow=false hold=true", "commit", "release dropHold=false"), store.steps);
    }

    @Test
    void aFullCapInTheStoreIsALateSkip() throws Exception {
        RoutingPlan plan = plan("+18005550100");
        store.answer.complete(new SharedCaps.Acquired(CapWindow.HOURLY.ordinal(), null));
        assertNull(plan.reserveShared(candidate(plan, "capped"), clock.millis()).toCompletableFuture().get());
        assertTrue(plan.skipped().stream().anyMatch(s -> s.handlerId().equals("capped") && s.reason().equals("cap: hourly")),
                plan.skipped().toString());
    }

    @Test
    void aHandlerWithoutCapsNeverAsksTheStore() throws Exception {
        RoutingPlan plan = plan("+18005550100");
        CompletableFuture<Reservation> reserved = plan.reserveShared(candidate(plan, "free"), clock.millis())
                .toCompletableFuture();
        assertTrue(reserved.isDone());
        assertNotNull(reserved.get());
        assertEquals(List.of(), store.steps);
    }

    @Test
    void rejectFailsTheReservationAndMovesNoCounter() {
        RoutingPlan plan = plan("+18005550100");
        store.answer.completeExceptionally(new IllegalStateException("connection refused"));
        CompletableFuture<Reservation> reserved = plan.reserveShared(candidate(plan, "capped"), clock.millis())
                .toCompletableFuture();
        ExecutionException e = assertThrows(ExecutionException.class, reserved::get);
        assertInstanceOf(SharedStateException.class, e.getCause());
        assertEquals("shared state unavailable: IllegalStateException", e.getCause().getMessage());
        assertEquals(1, router.sharedStateRejections());
        assertEquals(0, router.capUsage("capped", clock.millis()).stream().filter(u -> u.cap().equals("concurrency")).findFirst()
                .orElseThrow().used());
    }

    @Test
    void localFallsBackToAThirdOfEachCapOnThisNode() throws Exception {
        store.answer.completeExceptionally(new IllegalStateException("timed out"));
        List<Reservation> granted = new ArrayList<>();
        RoutingPlan last = null;
        for (int i = 0; i < 4; i++) {
            last = plan("+18005550101");
            Reservation r = last.reserveShared(candidate(last, "capped"), clock.millis()).toCompletableFuture().get();
            if (r != null) {
                granted.add(r);
            }
        }
        assertEquals(3, granted.size(), "concurrency 10 over 3 nodes: 3 here");
        assertTrue(last.skipped().stream().anyMatch(s -> s.reason().equals("cap: concurrency")), last.skipped().toString());
        assertEquals(4, router.sharedStateFallbacks());
        granted.forEach(r -> r.failed(clock.millis()));
        RoutingPlan again = plan("+18005550101");
        assertNotNull(again.reserveShared(candidate(again, "capped"), clock.millis()).toCompletableFuture().get(),
                "failed attempts gave their local slots back");
    }
}
