package org.callrouter.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.callrouter.routing.config.HostPort;
import org.callrouter.server.DistinctErrorHandler;
import org.junit.jupiter.api.Test;

/**
 * The admin listener's own limits, with a handler the test holds: a full worker queue is
 * answered 503 at once, and a handler that throws costs a 500, not the worker.
 */
class AdminServerIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private CompletableFuture<HttpResponse<String>> get(AdminServer server, String path) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + path))
                .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aFullQueueIsAnswered503AndTheHeldRequestsAreServedAfterwards() throws Exception {
        final CountDownLatch release = new CountDownLatch(1);
        final Semaphore started = new Semaphore(0);
        final Function<ApiRequest, ApiResponse> slow = request -> {
            started.release();
            try {
                release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ApiResponse.error(200, "served " + request.uri());
        };
        try (AdminServer server = AdminServer.start(HostPort.parse("127.0.0.1:0"), slow, new DistinctErrorHandler(),
                1, 1)) {
            final CompletableFuture<HttpResponse<String>> running = get(server, "/running");
            assertTrue(started.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the first request reached the worker");
            // One worker busy, one place in the queue, three more requests: one waits, two are refused.
            final List<CompletableFuture<HttpResponse<String>>> more = List.of(get(server, "/a"), get(server, "/b"),
                    get(server, "/c"));
            // Release only once two have been refused: the client sends the three in its own time, and a
            // request that arrived after the release would find the worker free.
            final long deadline = System.nanoTime() + WAIT.toNanos();
            while (more.stream().filter(CompletableFuture::isDone).count() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            for (CompletableFuture<HttpResponse<String>> f : more) {
                if (f.isDone()) {
                    assertEquals(503, f.get().statusCode(), "nothing is served before the release");
                }
            }
            assertEquals(2, more.stream().filter(CompletableFuture::isDone).count(), "two refused before the release");
            release.countDown();
            assertEquals(200, running.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).statusCode());
            final List<Integer> statuses = new ArrayList<>();
            for (CompletableFuture<HttpResponse<String>> f : more) {
                final HttpResponse<String> answer = f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                statuses.add(answer.statusCode());
                if (answer.statusCode() == 503) {
                    assertTrue(answer.body().contains("busy"), answer::body);
                    assertEquals("1", answer.headers().firstValue("Retry-After").orElse(""));
                }
            }
            statuses.sort(null);
            assertEquals(List.of(200, 503, 503), statuses);
            assertEquals(200, get(server, "/after").get(WAIT.toMillis(), TimeUnit.MILLISECONDS).statusCode());
        }
    }

    @Test
    void aHandlerThatThrowsCostsA500AndTheWorkerLivesOn() throws Exception {
        final AtomicInteger calls = new AtomicInteger();
        final DistinctErrorHandler errors = new DistinctErrorHandler();
        final Function<ApiRequest, ApiResponse> flaky = request -> {
            if (calls.incrementAndGet() <= 3) {
                throw new IllegalStateException("broken " + request.uri());
            }
            return ApiResponse.error(200, "fine");
        };
        try (AdminServer server = AdminServer.start(HostPort.parse("127.0.0.1:0"), flaky, errors, 1, 4)) {
            for (int i = 0; i < 3; i++) {
                assertEquals(500, get(server, "/x" + i).get(WAIT.toMillis(), TimeUnit.MILLISECONDS).statusCode());
            }
            assertEquals(200, get(server, "/y").get(WAIT.toMillis(), TimeUnit.MILLISECONDS).statusCode());
            assertEquals(3, errors.total());
            assertEquals(1, errors.distinct(), "the same fault is logged once, then counted");
        }
    }
}
