package org.callrouter.server.admin;

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
 * lists the live and recently finished callbacks, {@code DELETE /v1/callbacks/{id}} cancels a
 * pending one (404 unknown, 409 finished or being dialed).
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
                new V1Route("DELETE", "/v1/callbacks/{id}", ApiToken.Scope.ADMIN, 0,
                        c -> cancel(c.segments().get(2), c.token())));
    }

    /** {@code GET /v1/callbacks?state=pending&campaign=c1&limit=100}: the latest changed first. */
    private ApiResponse list(Map<String, List<String>> query) throws ApiException {
        final String stateText = AdminApi.filter(query, "state");
        final CallbackState state = stateText == null ? null : CallbackState.of(stateText);
        if (stateText != null && state == null) {
            throw new ApiException(400, "state must be one of pending, dialing, connected, gave-up, cancelled; got \""
                    + stateText + "\"");
        }
        final String campaign = AdminApi.filter(query, "campaign");
        final String customer = AdminApi.filter(query, "customer");
        final int limit = AdminApi.limit(query);
        final ObjectNode body = ApiResponse.JSON.createObjectNode();
        final ArrayNode items = ApiResponse.JSON.createArrayNode();
        for (Callback c : scheduler.get().list()) {
            if (items.size() == limit) {
                break;
            }
            if ((state == null || c.state() == state) && (campaign == null || campaign.equals(c.campaign()))
                    && (customer == null || customer.equals(c.customer()))) {
                items.add(CallbackJson.node(c));
            }
        }
        body.put("count", items.size());
        body.put("live", scheduler.get().live());
        body.set("callbacks", items);
        return ApiResponse.json(200, body);
    }

    /** {@code DELETE /v1/callbacks/{id}}: 200 with the cancelled callback. */
    private ApiResponse cancel(String id, ApiToken token) throws ApiException {
        try {
            final Callback cancelled = scheduler.get()
                    .cancel(id, "cancelled by " + token.name() + " through the admin API")
                    .get(CANCEL_WAIT_MS, TimeUnit.MILLISECONDS);
            return ApiResponse.json(200, CallbackJson.node(cancelled));
        } catch (ExecutionException e) {
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
