package org.callrouter.server.metrics;

import java.util.function.ToLongFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.callrouter.routing.Router;
import org.callrouter.server.RouterServer;
import org.callrouter.server.cluster.ClusterStats;
import org.callrouter.server.cluster.RedisSharedCaps;

/**
 * The cluster's shared state (server README, "Cluster: shared state in Redis"):
 * {@code cluster_shared_state_failures_total{step,kind}} and what the campaigns'
 * {@code on_shared_state_error} did about them, {@code cluster_shared_state_fallbacks_total}
 * ({@code local}) and {@code cluster_shared_state_rejections_total} ({@code reject}),
 * {@code cluster_pool_attribution_fallbacks_total} (pool calls attributed to the pool only) and
 * {@code cluster_dedupe_fallbacks_total} (conversions deduplicated in this node's index), on every
 * router (zero without {@code cluster:}, so one alert rule fits all); with a cluster also
 * {@code cluster_redis_connected} and {@code cluster_slots}.
 */
final class ClusterMetrics {

    private static final String FAILURES = "Redis steps that failed, by step and kind (error, or no answer within"
            + " cluster.timeout_ms)";

    private ClusterMetrics() {
    }

    static void bind(MeterRegistry registry, RouterServer server) {
        for (ClusterStats.Step step : ClusterStats.Step.values()) {
            failures(registry, server, step, "error", stats -> stats.errors(step));
            failures(registry, server, step, "timeout", stats -> stats.timeouts(step));
        }
        FunctionCounter.builder("cluster.shared.state.fallbacks", server.router(), Router::sharedStateFallbacks)
                .description("Slots taken from this node's 1/N caps because Redis failed (on_shared_state_error: local)")
                .register(registry);
        FunctionCounter.builder("cluster.shared.state.rejections", server.router(), Router::sharedStateRejections)
                .description("Calls refused with 503 because Redis failed (on_shared_state_error: reject)")
                .register(registry);
        FunctionCounter.builder("cluster.pool.attribution.fallbacks", server.router(),
                        Router::poolAttributionFallbacks)
                .description("Calls to a pool number attributed to the pool only (tag pool_attribution_unavailable)"
                        + " because Redis failed (on_shared_state_error: local)")
                .register(registry);
        FunctionCounter.builder("cluster.dedupe.fallbacks", server.router(), Router::sharedDedupeFallbacks)
                .description("Conversions deduplicated in this node's caller index because Redis failed (never lost)")
                .register(registry);
        RedisSharedCaps caps = server.sharedCaps();
        if (caps != null) {
            Gauge.builder("cluster.redis.connected", caps, c -> c.connected() ? 1 : 0)
                    .description("1 while this node's connection to the cluster's Redis is up").register(registry);
            Gauge.builder("cluster.slots", caps, RedisSharedCaps::slots)
                    .description("Concurrency slots this node holds in Redis (leases it renews)").register(registry);
        }
    }

    private static void failures(MeterRegistry registry, RouterServer server, ClusterStats.Step step, String kind,
                                 ToLongFunction<ClusterStats> count) {
        FunctionCounter.builder("cluster.shared.state.failures", server,
                        s -> s.sharedCaps() == null ? 0 : count.applyAsLong(s.sharedCaps().stats()))
                .description(FAILURES).tag("step", step.label()).tag("kind", kind).register(registry);
    }
}
