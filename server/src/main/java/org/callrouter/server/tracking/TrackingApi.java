package org.callrouter.server.tracking;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import io.github.bucket4j.TimeMeter;
import org.callrouter.routing.config.PoolConfig;
import org.callrouter.routing.config.RouterConfig;
import org.callrouter.routing.config.ServerSettings;
import org.callrouter.routing.pool.Allocation;
import org.callrouter.routing.pool.PoolSessions;
import org.callrouter.routing.pool.SessionRequest;
import org.callrouter.routing.pool.SharedPoolSessions;
import org.callrouter.routing.store.StoreException;

/**
 * The public tracking API without the HTTP: a {@link TrackingRequest} in, a
 * {@link TrackingResponse} out (server README, "Tracking listener"). Runs on the tracking event
 * loop: every call it makes ({@link PoolSessions}, Bucket4j) works in memory without waiting
 * for I/O. With a cluster ({@link SharedPoolSessions}) the sessions are in Redis: a session
 * route's answer is a stage that completes on the loop when Redis answered, and a 503 with a
 * JSON reason when it failed or did not answer within {@code cluster.timeout_ms} (the page
 * keeps its own number); the loop never waits for it.
 *
 * <p>A request is checked in this order: the route (404), the method (405, or the CORS preflight),
 * the pool (404), the {@code Origin} (403 without CORS headers), a token from the client
 * address's bucket and on pool routes from the pool's (429 with {@code Retry-After} and CORS
 * headers, so the script can read it), the body (400), and the pool's answer. What is refused
 * before the buckets (and the script and preflights) touches no state and costs as little as a
 * 429 would, so only requests that reach the pools take tokens. An {@code Origin}
 * is checked against the pool's {@code allowed_origins} on pool routes, and against those of all
 * pools on session routes (the answer does not say which pool a session belongs to; the session
 * id, 128 random bits, is the credential there). A request without {@code Origin} (not from a
 * browser's cross-origin fetch) is not refused for it.
 */
final class TrackingApi {

    /** How often the script renews at most (seconds), as retreaver.js does. */
    static final int RENEW_SECONDS = 15;
    static final String ALLOW_METHODS = "POST, GET, OPTIONS";
    /** Browsers may keep a preflight's answer this long (Chromium caps it at 7,200). */
    static final String PREFLIGHT_MAX_AGE = "600";

    private static final Map<String, JsonBody.Kind> SESSION_FIELDS = Map.ofEntries(
            Map.entry("session", JsonBody.Kind.STRING), Map.entry("page_url", JsonBody.Kind.STRING),
            Map.entry("referrer", JsonBody.Kind.STRING), Map.entry("utm_source", JsonBody.Kind.STRING),
            Map.entry("utm_medium", JsonBody.Kind.STRING), Map.entry("utm_campaign", JsonBody.Kind.STRING),
            Map.entry("utm_term", JsonBody.Kind.STRING), Map.entry("utm_content", JsonBody.Kind.STRING),
            Map.entry("gclid", JsonBody.Kind.STRING), Map.entry("gbraid", JsonBody.Kind.STRING),
            Map.entry("wbraid", JsonBody.Kind.STRING), Map.entry("fbclid", JsonBody.Kind.STRING),
            Map.entry("msclkid", JsonBody.Kind.STRING), Map.entry("ga_client_id", JsonBody.Kind.STRING),
            Map.entry("sales_code", JsonBody.Kind.STRING), Map.entry("references", JsonBody.Kind.STRINGS),
            Map.entry("tags", JsonBody.Kind.STRING_MAP));
    private static final Map<String, JsonBody.Kind> PAGE_VIEW_FIELDS = Map.of("page_url", JsonBody.Kind.STRING);
    private static final Map<String, JsonBody.Kind> FAILURE_FIELDS = Map.of("page_url", JsonBody.Kind.STRING,
            "reason", JsonBody.Kind.STRING);

    /** The routes of this listener. */
    enum Route {
        SCRIPT("GET"), CREATE("POST"), FAILURES("POST"), RENEW("POST"), PAGE_VIEWS("POST"), RELEASE("POST");

        private final String method;

        Route(String method) {
            this.method = method;
        }

        boolean onPool() {
            return this == CREATE || this == FAILURES;
        }
    }

    /** The settings in force, swapped whole by a reload. */
    private record Settings(RateLimits limits, Set<String> anyPoolOrigins) {
    }

    private final PoolSessions pools;
    /** The sessions in the cluster's Redis; null without {@code cluster:}. */
    private final SharedPoolSessions shared;
    private final TrackingScript script;
    private final TrackingStats stats;
    private final Clock wall;
    private final TimeMeter time;
    private final NumberDisplay display = new NumberDisplay();
    private long lastSecond;
    private String lastIso;
    private volatile Settings settings;

    TrackingApi(RouterConfig config, PoolSessions pools, SharedPoolSessions shared, TrackingScript script,
                TrackingStats stats, Clock wall, TimeMeter time) {
        this.pools = pools;
        this.shared = shared;
        this.script = script;
        this.stats = stats;
        this.wall = wall;
        this.time = time;
        configure(config);
    }

    /**
     * Follows a reloaded configuration: the rates (the buckets start full when a rate changed,
     * and are kept otherwise) and the origins of the pools. Safe from any thread.
     */
    void configure(RouterConfig config) {
        final ServerSettings.Tracking.Rate rate = config.server().tracking().rate();
        final Settings was = settings;
        final RateLimits limits = was != null && was.limits().rate().equals(rate) ? was.limits()
                : new RateLimits(rate, time);
        final Set<String> origins = new HashSet<>();
        for (PoolConfig pool : config.pools()) {
            origins.addAll(pool.allowedOrigins());
        }
        settings = new Settings(limits, Set.copyOf(origins));
    }

    /**
     * Answers one request: at once, or (a session route with a cluster) when Redis answered, on
     * {@code loop}. Throws, or fails the stage, only on a bug (the server answers that 500).
     */
    CompletionStage<TrackingResponse> handle(TrackingRequest request, Executor loop) {
        try {
            return answer(request, loop);
        } catch (TrackingException e) {
            return now(refusal(e));
        }
    }

    private static CompletionStage<TrackingResponse> now(TrackingResponse answer) {
        return CompletableFuture.completedFuture(answer);
    }

    /** {@code {"error": ...}} with the refusal's status, its {@code Retry-After}, and {@code cors} headers. */
    private static TrackingResponse refusal(TrackingException e, String... cors) {
        final TrackingResponse answer = TrackingResponse.error(e.status(), e.getMessage(), cors);
        return e.retryAfterSeconds() == null ? answer : answer.with("Retry-After", e.retryAfterSeconds());
    }

    private CompletionStage<TrackingResponse> answer(TrackingRequest request, Executor loop) throws TrackingException {
        final Settings now = settings;
        final String path = request.path();
        final Route route = route(path);
        if (route == null) {
            throw new TrackingException(404, "no such endpoint");
        }
        final boolean preflight = request.method().equals("OPTIONS");
        if (!preflight && !request.method().equals(route.method)) {
            final String allowed = route.method + ", OPTIONS";
            return now(TrackingResponse.error(405, JsonBody.shortened(request.method())
                    + " is not allowed here; allowed: " + allowed, "Allow", allowed));
        }
        if (route == Route.SCRIPT) {
            if (preflight) {
                return now(TrackingResponse.empty(204, "Allow", "GET, OPTIONS"));
            }
            if (script == null) {
                throw new TrackingException(404, "no script on this router (" + TrackingScript.RESOURCE
                        + " is not on the class path)");
            }
            return now(script.answer(request));
        }
        final String id = id(path);
        final PoolConfig pool = route.onPool() ? pools.pool(id) : null;
        if (route.onPool() && pool == null) {
            throw new TrackingException(404, "unknown pool");
        }
        final String origin = request.origin();
        if (origin != null && !(pool != null ? allows(pool.allowedOrigins(), origin)
                : now.anyPoolOrigins().contains("*") || now.anyPoolOrigins().contains(origin))) {
            throw new TrackingException(403, "origin not allowed");
        }
        final String[] cors = origin == null ? new String[0] : new String[] {"Access-Control-Allow-Origin", origin,
            "Vary", "Origin"};
        if (preflight) {
            return now(TrackingResponse.empty(204, cors).with("Access-Control-Allow-Methods", ALLOW_METHODS,
                    "Access-Control-Allow-Headers", "Content-Type", "Access-Control-Max-Age", PREFLIGHT_MAX_AGE));
        }
        try {
            limit(now.limits().address(request.client()), TrackingStats.Scope.ADDRESS);
            if (pool != null) {
                limit(now.limits().pool(pool.id()), TrackingStats.Scope.POOL);
            }
            if (shared != null && route != Route.FAILURES) {
                return dispatchShared(route, id, pool, request.body(), request.client(), loop, cors);
            }
            return now(dispatch(route, id, pool, request.body(), request.client()).with(cors));
        } catch (TrackingException e) {
            return now(refusal(e, cors));
        }
    }

    private TrackingResponse dispatch(Route route, String id, PoolConfig pool, byte[] body, String client)
            throws TrackingException {
        final long nowMs = wall.millis();
        switch (route) {
            case CREATE -> {
                final Creation visitor = creation(body, pool);
                final Allocation allocation;
                try {
                    allocation = pools.create(pool.id(), visitor.held(), visitor.request(), client, nowMs);
                } catch (StoreException e) {
                    // The sessions store is full (server.stores.max_sessions smaller than the
                    // pools need; counted in store_full_refusals_total) or failed: the visitor
                    // keeps the page's own number, as when the listener cannot be reached.
                    throw new TrackingException(503, "no room for a new session now");
                }
                return allocation(allocation, nowMs);
            }
            case RENEW -> {
                return allocation(pools.renew(id, nowMs), nowMs);
            }
            case PAGE_VIEWS -> {
                if (!pools.pageView(id, pageViewUrl(body), nowMs)) {
                    throw new TrackingException(404, "unknown or expired session");
                }
                return TrackingResponse.empty(204);
            }
            case RELEASE -> {
                // sendBeacon's body (empty or text/plain) carries nothing we need.
                pools.release(id, nowMs);
                return TrackingResponse.empty(204);
            }
            case FAILURES -> {
                final JsonBody json = JsonBody.parse(body, FAILURE_FIELDS, true);
                final String url = json.string("page_url");
                final String problem = url == null ? null : SessionRequest.urlProblem(url);
                if (problem != null) {
                    throw new TrackingException(400, problem);
                }
                final String reason = json.string("reason");
                if (reason != null && reason.length() > SessionRequest.LIMITS.maxTextChars()) {
                    throw new TrackingException(400, "reason longer than " + SessionRequest.LIMITS.maxTextChars()
                            + " characters");
                }
                stats.scriptFailure(pool.id(), TrackingStats.pageOf(url));
                return TrackingResponse.empty(204);
            }
            default -> throw new IllegalStateException(route.name());
        }
    }

    /** A request for a number: the session the page holds (or null) and what it tells about the visitor. */
    private record Creation(String held, SessionRequest request) {
    }

    private static Creation creation(byte[] body, PoolConfig pool) throws TrackingException {
        final JsonBody json = JsonBody.parse(body, SESSION_FIELDS, true);
        final String held = json.string("session");
        if (held != null && !isSessionId(held)) {
            throw new TrackingException(400, "session must be 32 lowercase hex characters");
        }
        final SessionRequest visitor = sessionRequest(json);
        final String problem = visitor.problem(pool);
        if (problem != null) {
            throw new TrackingException(400, problem);
        }
        return new Creation(held, visitor);
    }

    private static String pageViewUrl(byte[] body) throws TrackingException {
        final String url = JsonBody.parse(body, PAGE_VIEW_FIELDS, false).string("page_url");
        final String problem = SessionRequest.urlProblem(url);
        if (problem != null) {
            throw new TrackingException(400, problem);
        }
        return url;
    }

    /** The session routes with a cluster: one Redis step each, answered on {@code loop} when it completes. */
    private CompletionStage<TrackingResponse> dispatchShared(Route route, String id, PoolConfig pool, byte[] body,
                                                             String client, Executor loop, String[] cors)
            throws TrackingException {
        final long nowMs = wall.millis();
        return switch (route) {
            case CREATE -> {
                final Creation visitor = creation(body, pool);
                yield later(shared.create(pool.id(), visitor.held(), visitor.request(), client, nowMs), loop, cors,
                        a -> allocation(a, nowMs));
            }
            case RENEW -> later(shared.renew(id), loop, cors, a -> allocation(a, nowMs));
            case PAGE_VIEWS -> later(shared.pageView(id, pageViewUrl(body)), loop, cors, viewed -> {
                if (!viewed) {
                    throw new TrackingException(404, "unknown or expired session");
                }
                return TrackingResponse.empty(204);
            });
            case RELEASE -> later(shared.release(id), loop, cors, released -> TrackingResponse.empty(204));
            default -> throw new IllegalStateException(route.name());
        };
    }

    /** What to answer for a Redis step's outcome. */
    private interface Outcome<T> {
        TrackingResponse answer(T value) throws TrackingException;
    }

    /**
     * The answer to a Redis step, made on {@code loop} (which confines this API's state) when the
     * step completed: a 503 when it failed or timed out, so the page keeps its own number.
     */
    private <T> CompletionStage<TrackingResponse> later(CompletionStage<T> step, Executor loop, String[] cors,
                                                        Outcome<T> outcome) {
        return step.handleAsync((value, error) -> {
            if (error != null) {
                return TrackingResponse.error(503, "shared state unavailable; keep the page's own number", cors);
            }
            try {
                return outcome.answer(value).with(cors);
            } catch (TrackingException e) {
                return refusal(e, cors);
            }
        }, loop);
    }

    /** The session answer, or the refusal the allocation's status calls for. */
    private TrackingResponse allocation(Allocation a, long nowMs) throws TrackingException {
        switch (a.status()) {
            case CREATED, KEPT, RENEWED, OVERFLOW -> {
                final StringBuilder json = new StringBuilder(192).append("{\"session\":");
                if (a.sessionId() == null) {
                    json.append("null");
                } else {
                    json.append('"').append(a.sessionId()).append('"');
                }
                json.append(",\"number\":\"");
                TrackingResponse.escape(a.number(), json);
                json.append("\",\"display\":\"");
                TrackingResponse.escape(display.of(a.number()), json);
                json.append("\",\"expires_at\":\"").append(isoSecond(a.expiresAtMs() / 1000))
                        .append("\",\"overflow\":").append(a.status() == Allocation.Status.OVERFLOW)
                        .append(",\"renew_seconds\":").append(renewSeconds(a.expiresAtMs() - nowMs)).append('}');
                return new TrackingResponse(200, TrackingResponse.JSON,
                        json.toString().getBytes(StandardCharsets.UTF_8), new String[0]);
            }
            case UNKNOWN_POOL -> throw new TrackingException(404, "unknown pool");
            case UNKNOWN_SESSION -> throw new TrackingException(404, "unknown or expired session");
            case ADDRESS_CAP -> throw new TrackingException(403, "too many sessions from this address");
            case NO_NUMBER -> throw new TrackingException(503, "no number available");
            default -> throw new IllegalStateException(a.status().name());
        }
    }

    /**
     * {@code second} as ISO-8601 UTC; the last one is kept, since the answers of one second all
     * carry nearly the same lease end (confined to the event loop, like the rest of the API).
     */
    private String isoSecond(long second) {
        if (second != lastSecond || lastIso == null) {
            lastIso = Instant.ofEpochSecond(second).toString();
            lastSecond = second;
        }
        return lastIso;
    }

    /** Renew well before the lease ends: every 15 s, or every half lease when that is shorter. */
    static int renewSeconds(long leftMs) {
        return (int) Math.max(1, Math.min(RENEW_SECONDS, leftMs / 2000));
    }

    private void limit(long waitNanos, TrackingStats.Scope scope) throws TrackingException {
        if (waitNanos != RateLimits.ALLOWED) {
            stats.refused(scope);
            throw new TrackingException(429, "too many requests from this " + scope.label() + "; retry later",
                    RateLimits.retryAfterSeconds(waitNanos));
        }
    }

    private static boolean allows(List<String> allowed, String origin) {
        return allowed.contains("*") || allowed.contains(origin);
    }

    private static SessionRequest sessionRequest(JsonBody json) {
        return new SessionRequest(json.string("page_url"), json.string("referrer"), json.string("utm_source"),
                json.string("utm_medium"), json.string("utm_campaign"), json.string("utm_term"),
                json.string("utm_content"), json.string("gclid"), json.string("gbraid"), json.string("wbraid"),
                json.string("fbclid"), json.string("msclkid"), json.string("ga_client_id"), json.string("sales_code"),
                json.strings("references"), json.stringMap("tags"));
    }

    /**
     * The route of {@code path}, or null: {@code /callrouter.js}, {@code /v1/pools/{pool}/sessions|failures},
     * {@code /v1/sessions/{session}/renew|pageviews|release}. A pool id must look like one
     * ({@code [a-z0-9_-]{1,64}}) and a session id like one (32 lowercase hex), so nothing else
     * reaches the pools.
     */
    static Route route(String path) {
        if (path.equals("/callrouter.js")) {
            return Route.SCRIPT;
        }
        if (path.startsWith("/v1/pools/")) {
            final int slash = path.indexOf('/', 10);
            if (slash < 0 || !isPoolId(path, 10, slash)) {
                return null;
            }
            final String tail = path.substring(slash + 1);
            return tail.equals("sessions") ? Route.CREATE : tail.equals("failures") ? Route.FAILURES : null;
        }
        if (path.startsWith("/v1/sessions/")) {
            final int slash = path.indexOf('/', 13);
            if (slash != 13 + 32 || !isSessionId(path.substring(13, slash))) {
                return null;
            }
            return switch (path.substring(slash + 1)) {
                case "renew" -> Route.RENEW;
                case "pageviews" -> Route.PAGE_VIEWS;
                case "release" -> Route.RELEASE;
                default -> null;
            };
        }
        return null;
    }

    /** The pool or session id of a routed path: the segment before the last. */
    static String id(String path) {
        final int last = path.lastIndexOf('/');
        return path.substring(path.lastIndexOf('/', last - 1) + 1, last);
    }

    private static boolean isPoolId(String path, int from, int to) {
        if (to - from < 1 || to - from > 64) {
            return false;
        }
        for (int i = from; i < to; i++) {
            final char c = path.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    static boolean isSessionId(String id) {
        if (id.length() != 32) {
            return false;
        }
        for (int i = 0; i < 32; i++) {
            final char c = id.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }
}
