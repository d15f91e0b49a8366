package org.callrouter.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

import org.callrouter.routing.config.PoolConfig;
import org.callrouter.routing.pool.Allocation;
import org.callrouter.routing.pool.Attribution;
import org.callrouter.routing.pool.SharedPools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A call to a pool number in a cluster: the visitor the shared store finds becomes the call's
 * attribution, numbers that need no look-up never ask the store, and a failing store follows
 * the pool's campaign's {@code on_shared_state_error}.
 */
class SharedPoolsPolicyTest {

    private static final String YAML = """
            cluster: { redis: "redis://127.0.0.1:6379", node_id: n1, nodes: 2 }
            sources: [{ id: web }, { id: google-ads }]
            handlers: [{ id: h, uri: "sip:h@127.0.0.1:5080" }]
            campaigns:
              - id: strict
                handlers: [h]
                pools:
                  - { id: strict-web, numbers: ["+18005550200"], source: web, overflow_number: "+18005550299" }
              - id: lenient
                handlers: [h]
                on_shared_state_error: local
                pools:
                  - { id: lenient-web, numbers: ["+18005550300"], source: web }
            numbers:
              - { number: "+18005550100", campaign: strict, source: web }
            """;

    @TempDir
    Path temp;

    private final TestClock clock = new TestClock("2026-03-14T18:10:00Z");
    private Router router;

    /** Answers look-ups with what the test set; records them and releases. The tracking steps are not this test's. */
    private static final class StubStore implements SharedPools {
        final List<String> lookups = new ArrayList<>();
        final List<String> released = new ArrayList<>();
        CompletableFuture<Visitor> answer = new CompletableFuture<>();

        @Override
        public CompletionStage<Visitor> holder(PoolConfig pool, String number) {
            lookups.add(pool.id() + " " + number);
            return answer;
        }

        @Override
        public CompletionStage<Allocation> allocate(PoolConfig pool, String heldSessionId, NewSession session,
                                                    String clientAddress, int maxSessionsPerAddress) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Allocation> renew(String sessionId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Boolean> pageView(String sessionId, String url) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Boolean> release(String sessionId) {
            released.add(sessionId);
            return CompletableFuture.completedFuture(true);
        }
    }

    private final StubStore store = new StubStore();

    private Router router(boolean shared) {
        router = new Fixture(temp).open(YAML, clock, 3);
        if (shared) {
            router.sharePools(store);
        }
        return router;
    }

    @AfterEach
    void close() {
        if (router != null) {
            router.close();
        }
    }

    private static RoutingPlan route(Router router, String dialed, Attribution visitor) {
        return router.route(CallContext.builder().dialedNumber(dialed).callerNumber("+14155550123").visitor(visitor)
                .build());
    }

    @Test
    void withoutAClusterNoCallLooksUp() {
        assertNull(router(false).sharedVisitor("+18005550200"));
    }

    @Test
    void onlyPoolNumbersWithSessionsAskTheStore() {
        Router r = router(true);
        assertNull(r.sharedVisitor("+18005550100"), "a static number");
        assertNull(r.sharedVisitor("+18005550299"), "the overflow number has no session");
        assertNull(r.sharedVisitor("not a number"));
        assertEquals(List.of(), store.lookups);
        assertEquals("true", route(r, "+18005550299", null).tags().get("pool_exhausted"));
    }

    @Test
    void theVisitorTheStoreFoundGivesTheCallItsTagsAndSource() throws Exception {
        Router r = router(true);
        CompletableFuture<Attribution> found = r.sharedVisitor("+18005550200").toCompletableFuture();
        assertFalse(found.isDone(), "the call waits on the store");
        store.answer.complete(new SharedPools.Visitor("0123456789abcdef0123456789abcdef", "google-ads",
                Map.of("pool", "strict-web", "utm_source", "google", "gclid", "Cj0"), List.of("https://a.example/")));
        Attribution visitor = found.get();
        assertEquals(List.of("strict-web +18005550200"), store.lookups);
        RoutingPlan plan = route(r, "+18005550200", visitor);
        assertEquals("google-ads", plan.sourceId());
        assertEquals("Cj0", plan.tags().get("gclid"));
        assertEquals("0123456789abcdef0123456789abcdef", plan.attribution().sessionId());
        assertEquals(List.of("https://a.example/"), plan.attribution().pagePath());
    }

    @Test
    void aCallEndingWithReleaseOnCallEndReleasesInTheStore() {
        Router r = router(true);
        r.releaseVisitor("0123456789abcdef0123456789abcdef", clock.millis());
        r.releaseVisitor("not-a-session-id", clock.millis());
        assertEquals(List.of("0123456789abcdef0123456789abcdef"), store.released);
    }

    @Test
    void noSessionIsThePoolsMiss() throws Exception {
        Router r = router(true);
        store.answer.complete(null);
        Attribution miss = r.sharedVisitor("+18005550200").toCompletableFuture().get();
        assertNull(miss.sessionId());
        assertEquals("web", miss.source());
        assertEquals(Map.of("pool", "strict-web"), miss.tags());
    }

    @Test
    void aFailingStoreRejectsOrAttributesToThePoolByTheCampaignsPolicy() throws Exception {
        Router r = router(true);
        store.answer.completeExceptionally(new IllegalStateException("connection refused"));
        ExecutionException rejected = assertThrows(ExecutionException.class,
                () -> r.sharedVisitor("+18005550200").toCompletableFuture().get());
        SharedStateException cause = assertInstanceOf(SharedStateException.class, rejected.getCause());
        assertEquals("shared state unavailable: IllegalStateException", cause.getMessage());
        assertEquals(1, r.sharedStateRejections());

        Attribution local = r.sharedVisitor("+18005550300").toCompletableFuture().get();
        assertEquals("true", local.tags().get("pool_attribution_unavailable"));
        assertEquals("lenient-web", local.pool());
        assertNull(local.sessionId());
        assertEquals(1, r.poolAttributionFallbacks());
        RoutingPlan plan = route(r, "+18005550300", local);
        assertEquals("lenient", plan.campaignId());
        assertTrue(plan.tags().containsKey("pool_attribution_unavailable"));
    }
}
