package org.callrouter.server.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.callrouter.routing.Router;
import org.callrouter.routing.config.ApiToken;
import org.callrouter.routing.config.NumberPolicy;
import org.callrouter.routing.config.RouterConfig;
import org.callrouter.routing.phone.PhoneNumbers;
import org.callrouter.routing.quarantine.CallMark;
import org.callrouter.routing.quarantine.NumberWindow;
import org.callrouter.routing.quarantine.QuarantinedNumber;
import org.callrouter.routing.store.NumberRemoval;
import org.callrouter.routing.store.StoreFullException;
import org.callrouter.server.quarantine.NumberHealth;
import org.callrouter.server.quarantine.QuarantineAudit;

/**
 * The number-health routes of {@code /v1}: the numbers removed from their campaigns
 * ({@code GET /v1/numbers/quarantine}), removing an imported number into quarantine
 * ({@code DELETE /v1/numbers/{number}}, audited in {@link QuarantineAudit}), taking one out early
 * ({@code POST /v1/numbers/quarantine/{number}/release}, {@code {"force": true}} before its time,
 * audited in {@link QuarantineAudit}), marking a call as spam or misdirected
 * ({@code POST /v1/calls/{id}/spam}) and each number's share of such calls
 * ({@code GET /v1/numbers/health}).
 */
final class NumbersApi {

    /** The largest release or mark body: {@code {"force": true}}, {@code {"reason": "misdirected"}}. */
    static final int MAX_BODY_BYTES = 1024;
    /** The longest number text taken in a path (E.164 has at most 15 digits). */
    private static final int MAX_NUMBER_CHARS = 32;

    private final RouterService service;
    private final Supplier<Router> router;
    private final Supplier<RouterConfig> config;
    private final Clock wall;

    NumbersApi(RouterService service, Clock wall) {
        this.service = service;
        this.router = () -> service.server().router();
        this.config = () -> service.config();
        this.wall = wall;
    }

    /** The routes, for {@link AdminApi}'s table. */
    List<V1Route> routes() {
        return List.of(
                new V1Route("GET", "/v1/numbers/quarantine", ApiToken.Scope.READ, 0, c -> list(c.query())),
                new V1Route("GET", "/v1/numbers/quarantine/{number}", ApiToken.Scope.READ, 0,
                        c -> quarantined(c.segments().get(3))),
                new V1Route("POST", "/v1/numbers/quarantine/{number}/release", ApiToken.Scope.ADMIN, MAX_BODY_BYTES,
                        this::release),
                new V1Route("GET", "/v1/numbers/health", ApiToken.Scope.READ, 0, c -> health()),
                new V1Route("DELETE", "/v1/numbers/{number}", ApiToken.Scope.ADMIN, 0, this::remove),
                new V1Route("POST", "/v1/calls/{id}/spam", ApiToken.Scope.ADMIN, MAX_BODY_BYTES,
                        c -> mark(c.segments().get(2), reason(c.body()), c.actor())));
    }

    /** {@code GET /v1/numbers/quarantine?limit=&cursor=}: by number, a page at a time. */
    private ApiResponse list(Map<String, List<String>> query) throws ApiException {
        final NumberPolicy policy = config.get().numberPolicy();
        final long now = wall.millis();
        final int limit = AdminApi.limit(query);
        final String after = Cursor.decode("quarantine", AdminApi.one(query, "cursor"));
        final List<QuarantinedNumber> all = new ArrayList<>(router.get().quarantine().list());
        all.sort(Comparator.comparing(QuarantinedNumber::number));
        final ObjectNode answer = ApiResponse.JSON.createObjectNode();
        final ArrayNode numbers = answer.putArray("numbers");
        String next = null;
        for (QuarantinedNumber q : all) {
            if (after != null && q.number().compareTo(after) <= 0) {
                continue;
            }
            if (numbers.size() == limit) {
                next = numbers.get(limit - 1).path("number").asText();
                break;
            }
            numbers.add(json(q, policy, now));
        }
        answer.put("quarantine_days", policy.quarantineDays());
        answer.put("quiet_days", policy.quietDays());
        answer.put("next_cursor", Cursor.encode("quarantine", next));
        return ApiResponse.json(200, answer);
    }

    /** {@code GET /v1/numbers/quarantine/{number}}: one entry with the {@code ETag} a release's {@code If-Match} names. */
    private ApiResponse quarantined(String text) throws ApiException {
        final RouterConfig current = config.get();
        final long e164 = number(text, current);
        final QuarantinedNumber q = router.get().quarantine().find(e164).orElseThrow(() -> new ApiException(404,
                PhoneNumbers.format(e164) + " is not quarantined"));
        final ObjectNode node = json(q, current.numberPolicy(), wall.millis());
        return ApiResponse.tagged(200, node, node);
    }

    /** A number in the path, in E.164 or any form the default region's {@link PhoneNumbers} reads. */
    private static long number(String text, RouterConfig current) throws ApiException {
        final long e164 = text.length() > MAX_NUMBER_CHARS ? PhoneNumbers.INVALID
                : new PhoneNumbers(current.defaultRegion()).parse(text);
        if (e164 < 0) {
            throw ApiException.invalid("number",
                    "\"" + (text.length() > MAX_NUMBER_CHARS ? text.substring(0, MAX_NUMBER_CHARS)
                    + "..." : text) + "\" is not a phone number (E.164 such as +18005550100)");
        }
        return e164;
    }

    /**
     * {@code DELETE /v1/numbers/{number}}: an imported number leaves its campaign for quarantine,
     * audited; 409 for a number the configuration file lists or one already quarantined, 404 for
     * one not tracked.
     */
    private ApiResponse remove(V1Route.Call call) throws ApiException {
        final RouterConfig current = config.get();
        final long e164 = number(call.segments().get(2), current);
        final NumberPolicy policy = current.numberPolicy();
        final QuarantineAudit audit = new QuarantineAudit(current.server().dataDir());
        final NumberRemoval.Result result;
        try {
            result = router.get().removeNumber(e164, q -> {
                try {
                    audit.record(q.removedAtMs(), call.actor(), "remove", q, policy);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw new ApiException(503, "the quarantine audit cannot be written, so nothing was removed: "
                    + e.getCause().getMessage());
        } catch (StoreFullException e) {
            throw new ApiException(507, e.getMessage());
        }
        return switch (result.outcome()) {
            case REMOVED -> ApiResponse.json(200, json(result.quarantined(), policy, wall.millis()));
            case NOT_TRACKED -> throw new ApiException(404, result.reason());
            case IN_CONFIG, ALREADY_QUARANTINED -> throw new ApiException(409, result.reason());
        };
    }

    private ApiResponse release(V1Route.Call call) throws ApiException {
        final RouterConfig current = config.get();
        final long e164 = number(call.segments().get(3), current);
        boolean force = false;
        if (call.body().length > 0) {
            final JsonNode body = RequestJson.object(call.body(), "{\"force\": true}");
            final JsonNode value = body.get("force");
            if (value != null && !value.isBoolean()) {
                throw ApiException.invalid("force", "force must be true or false, got " + RequestJson.type(value));
            }
            force = value != null && value.booleanValue();
        }
        final Router r = router.get();
        final NumberPolicy policy = current.numberPolicy();
        final long now = wall.millis();
        final QuarantinedNumber q = r.quarantine().find(e164).orElseThrow(() -> new ApiException(404,
                PhoneNumbers.format(e164) + " is not quarantined"));
        EntityTag.check(call.ifMatch(), json(q, policy, now), "quarantined number " + q.number());
        final boolean early = !q.releasable(policy, now);
        if (early && !force) {
            throw new ApiException(409, q.refusal(policy).replace("`router numbers quarantine release " + q.number()
                    + " --force`", "{\"force\": true}"));
        }
        try {
            new QuarantineAudit(current.server().dataDir()).record(now, call.actor(), early ? "force-release" : "release",
                    q, policy);
        } catch (IOException e) {
            throw new ApiException(503, "the quarantine audit cannot be written, so nothing was released: "
                    + e.getMessage());
        }
        r.quarantine().release(e164);
        final ObjectNode answer = ApiResponse.JSON.createObjectNode();
        answer.set("released", json(q, policy, now));
        answer.put("forced", early);
        return ApiResponse.json(200, answer);
    }

    /** The {@code reason} of a mark's body. */
    private static CallMark reason(byte[] body) throws ApiException {
        final JsonNode json = RequestJson.object(body, "{\"reason\": \"spam\"}");
        final JsonNode reason = json.get("reason");
        if (reason != null && !reason.isTextual()) {
            throw ApiException.invalid("reason", "reason must be spam or misdirected, got " + RequestJson.type(reason));
        }
        try {
            return CallMark.fromWire(reason == null ? null : reason.asText());
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, e.getMessage());
        }
    }

    /**
     * Marks call {@code id}: counts it against its number's share, blocks the caller of a spam
     * call, flags the number when its share reaches the threshold (also for the postback route).
     */
    ApiResponse mark(String id, CallMark mark, String actor) throws ApiException {
        final JsonNode call = record(id);
        final NumberHealth.Marked marked;
        try {
            marked = service.numberHealth().mark(call, mark, actor, wall.millis());
        } catch (NumberHealth.Refused e) {
            throw new ApiException(e.status(), e.getMessage());
        } catch (IOException e) {
            throw new ApiException(503, "the mark cannot be written, so nothing was counted: " + e.getMessage());
        }
        final NumberPolicy policy = config.get().numberPolicy();
        final ObjectNode answer = ApiResponse.JSON.createObjectNode();
        answer.put("call_id", id);
        answer.put("reason", mark.wireName());
        answer.put("caller_blocked", marked.callerBlocked());
        answer.set("number", health(marked.window(), policy));
        answer.put("flagged_now", marked.flaggedNow());
        return ApiResponse.json(200, answer);
    }

    /** The call's record as {@code GET /v1/calls/{id}} shows it. */
    JsonNode record(String id) throws ApiException {
        try {
            return service.call(id).orElseThrow(() -> new ApiException(404, "no call " + id
                    + " in the journal or in progress"));
        } catch (TimeoutException e) {
            throw new ApiException(503, e.getMessage());
        }
    }

    private ApiResponse health() {
        final NumberPolicy policy = config.get().numberPolicy();
        final ObjectNode answer = ApiResponse.JSON.createObjectNode();
        answer.put("window_days", policy.spamWindowDays());
        answer.put("threshold", policy.spamThreshold());
        answer.put("min_calls", policy.spamMinCalls());
        final ArrayNode numbers = answer.putArray("numbers");
        service.numberHealth().windows(wall.millis()).forEach(w -> numbers.add(health(w, policy)));
        return ApiResponse.json(200, answer);
    }

    private ObjectNode health(NumberWindow w, NumberPolicy policy) {
        final ObjectNode node = ApiResponse.JSON.createObjectNode();
        node.put("number", w.number());
        node.put("calls", w.calls());
        node.put("spam", w.spam());
        node.put("misdirected", w.misdirected());
        node.put("share", w.share());
        node.put("flagged", service.numberHealth().isFlagged(w.number()) || w.flagged(policy));
        return node;
    }

    /** A quarantined number as the API shows it. */
    static ObjectNode json(QuarantinedNumber q, NumberPolicy policy, long nowMs) {
        final ObjectNode node = ApiResponse.JSON.createObjectNode();
        node.put("number", q.number());
        node.put("campaign", q.campaign());
        node.put("removed_at", Instant.ofEpochMilli(q.removedAtMs()).toString());
        node.put("calls", q.calls());
        if (q.lastCallMs() == QuarantinedNumber.NO_CALL) {
            node.putNull("last_call_at");
        } else {
            node.put("last_call_at", Instant.ofEpochMilli(q.lastCallMs()).toString());
        }
        node.put("until", Instant.ofEpochMilli(q.untilMs(policy)).toString());
        node.put("releasable", q.releasable(policy, nowMs));
        return node;
    }
}
