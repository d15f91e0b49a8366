package org.callrouter.server.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.callrouter.routing.CallContext;
import org.callrouter.routing.CallRates;
import org.callrouter.routing.HandlerHealth;
import org.callrouter.routing.CapUsage;
import org.callrouter.routing.ConversionOutcome;
import org.callrouter.routing.PlanFormat;
import org.callrouter.routing.RoutingPlan;
import org.callrouter.routing.caps.CapWindow;
import org.callrouter.routing.quarantine.CallMark;
import org.callrouter.routing.config.ApiToken;
import org.callrouter.routing.config.CampaignConfig;
import org.callrouter.routing.config.Caps;
import org.callrouter.routing.config.ConfigError;
import org.callrouter.routing.config.ConfigException;
import org.callrouter.routing.config.HandlerConfig;
import org.callrouter.routing.config.ServerSettings;
import org.callrouter.routing.pool.PoolStatus;
import org.callrouter.server.b2bua.CallStatus;
import org.callrouter.server.leads.JournalIngest;
import org.callrouter.server.leads.StoreHealth;
import org.callrouter.server.records.JournalReader;
import org.callrouter.server.records.PostbackResult;
import org.callrouter.server.records.RecordJson;
import org.callrouter.server.webhook.CallWebhooks;

/**
 * The admin HTTP API, without the HTTP: an {@link ApiRequest} in, an {@link ApiResponse} out.
 * Called on the admin worker threads (it may read files and wait for the emitter). Every
 * refusal is a JSON {@code {"error": {"code", "message", "field"}}} with a 4xx status (503 when
 * the router cannot answer now). See the server README, "Admin HTTP API".
 *
 * <p>Routes: {@code /metrics} and {@code /health/*} are open (add a readiness reason in
 * {@link RouterService#notReady}); {@code /postback/<call id>} is authorised by the call's key
 * alone and guarded against guessing ({@link PostbackGuard}); {@code /v1/*} needs a bearer
 * token of {@code server.admin}, whose scope ({@code read} or {@code admin}) must allow the
 * route (the table of {@link V1Route}s, each documented in {@code admin/openapi.json}, which
 * {@code GET /v1/openapi.json} serves; the lead, sale, session and report routes are
 * {@link LeadsApi}'s); {@code /console/} serves the web console's files
 * ({@link ConsoleAssets}), which are open and read everything through {@code /v1} with the
 * operator's token.
 */
public final class AdminApi {

    /** {@code GET /metrics}'s media type: the Prometheus text format 0.0.4. */
    static final String METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    /** The classpath resource of the {@code /v1} OpenAPI document, served at {@code GET /v1/openapi.json}. */
    static final String OPENAPI = "/admin/openapi.json";
    private static final long DEFAULT_SINCE_MS = TimeUnit.HOURS.toMillis(24);

    private final RouterService service;
    private final Clock wall;
    private final PostbackGuard postbacks = new PostbackGuard();
    private final NumbersApi numbers;
    private final ConsoleAssets console = ConsoleAssets.load();
    private final String openApi = openApi();
    private final List<V1Route> routes;

    AdminApi(RouterService service, Clock wall) {
        this.service = service;
        this.wall = wall;
        this.numbers = new NumbersApi(service, wall);
        this.routes = v1Routes();
    }

    /** Answers one request; never throws. */
    public ApiResponse handle(ApiRequest request) {
        try {
            final QueryStringDecoder decoded = decode(request.uri());
            final String path = decoded.path();
            final String method = request.method();
            if (path.equals("/metrics")) {
                only(method, "GET");
                return new ApiResponse(200, METRICS_TYPE, service.metrics().scrape().getBytes(StandardCharsets.UTF_8),
                        Map.of());
            }
            if (path.equals("/health/live")) {
                only(method, "GET");
                return status(200, "live");
            }
            if (path.equals("/health/ready")) {
                only(method, "GET");
                return ready();
            }
            if (path.equals("/health")) {
                only(method, "GET");
                return health();
            }
            if (path.equals("/console")) {
                only(method, "GET");
                return new ApiResponse(301, "text/plain; charset=utf-8", new byte[0], Map.of("Location", "/console/"));
            }
            if (path.startsWith("/console/")) {
                only(method, "GET");
                return console.file(path.substring("/console/".length()))
                        .orElseThrow(() -> new ApiException(404, "no such console file: " + path));
            }
            final String[] parts = (path.startsWith("/") ? path.substring(1) : path).split("/", -1);
            if (parts.length == 2 && parts[0].equals("postback") && !parts[1].isEmpty()) {
                only(method, "POST");
                return postback(parts[1], decoded.parameters(), request);
            }
            if (parts[0].equals("v1")) {
                final ApiToken token = authorize(request.authorization());
                return v1(method, parts, decoded.parameters(), request, token);
            }
            throw new ApiException(404, "no such endpoint: " + path);
        } catch (ApiException e) {
            return ApiResponse.error(e);
        } catch (RuntimeException e) {
            service.errors().onError(e);
            return ApiResponse.error(500, "internal error: " + e.getClass().getSimpleName());
        }
    }

    /** The URI's path and query, %-decoded (RFC 3986 2.1); a bad escape is the client's error. */
    private static QueryStringDecoder decode(String uri) throws ApiException {
        final QueryStringDecoder decoded = new QueryStringDecoder(uri, StandardCharsets.UTF_8);
        try {
            // Netty decodes lazily: ask for both now, so a bad escape is found here.
            decoded.path();
            decoded.parameters();
            return decoded;
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "malformed URI: " + e.getMessage());
        }
    }

    /**
     * The {@code /v1} routes: a path goes to the route of its method among those it fits with the
     * fewest {@code {variables}}; {@code admin/openapi.json} documents each.
     */
    List<V1Route> routes() {
        return routes;
    }

    private List<V1Route> v1Routes() {
        final ApiToken.Scope read = ApiToken.Scope.READ;
        final ApiToken.Scope admin = ApiToken.Scope.ADMIN;
        final List<V1Route> table = new ArrayList<>(List.of(
                new V1Route("GET", "/v1/openapi.json", read, (s, q, b) -> ApiResponse.json(200, openApi)),
                new V1Route("GET", "/v1/explain", read, (s, q, b) -> explain(q)),
                new V1Route("POST", "/v1/reload", admin, (s, q, b) -> reload()),
                new V1Route("GET", "/v1/calls", read, (s, q, b) -> calls(q)),
                new V1Route("GET", "/v1/calls/{id}", read, (s, q, b) -> call(s.get(2))),
                new V1Route("POST", "/v1/calls/{id}/conversion", admin, (s, q, b) -> conversion(s.get(2), key(q, b))),
                new V1Route("GET", "/v1/caps", read,
                        (s, q, b) -> caps(service.config().handlers().stream().map(HandlerConfig::id).toList())),
                new V1Route("GET", "/v1/caps/{handler}", read, (s, q, b) -> handlerCaps(s.get(2))),
                new V1Route("GET", "/v1/live", read, (s, q, b) -> live()),
                new V1Route("GET", "/v1/pools", read, (s, q, b) -> pools()),
                new V1Route("POST", "/v1/caps/{handler}/reset", admin, V1Route.UNCHECKED,
                        c -> resetCap(c.segments().get(2), c.query(), c.body(), c.ifMatch()))));
        table.addAll(new LeadsApi(() -> service.leads(), () -> service.config(), wall).routes());
        table.addAll(new CallbacksApi(() -> service.callbacks()).routes());
        table.addAll(numbers.routes());
        return List.copyOf(table);
    }

    private ApiResponse v1(String method, String[] parts, Map<String, List<String>> query, ApiRequest request,
                           ApiToken token) throws ApiException {
        final List<String> segments = List.of(parts);
        // The templates with the fewest {variables} win (/v1/numbers/quarantine over /v1/numbers/{number});
        // among them the method picks the route, and none is a 405 that lists theirs.
        int fewest = Integer.MAX_VALUE;
        final List<V1Route> matched = new ArrayList<>();
        for (V1Route route : routes) {
            if (route.matches(segments)) {
                if (route.variables() < fewest) {
                    fewest = route.variables();
                    matched.clear();
                }
                if (route.variables() == fewest) {
                    matched.add(route);
                }
            }
        }
        for (V1Route route : matched) {
            if (route.method().equals(method)) {
                allow(method, route.method(), token, route.scope());
                route.checkBody(request.contentType(), request.body());
                return route.action().answer(new V1Route.Call(segments, query, request.body(), token,
                        request.ifMatch()));
            }
        }
        if (!matched.isEmpty()) {
            throw ApiException.methodNotAllowed(method, String.join(", ", matched.stream().map(V1Route::method).toList()));
        }
        throw new ApiException(404, "no such endpoint: /" + String.join("/", parts));
    }

    /** The OpenAPI document of {@code /v1}, read once from the classpath. */
    private static String openApi() {
        try (InputStream in = AdminApi.class.getResourceAsStream(OPENAPI)) {
            if (in == null) {
                throw new IllegalStateException(OPENAPI + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(OPENAPI + " cannot be read", e);
        }
    }

    // ---- endpoints -------------------------------------------------------------------------

    private ApiResponse ready() {
        final List<String> reasons = service.notReady();
        if (reasons.isEmpty()) {
            return status(200, "ready");
        }
        final ObjectNode body = ApiResponse.JSON.createObjectNode();
        body.put("status", "not ready");
        final ArrayNode why = body.putArray("reasons");
        reasons.forEach(why::add);
        return ApiResponse.json(503, body);
    }

    /**
     * {@code GET /health}: readiness with its reasons, and what is wrong without stopping calls
     * (the lead store failing while records wait in the journal): 200 when ready, else 503.
     */
    private ApiResponse health() {
        final List<String> reasons = service.notReady();
        final ObjectNode body = ApiResponse.JSON.createObjectNode();
        body.put("status", reasons.isEmpty() ? "ready" : "not ready");
        final ArrayNode why = body.putArray("reasons");
        reasons.forEach(why::add);
        final ArrayNode warnings = body.putArray("warnings");
        service.warnings().forEach(warnings::add);
        final JournalIngest ingest = service.ingest();
        if (ingest == null) {
            body.putNull("store");
        } else {
            final ObjectNode store = body.putObject("store");
            final StoreHealth health = service.leads().health();
            store.put("engine", health.engine());
            store.put("url", health.url());
            store.put("node", ingest.node());
            store.put("ingest", ingest.state().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            store.put("lag_bytes", ingest.lagBytes());
            store.put("last_error", ingest.lastError());
        }
        return ApiResponse.json(reasons.isEmpty() ? 200 : 503, body);
    }

    private ApiResponse explain(Map<String, List<String>> query) throws ApiException {
        final String number = one(query, "number");
        if (number == null || number.isBlank()) {
            throw ApiException.invalid("number",
                    "number is required: /v1/explain?number=18005550100&caller=+14155550123");
        }
        final CallContext.Builder call = CallContext.builder().dialedNumber(number).callerNumber(one(query, "caller"));
        final String at = one(query, "at");
        call.nowMs(at == null ? wall.millis() : instant("at", at));
        for (String tag : query.getOrDefault("tag", List.of())) {
            final int eq = tag.indexOf('=');
            if (eq <= 0) {
                throw ApiException.invalid("tag", "tag must be name=value, got \"" + tag + "\"");
            }
            call.tag(tag.substring(0, eq), tag.substring(eq + 1));
        }
        final RoutingPlan plan = service.explain(call.build());
        if (plan.outcome() == RoutingPlan.Outcome.UNKNOWN_NUMBER) {
            throw new ApiException(404, "unknown number: " + plan.rejectionReason());
        }
        return ApiResponse.json(200, PlanFormat.json(plan, service.health(), service::unreachable));
    }

    private ApiResponse reload() {
        try {
            service.reload();
        } catch (ConfigException e) {
            final ObjectNode body = ApiResponse.errorBody(422, "configuration refused; the running configuration "
                    + "stays", null);
            final ArrayNode errors = body.putArray("errors");
            for (ConfigError error : e.errors()) {
                errors.add(error.toString());
            }
            return ApiResponse.json(422, body);
        }
        final ObjectNode body = ApiResponse.JSON.createObjectNode();
        body.put("reloaded", true);
        body.put("file", String.valueOf(service.config().file()));
        body.put("campaigns", service.config().campaigns().size());
        body.put("handlers", service.config().handlers().size());
        return ApiResponse.json(200, body);
    }

    private ApiResponse calls(Map<String, List<String>> query) throws ApiException {
        final String status = one(query, "status");
        if (status != null && !isStatus(status)) {
            throw ApiException.invalid("status", "status must be one of completed, no-answer, busy, failed, rejected, "
                    + "canceled, interrupted; got \"" + status + "\"");
        }
        final String sinceText = one(query, "since");
        final long since = sinceText == null ? wall.millis() - DEFAULT_SINCE_MS : instant("since", sinceText);
        final int limit = limit(query);
        final RouterService.CallPage page;
        try {
            page = service.calls(new JournalReader.Query(filter(query, "campaign"), filter(query, "source"),
                    filter(query, "handler"), filter(query, "caller"), status, since, limit),
                    Cursor.decode("calls", one(query, "cursor")));
        } catch (IllegalArgumentException e) {
            throw Cursor.refused("calls");
        }
        final ObjectNode body = ApiResponse.JSON.createObjectNode();
        body.put("count", page.calls().size());
        body.put("since", RecordJson.time(since));
        body.putArray("calls").addAll(page.calls());
        body.put("next_cursor", Cursor.encode("calls", page.next()));
        return ApiResponse.json(200, body);
    }

    private ApiResponse call(String id) throws ApiException {
        try {
            final Optional<ObjectNode> record = service.call(id);
            if (record.isEmpty()) {
                throw new ApiException(404, "no call " + id + " in the journal or in progress");
            }
            final ArrayNode webhooks = record.get().putArray("webhooks");
            for (CallWebhooks.Entry w : service.webhooks().dispatcher().perCall().of(id)) {
                webhooks.add(webhook(w));
            }
            return ApiResponse.json(200, record.get());
        } catch (TimeoutException e) {
            throw new ApiException(503, e.getMessage());
        }
    }

    /** {@code POST /postback/<call id>}: the call's key is the credential. */
    private ApiResponse postback(String id, Map<String, List<String>> query, ApiRequest request) throws ApiException {
        if (!postbacks.allowed(request.client())) {
            throw new ApiException(429, "too many refused postbacks from " + request.client().getHostAddress()
                    + "; retry later", Map.of("Retry-After", PostbackGuard.retryAfterSeconds()));
        }
        final String key = key(query, request.body());
        try {
            final String reason = postbackReason(query, request.body());
            return reason == null ? conversion(id, key) : markByPostback(id, key, reason);
        } catch (ApiException e) {
            if (e.status() == 403 || e.status() == 404) {
                postbacks.refused(request.client());
            }
            throw e;
        }
    }

    /**
     * The postback's {@code reason} ({@code spam} or {@code misdirected}: the handler's system marks
     * the call instead of converting it): {@code ?reason=}, or the body's {@code "reason"}; null when none.
     */
    private static String postbackReason(Map<String, List<String>> query, byte[] body) throws ApiException {
        final String reason = one(query, "reason");
        if (reason != null || body.length == 0) {
            return reason;
        }
        try {
            final JsonNode json = ApiResponse.JSON.readTree(body);
            final JsonNode value = json == null ? null : json.get("reason");
            if (value != null && !value.isTextual()) {
                throw ApiException.invalid("reason",
                        "reason must be spam or misdirected, got " + RequestJson.type(value));
            }
            return value == null ? null : value.asText();
        } catch (IOException e) {
            throw new ApiException(400, "the body cannot be read: " + e.getMessage());
        }
    }

    /** A postback that marks the call: the call's key is checked as for a conversion. */
    private ApiResponse markByPostback(String id, String key, String reason) throws ApiException {
        final CallMark mark;
        try {
            mark = CallMark.fromWire(reason);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, e.getMessage());
        }
        final JsonNode call = numbers.record(id);
        if (!MessageDigest.isEqual(key.getBytes(StandardCharsets.UTF_8),
                call.path("key").asText().getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(403, "wrong key for call " + id);
        }
        return numbers.mark(id, mark, "postback");
    }

    /** The call's key: {@code ?key=}, or the body {@code {"key": "..."}}. */
    private static String key(Map<String, List<String>> query, byte[] body) throws ApiException {
        String key = one(query, "key");
        if (key == null && body.length > 0) {
            final JsonNode json;
            try {
                json = ApiResponse.JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new ApiException(400, "the body must be JSON such as {\"key\": \"...\"}: "
                        + e.getOriginalMessage());
            } catch (IOException e) {
                throw new ApiException(400, "the body cannot be read: " + e.getMessage());
            }
            if (json == null || !json.isObject() || !json.path("key").isTextual()) {
                throw new ApiException(400, "the body must be a JSON object with the call's \"key\" as a string");
            }
            key = json.path("key").asText();
        }
        if (key == null || key.isEmpty()) {
            throw ApiException.invalid("key", "the call's key is required (the X-Call-Key header of the call): "
                    + "{\"key\": \"...\"} or ?key=");
        }
        return key;
    }

    private ApiResponse conversion(String id, String key) throws ApiException {
        final Optional<PostbackResult> answer;
        try {
            answer = service.records().postback(id, key);
        } catch (TimeoutException e) {
            throw new ApiException(503, e.getMessage());
        }
        if (answer.isEmpty()) {
            throw new ApiException(404, "no call " + id);
        }
        final PostbackResult result = answer.get();
        return switch (result.status()) {
            case APPLIED -> ApiResponse.json(200, postbackBody(id, result));
            case WRONG_KEY -> throw new ApiException(403, result.message());
            case NOT_ANSWERED, REFUSED -> throw new ApiException(409, result.message());
            case NOT_IN_MEMORY -> throw new ApiException(404, "no call " + id);
        };
    }

    /** {@code GET /v1/caps[/<handler>]}: each cap of the handlers and how much of it is used now. */
    private ApiResponse caps(List<String> handlers) throws ApiException {
        final ObjectNode body = ApiResponse.JSON.createObjectNode();
        final ArrayNode list = body.putArray("handlers");
        for (String handler : handlers) {
            list.add(usage(handler));
        }
        return ApiResponse.json(200, body);
    }

    /** {@code GET /v1/caps/<handler>}: with the {@code ETag} a reset's {@code If-Match} names. */
    private ApiResponse handlerCaps(String handler) throws ApiException {
        final ObjectNode usage = usage(handler);
        final ObjectNode body = ApiResponse.JSON.createObjectNode();
        body.putArray("handlers").add(usage);
        return ApiResponse.tagged(200, usage, body);
    }

    /**
     * {@code GET /v1/live}: calls up now and the last minute's rates per campaign (every
     * configured campaign, and any other that had calls), and each handler's live calls, caps
     * and health with why.
     */
    private ApiResponse live() throws ApiException {
        final long now = wall.millis();
        final ObjectNode body = ApiResponse.JSON.createObjectNode();
        body.put("at", RecordJson.time(now));
        body.put("window_seconds", LiveCalls.WINDOW_SECONDS);
        rates(body, service.live().total(now));
        final Map<String, LiveCalls.Campaign> seen = service.live().campaigns(now);
        final ArrayNode campaigns = body.putArray("campaigns");
        for (CampaignConfig campaign : service.config().campaigns()) {
            final LiveCalls.Campaign counts = seen.remove(campaign.id());
            final ObjectNode c = campaigns.addObject();
            c.put("campaign", campaign.id());
            rates(c, counts != null ? counts
                    : new LiveCalls.Campaign(campaign.id(), 0, new CallRates(LiveCalls.WINDOW_SECONDS).rates(now)));
        }
        for (LiveCalls.Campaign other : seen.values()) {
            final ObjectNode c = campaigns.addObject();
            c.put("campaign", other.campaign());
            rates(c, other);
        }
        final ArrayNode handlers = body.putArray("handlers");
        final HandlerHealth health = service.health();
        for (HandlerConfig handler : service.config().handlers()) {
            final ObjectNode h = usage(handler.id());
            for (JsonNode cap : h.path("caps")) {
                if (cap.path("cap").asText().equals("concurrency")) {
                    h.put("calls_up", cap.path("used").asInt());
                }
            }
            final HandlerHealth.Status status = health.status(handler.id());
            h.put("healthy", status.healthy());
            h.put("health", status.detail(health.settings()));
            final String unreachable = service.unreachable(handler.uri());
            if (unreachable != null) {
                h.put("unreachable", unreachable);
            }
            handlers.add(h);
        }
        return ApiResponse.json(200, body);
    }

    private static void rates(ObjectNode node, LiveCalls.Campaign counts) {
        final CallRates.Rates rates = counts.rates();
        node.put("calls_up", counts.callsUp());
        node.put("calls_per_second", rates.callsPerSecond());
        node.put("arrived", rates.arrived());
        node.put("ended", rates.ended());
        node.put("answered", rates.answered());
        if (Double.isNaN(rates.answerRate())) {
            node.putNull("answer_rate");
        } else {
            node.put("answer_rate", rates.answerRate());
        }
    }

    /** {@code GET /v1/pools}: each number pool's size, use and counters now. */
    private ApiResponse pools() {
        final ObjectNode body = ApiResponse.JSON.createObjectNode();
        final ArrayNode list = body.putArray("pools");
        for (PoolStatus pool : service.pools()) {
            final ObjectNode p = list.addObject();
            p.put("pool", pool.pool());
            p.put("campaign", pool.campaign());
            p.put("size", pool.size());
            p.put("held", pool.held());
            p.put("free", pool.free());
            p.put("sessions_created", pool.sessionsCreated());
            p.put("renewals", pool.renewals());
            p.put("exhausted", pool.exhausted());
            p.put("address_cap_refusals", pool.addressCapRefusals());
            p.put("attribution_hits", pool.attributionHits());
            p.put("attribution_misses", pool.attributionMisses());
        }
        return ApiResponse.json(200, body);
    }

    /**
     * {@code POST /v1/caps/<handler>/reset?window=total}: sets one window's count to zero; with
     * {@code If-Match}, only while the handler's caps are as {@code GET /v1/caps/<handler>} showed
     * them (412 otherwise; a call counted in between is a change).
     */
    private ApiResponse resetCap(String handler, Map<String, List<String>> query, byte[] body, String ifMatch)
            throws ApiException {
        String name = one(query, "window");
        if (name == null && body.length > 0) {
            try {
                final JsonNode json = ApiResponse.JSON.readTree(body);
                name = json != null && json.path("window").isTextual() ? json.path("window").asText() : null;
            } catch (IOException e) {
                throw new ApiException(400, "the body must be JSON such as {\"window\": \"total\"}");
            }
        }
        CapWindow window = null;
        for (CapWindow w : CapWindow.values()) {
            if (w.capName().equals(name)) {
                window = w;
            }
        }
        if (window == null) {
            throw ApiException.invalid("window",
                    "window must be hourly, daily, monthly or total (concurrency counts live "
                    + "calls and is not reset), got " + (name == null ? "none" : "\"" + name + "\""));
        }
        EntityTag.check(ifMatch, usage(handler), "the caps of handler " + handler);
        service.resetCap(handler, window);
        final ObjectNode now = usage(handler);
        final ObjectNode answer = now.deepCopy();
        answer.put("reset", window.capName());
        return ApiResponse.tagged(200, now, answer);
    }

    private ObjectNode usage(String handler) throws ApiException {
        final List<CapUsage> usage;
        try {
            usage = service.capUsage(handler);
        } catch (IllegalArgumentException unknown) {
            throw new ApiException(404, "no handler \"" + handler + "\" in the configuration");
        }
        final ObjectNode node = ApiResponse.JSON.createObjectNode();
        node.put("handler", handler);
        final ArrayNode caps = node.putArray("caps");
        for (CapUsage cap : usage) {
            final ObjectNode c = caps.addObject();
            c.put("cap", cap.cap());
            if (cap.limit() == Caps.NONE) {
                c.putNull("limit");
                c.putNull("remaining");
            } else {
                c.put("limit", cap.limit());
                c.put("remaining", cap.remaining());
            }
            c.put("used", cap.used());
        }
        return node;
    }

    /** One webhook request of a call's story; its URL has no query string, nothing is secret. */
    private static ObjectNode webhook(CallWebhooks.Entry w) {
        final ObjectNode node = ApiResponse.JSON.createObjectNode();
        node.put("event", w.event());
        node.put("url", w.url());
        node.put("state", w.state().label());
        if (w.httpStatus() == 0) {
            node.putNull("http_status");
        } else {
            node.put("http_status", w.httpStatus());
        }
        node.put("tries", w.tries());
        if (w.lastAtMs() == CallWebhooks.Entry.UNKNOWN) {
            node.putNull("last_at");
        } else {
            node.put("last_at", RecordJson.time(w.lastAtMs()));
        }
        node.put("error", w.error());
        return node;
    }

    // ---- helpers ---------------------------------------------------------------------------

    private static ObjectNode postbackBody(String id, PostbackResult result) {
        final ObjectNode body = ApiResponse.JSON.createObjectNode();
        body.put("id", id);
        body.put("changed", result.changed());
        final ObjectNode postback = body.putObject("postback");
        side(postback.putObject("source"), result.postback().source());
        side(postback.putObject("handler"), result.postback().handler());
        try {
            body.set("call", RecordJson.parse(result.callLine()));
        } catch (IOException e) {
            throw new IllegalStateException("the emitter's own JSON does not parse", e);
        }
        return body;
    }

    private static void side(ObjectNode node, ConversionOutcome.Side side) {
        node.put("status", RecordJson.label(side.status()));
        node.put("amount", side.amount());
        node.put("reason", side.reason());
    }

    /** The token the request bears, or the refusal. */
    private ApiToken authorize(String authorization) throws ApiException {
        final ServerSettings.Admin admin = service.config().server().admin();
        if (!admin.apiEnabled()) {
            throw new ApiException(403, "the /v1 API is disabled: set server.admin.tokens (or server.admin.token) "
                    + "in the configuration");
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiException.unauthorized("missing credentials: send Authorization: Bearer <token>");
        }
        final ApiToken token = admin.token(authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8));
        if (token == null) {
            throw ApiException.unauthorized("the bearer token is none of server.admin's tokens");
        }
        return token;
    }

    /** The method is {@code allowed} and the token's scope covers {@code needed}. */
    private static void allow(String method, String allowed, ApiToken token, ApiToken.Scope needed)
            throws ApiException {
        only(method, allowed);
        if (!token.scope().allows(needed)) {
            throw new ApiException(403, "the token \"" + token.name() + "\" has scope " + token.scope().label()
                    + "; this needs " + needed.label());
        }
    }

    private static void only(String method, String allowed) throws ApiException {
        if (!allowed.equals(method)) {
            throw ApiException.methodNotAllowed(method, allowed);
        }
    }

    private static ApiResponse status(int code, String status) {
        final ObjectNode body = ApiResponse.JSON.createObjectNode();
        body.put("status", status);
        return ApiResponse.json(code, body);
    }

    /** {@code ?limit=}: 1 to {@value #MAX_LIMIT}, {@value #DEFAULT_LIMIT} when absent. */
    static int limit(Map<String, List<String>> query) throws ApiException {
        final String text = one(query, "limit");
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        int limit;
        try {
            limit = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.invalid("limit",
                    "limit must be a whole number from 1 to " + MAX_LIMIT + ", got \"" + text
                    + "\"");
        }
        return limit;
    }

    /** A filter's value; empty means no filter (what a form's blank field sends). */
    static String filter(Map<String, List<String>> query, String name) {
        final String value = one(query, name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    static String one(Map<String, List<String>> query, String name) {
        final List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(values.size() - 1);
    }

    /** An ISO-8601 instant ({@code 2026-03-09T14:00:00Z}, or with an offset) or epoch milliseconds. */
    static long instant(String name, String text) throws ApiException {
        try {
            if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
                return Long.parseLong(text);
            }
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeParseException | NumberFormatException e) {
            throw ApiException.invalid(name, name + " must be an ISO-8601 time such as 2026-03-09T14:00:00Z or epoch "
                    + "milliseconds, got \"" + text + "\"");
        }
    }

    private static boolean isStatus(String label) {
        for (CallStatus s : CallStatus.values()) {
            if (s.label().equals(label)) {
                return true;
            }
        }
        return false;
    }
}
