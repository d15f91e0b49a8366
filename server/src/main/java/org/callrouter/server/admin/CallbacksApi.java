package org.callrouter.server.admin;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.callrouter.routing.callback.Callback;
import org.callrouter.routing.callback.CallbackState;
import org.callrouter.routing.config.ApiToken;
import org.callrouter.server.callback.CallbackJson;
import org.callrouter.server.callback.CallbackScheduler;

/**
 * The callback routes of the admin API (server README, "Callbacks"): {@code GET /v1/callbacks}
 * lists the live and recently finished callbacks, {@code GET /v1/callbacks/{id}} shows one with
 * its {@code ETag}, {@code DELETE /v1/callbacks/{id}} cancels a pending one (404 unknown, 409
 * finished or being dialed, 412 when {@code If-Match} names another version).
 */
final class CallbacksApi {

    /** How long a cancel waits for the scheduler's thread to take it. */
    private static final long CANCEL_WAIT_MS = 5000;

    private final Supplier<CallbackScheduler> scheduler;

    /** @param scheduler the running callback scheduler */
    CallbacksApi(Supplier<CallbackScheduler> scheduler) {
        this.scheduler = scheduler;
    }

    List<V1Route> routes() {
        return List.of(
                new V1Route("GET", "/v1/callbacks", ApiToken.Scope.READ, 0, c -> list(c.query())),
                new V1Route("GET", "/v1/callbacks/{id}", ApiToken.Scope.READ, 0, c -> one(c.segments().get(2))),
                new V1Route("DELETE", "/v1/callbacks/{id}", ApiToken.Scope.ADMIN, 0,
                        c -> cancel(c.segments().get(2), c.token(), c.ifMatch())));
    }

    /**
     * {@code GET /v1/callbacks?state=pending&campaign=c1&limit=100&cursor=}: the newest created
     * first (then by id), an order a callback's changes do not move it in, so pages neither
     * repeat nor skip one.
     */
    private ApiResponse list(Map<String, List<String>> query) throws ApiException {
        final String stateText = AdminApi.filter(query, "state");
        final CallbackState state = stateText == null ? null : CallbackState.of(stateText);
        if (stateText != null && state == null) {
            throw ApiException.invalid("state",
                    "state must be one of pending, dialing, connected, gave-up, cancelled; got \""
                    + stateText + "\"");
        }
        final String campaign = AdminApi.filter(query, "campaign");
        final String customer = AdminApi.filter(query, "customer");
        final int limit = AdminApi.limit(query);
        final Key from = Key.of(Cursor.decode("callbacks", AdminApi.one(query, "cursor")));
        final List<Callback> all = new ArrayList<>(scheduler.get().list());
        all.sort(Comparator.comparing(Key::of, Key.ORDER));
        final ObjectNode body = ApiResponse.JSON.createObjectNode();
        final ArrayNode items = ApiResponse.JSON.createArrayNode();
        Key last = null;
        String next = null;
        for (Callback c : all) {
            if ((from != null && Key.ORDER.compare(Key.of(c), from) <= 0) || (state != null && c.state() != state)
                    || (campaign != null && !campaign.equals(c.campaign()))
                    || (customer != null && !customer.equals(c.customer()))) {
                continue;
            }
            if (items.size() == limit) {
                next = last.position();
                break;
            }
            items.add(CallbackJson.node(c));
            last = Key.of(c);
        }
        body.put("count", items.size());
        body.put("live", scheduler.get().live());
        body.set("callbacks", items);
        body.put("next_cursor", Cursor.encode("callbacks", next));
        return ApiResponse.json(200, body);
    }

    /** A callback's place in the list: newest created first, then by id. */
    private record Key(long createdMs, String id) {

        static final Comparator<Key> ORDER = Comparator.comparingLong(Key::createdMs).reversed()
                .thenComparing(Key::id);

        static Key of(Callback c) {
            return new Key(c.createdMs(), c.id());
        }

        /** The key a cursor's position ({@code <created ms> <id>}) names; null for none. */
        static Key of(String position) throws ApiException {
            if (position == null) {
                return null;
            }
            final String[] at = position.split(" ", 2);
            try {
                if (at.length == 2) {
                    return new Key(Long.parseLong(at[0]), at[1]);
                }
            } catch (NumberFormatException e) {
                throw Cursor.refused("callbacks");
            }
            throw Cursor.refused("callbacks");
        }

        String position() {
            return createdMs + " " + id;
        }
    }

    /** {@code GET /v1/callbacks/{id}}: the callback with its {@code ETag}. */
    private ApiResponse one(String id) throws ApiException {
        for (Callback c : scheduler.get().list()) {
            if (c.id().equals(id)) {
                final ObjectNode node = CallbackJson.node(c);
                return ApiResponse.tagged(200, node, node);
            }
        }
        throw new ApiException(404, "no callback " + id);
    }

    /** {@code DELETE /v1/callbacks/{id}}: 200 with the cancelled callback. */
    private ApiResponse cancel(String id, ApiToken token, String ifMatch) throws ApiException {
        try {
            final Callback cancelled = scheduler.get()
                    .cancel(id, "cancelled by " + token.name() + " through the admin API",
                            now -> EntityTag.matches(ifMatch, CallbackJson.node(now)))
                    .get(CANCEL_WAIT_MS, TimeUnit.MILLISECONDS);
            return ApiResponse.json(200, CallbackJson.node(cancelled));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CallbackScheduler.CallbackChangedException changed) {
                throw EntityTag.stale(ifMatch, CallbackJson.node(changed.now()), "callback " + id);
            }
            if (e.getCause() instanceof CallbackScheduler.CallbackNotFoundException) {
                throw new ApiException(404, e.getCause().getMessage());
            }
            if (e.getCause() instanceof IllegalStateException) {
                throw new ApiException(409, e.getCause().getMessage());
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new ApiException(503, "the callback scheduler did not answer within " + CANCEL_WAIT_MS + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted");
        }
    }
}
