package org.callrouter.server.webhook;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

import io.netty.util.concurrent.DefaultThreadFactory;
import org.agrona.ErrorHandler;
import org.callrouter.routing.config.ServerSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends webhook requests from the outbox with the JDK {@link HttpClient}, on its own thread.
 *
 * <p>A 2xx answer delivers a request. Anything else (another status, a connection error, no
 * answer within {@code timeout_ms}) is a failed try; the next try waits a backoff that doubles
 * from {@code initial_backoff_ms} up to {@code max_backoff_ms}, drawn between half and all of
 * it so retries spread out, and at least the receiver's {@code Retry-After} (in seconds) when
 * it sent one. After {@code max_attempts} tries the request is dead-lettered. Every outcome is
 * recorded in the outbox, so tries count across restarts. At most {@value #MAX_IN_FLIGHT}
 * requests are in flight at once.
 *
 * <p>Each request carries {@code Idempotency-Key} (the same on every try),
 * {@code X-Callrouter-Signature} when its webhook has a secret (signed at each try, so its
 * timestamp is fresh), {@code X-Webhook-Event}, {@code X-Call-Id} and {@code X-Webhook-Attempt}
 * (1 for the first try).
 */
public final class WebhookDispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
    static final int MAX_IN_FLIGHT = 32;
    private static final long IDLE_PARK_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long FORCE_EVERY_MS = 1000;
    private static final long STOP_WAIT_MS = 2000;

    private final OutboxAcks acks;
    private final CallWebhooks perCall;
    private final Clock wall;
    private final ErrorHandler errors;
    private final Function<WebhookRequest, String> secrets;
    private final ExecutorService httpThreads;
    private final HttpClient http;
    private volatile ServerSettings.WebhookDelivery policy;
    private final ConcurrentLinkedQueue<Object> inbox = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Scheduled> due = new PriorityQueue<>(Comparator.comparingLong(s -> s.nextTryMs));
    private final Map<Long, Integer> outstanding = new HashMap<>();
    private final Set<Long> sealed = new HashSet<>();
    private final SplittableRandom random = new SplittableRandom();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failedTries = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile int pending;
    private int inFlight;
    private long nextForceMs;

    /**
     * Starts the dispatcher with what the outbox recovered.
     *
     * @param dir      the outbox directory.
     * @param recovery what {@link Outbox#recover} found there.
     * @param policy   {@code server.webhook_delivery}.
     * @param secrets  a request's webhook secret in the configuration in force, or null (unsigned).
     */
    public WebhookDispatcher(Path dir, Outbox.Recovery recovery, ServerSettings.WebhookDelivery policy, Clock wall,
                             ErrorHandler errors, Function<WebhookRequest, String> secrets) {
        this.acks = new OutboxAcks(dir, errors);
        this.policy = policy;
        this.wall = wall;
        this.errors = errors;
        this.secrets = secrets;
        this.httpThreads = Executors.newFixedThreadPool(2, new DefaultThreadFactory("webhook-http", true));
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(policy.timeoutMs()))
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(httpThreads)
                .build();
        for (Outbox.Pending p : recovery.pending()) {
            due.add(new Scheduled(p.delivery(), p.tries(), p.nextTryMs()));
        }
        this.perCall = CallWebhooks.recovered(dir, recovery, errors);
        outstanding.putAll(recovery.outstanding());
        sealed.addAll(recovery.outstanding().keySet());
        pending = due.size();
        this.thread = new Thread(this::run, "webhook-dispatcher");
        thread.setDaemon(true);
        thread.start();
    }

    /** New requests, already in the outbox (any thread). */
    public void submit(List<Delivery> deliveries) {
        if (deliveries.isEmpty()) {
            return;
        }
        inbox.addAll(deliveries);
        LockSupport.unpark(thread);
    }

    /** The outbox closed a segment: once its requests are all done it can go (any thread). */
    public void sealed(long segment) {
        inbox.add(new Sealed(segment));
        LockSupport.unpark(thread);
    }

    /** Takes a new retry policy (after a reload); the HTTP connect timeout stays as started. */
    public void policy(ServerSettings.WebhookDelivery next) {
        this.policy = next;
    }

    /** Each recent call's webhook requests and how their tries went. */
    public CallWebhooks perCall() {
        return perCall;
    }

    /** Requests delivered (answered 2xx) since start. */
    public long delivered() {
        return delivered.get();
    }

    /** Tries that failed (each retried or, at the last try, dead-lettered). */
    public long failedTries() {
        return failedTries.get();
    }

    /** Requests given up on. */
    public long deadLettered() {
        return deadLettered.get();
    }

    /** Failed writes, fsyncs and opens of the outbox's acks and dead-letter files since start. */
    public long ackWriteFailures() {
        return acks.writeFailures();
    }

    /** Why the acks or dead letters cannot be written now, or null. */
    public String ackProblem() {
        return acks.problem();
    }

    /** Requests not yet delivered or dead-lettered (waiting, or in flight). */
    public int pending() {
        return pending;
    }

    /**
     * Stops: waits up to two seconds for requests in flight, records their outcome, closes the
     * outbox files. Requests not delivered stay in the outbox for the next start.
     */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(STOP_WAIT_MS + 5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        httpThreads.shutdownNow();
    }

    private void run() {
        while (running) {
            try {
                step();
            } catch (RuntimeException e) {
                errors.onError(e);
            }
            final long waitNs = due.isEmpty() || inFlight >= MAX_IN_FLIGHT ? IDLE_PARK_NS
                    : Math.min(IDLE_PARK_NS, TimeUnit.MILLISECONDS.toNanos(due.peek().nextTryMs - wall.millis()));
            if (waitNs > 0 && inbox.isEmpty() && outcomes.isEmpty()) {
                LockSupport.parkNanos(this, waitNs);
            }
        }
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_WAIT_MS);
        while (inFlight > 0 && System.nanoTime() - deadline < 0) {
            takeOutcomes();
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(10));
        }
        takeOutcomes();
        acks.close();
    }

    private void step() {
        Object next;
        while ((next = inbox.poll()) != null) {
            if (next instanceof Delivery d) {
                due.add(new Scheduled(d, 0, 0));
                outstanding.merge(d.segment(), 1, Integer::sum);
            } else if (next instanceof Sealed s) {
                sealed.add(s.segment);
                deleteIfDone(s.segment);
            }
        }
        takeOutcomes();
        final long now = wall.millis();
        while (inFlight < MAX_IN_FLIGHT && !due.isEmpty() && due.peek().nextTryMs <= now) {
            send(due.poll());
        }
        if (now >= nextForceMs) {
            nextForceMs = now + FORCE_EVERY_MS;
            acks.force();
        }
        pending = due.size() + inFlight;
    }

    private void send(Scheduled s) {
        final WebhookRequest r = s.delivery.request();
        final HttpRequest request;
        try {
            final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(r.url()))
                    .timeout(Duration.ofMillis(policy.timeoutMs()))
                    .header("Content-Type", r.contentType())
                    .header("User-Agent", "callrouter")
                    .header("Idempotency-Key", r.key())
                    .header("X-Webhook-Event", r.event())
                    .header("X-Webhook-Attempt", Integer.toString(s.tries + 1))
                    .POST(HttpRequest.BodyPublishers.ofString(r.body(), StandardCharsets.UTF_8));
            if (r.callId() != null) {
                b.header("X-Call-Id", r.callId());
            }
            final String secret = secrets.apply(r);
            if (secret != null) {
                b.header(Signature.HEADER, Signature.sign(secret, TimeUnit.MILLISECONDS.toSeconds(wall.millis()),
                        r.body().getBytes(StandardCharsets.UTF_8)));
            }
            request = b.build();
        } catch (IllegalArgumentException badUrl) {
            onOutcome(new Outcome(s, 0, null, "invalid request: " + badUrl.getMessage(), true));
            return;
        }
        inFlight++;
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            outcomes.add(error != null
                    ? new Outcome(s, 0, null, describe(error), false)
                    : new Outcome(s, response.statusCode(), response.headers().firstValue("Retry-After").orElse(null),
                    "HTTP " + response.statusCode(), false));
            LockSupport.unpark(thread);
        });
    }

    private void takeOutcomes() {
        Outcome outcome;
        while ((outcome = outcomes.poll()) != null) {
            inFlight--;
            onOutcome(outcome);
        }
    }

    private void onOutcome(Outcome o) {
        final Scheduled s = o.scheduled;
        s.tries++;
        final long now = wall.millis();
        final ServerSettings.WebhookDelivery p = policy;
        // The outcome is recorded before it is counted: whoever sees a count finds the files written.
        if (o.status >= 200 && o.status < 300) {
            acks.ack(s.delivery, Outbox.State.DONE, s.tries, 0);
            perCall.record(s.delivery.request(), CallWebhooks.State.DELIVERED, o.status, s.tries, now, null);
            finished(s);
            delivered.incrementAndGet();
            return;
        }
        if (o.permanent || s.tries >= p.maxAttempts()) {
            LOG.warn("webhook {} to {} dead-lettered after {} tries; last: {}", s.delivery.request().key(),
                    s.delivery.request().url(), s.tries, o.error);
            acks.deadLetter(s.delivery.request(), s.tries, o.error, now);
            acks.ack(s.delivery, Outbox.State.DEAD, s.tries, 0);
            perCall.record(s.delivery.request(), CallWebhooks.State.DEAD, o.status, s.tries, now, o.error);
            finished(s);
            failedTries.incrementAndGet();
            deadLettered.incrementAndGet();
            return;
        }
        s.nextTryMs = now + Math.max(backoffMs(p, s.tries), retryAfterMs(o.retryAfter, p));
        acks.ack(s.delivery, Outbox.State.RETRY, s.tries, s.nextTryMs);
        perCall.record(s.delivery.request(), CallWebhooks.State.RETRYING, o.status, s.tries, now, o.error);
        due.add(s);
        failedTries.incrementAndGet();
    }

    /** The wait before the try after {@code tries} failures: doubled each time, capped, drawn in [half, all]. */
    long backoffMs(ServerSettings.WebhookDelivery p, int tries) {
        final long full = Math.min(p.maxBackoffMs(), p.initialBackoffMs() << Math.min(tries - 1, 30));
        return full / 2 + random.nextLong(full / 2 + 1);
    }

    private static long retryAfterMs(String header, ServerSettings.WebhookDelivery p) {
        if (header == null) {
            return 0;
        }
        try {
            return Math.min(p.maxBackoffMs(), TimeUnit.SECONDS.toMillis(Long.parseLong(header.trim())));
        } catch (NumberFormatException httpDate) {
            return 0;
        }
    }

    private void finished(Scheduled s) {
        final long segment = s.delivery.segment();
        outstanding.merge(segment, -1, Integer::sum);
        deleteIfDone(segment);
    }

    private void deleteIfDone(long segment) {
        if (segment >= 0 && sealed.contains(segment) && outstanding.getOrDefault(segment, 0) <= 0) {
            outstanding.remove(segment);
            sealed.remove(segment);
            acks.delete(segment);
        }
    }

    private static String describe(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause instanceof java.util.concurrent.CompletionException) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    /** A request waiting for its next try. Dispatcher thread only. */
    private static final class Scheduled {
        final Delivery delivery;
        int tries;
        long nextTryMs;

        Scheduled(Delivery delivery, int tries, long nextTryMs) {
            this.delivery = delivery;
            this.tries = tries;
            this.nextTryMs = nextTryMs;
        }
    }

    /** A try's outcome; {@code permanent} when retrying cannot help (the request cannot even be built). */
    private record Outcome(Scheduled scheduled, int status, String retryAfter, String error, boolean permanent) {
    }

    private record Sealed(long segment) {
    }
}
