package org.callrouter.server.metrics;

import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.callrouter.routing.config.PoolConfig;
import org.callrouter.routing.pool.PoolSessions;
import org.callrouter.routing.pool.PoolStatus;
import org.callrouter.server.tracking.TrackingStats;

/**
 * Per-pool metrics, read from {@link PoolSessions#status} at each scrape:
 * {@code callrouter_pool_numbers{pool}}, {@code callrouter_pool_held{pool}},
 * {@code callrouter_pool_sessions_created_total{pool}}, {@code callrouter_pool_renewals_total{pool}},
 * {@code callrouter_pool_exhausted_total{pool}}, {@code callrouter_pool_address_cap_refusals_total{pool}},
 * {@code callrouter_pool_attribution_total{pool,result="hit|miss"}} and
 * {@code callrouter_pool_script_failures_total{pool}} (from the tracking listener).
 *
 * <p>One scrape reads every pool's meters; {@code status} takes each pool's lock, so its answer
 * is kept for {@value #SNAPSHOT_MS} ms and shared by them all. {@link #refresh} follows a
 * reload's pools the way {@link HandlerGauges} follows its handlers: a pool that stays keeps its
 * meters (its counters live in {@code PoolSessions} and go on from where they were), a new pool
 * gets them, a pool gone loses them.
 */
final class PoolGauges {

    static final long SNAPSHOT_MS = 1000;

    private final MeterRegistry registry;
    private final PoolSessions pools;
    private final TrackingStats tracking;
    private final Clock wall;
    private final Map<Meter.Id, Meter> registered = new LinkedHashMap<>();
    /** The last {@code status} answer by pool id (null before the first scrape), and when it was read. */
    private Map<String, PoolStatus> snapshot;
    private long snapshotAtMs;

    PoolGauges(MeterRegistry registry, PoolSessions pools, TrackingStats tracking, Clock wall) {
        this.registry = registry;
        this.pools = pools;
        this.tracking = tracking;
        this.wall = wall;
    }

    /** Registers the meters of {@code configured} pools that are new and removes those of pools gone. */
    synchronized void refresh(List<PoolConfig> configured) {
        final Map<Meter.Id, Meter> next = new LinkedHashMap<>();
        for (PoolConfig pool : configured) {
            final String id = pool.id();
            final Tags tags = Tags.of("pool", id);
            gauge(next, "callrouter.pool.numbers", "Numbers in the pool (the overflow number not included)", tags,
                    id, PoolStatus::size);
            gauge(next, "callrouter.pool.held", "Pool numbers held by a visitor's live lease", tags, id,
                    PoolStatus::held);
            counter(next, "callrouter.pool.sessions.created", "Visitor sessions created", tags, id,
                    PoolStatus::sessionsCreated);
            counter(next, "callrouter.pool.renewals", "Leases extended by a renewal", tags, id, PoolStatus::renewals);
            counter(next, "callrouter.pool.exhausted",
                    "Requests that found every number held (the overflow number, or none)", tags, id,
                    PoolStatus::exhausted);
            counter(next, "callrouter.pool.address.cap.refusals",
                    "Requests refused because the client address held max_sessions_per_address sessions", tags, id,
                    PoolStatus::addressCapRefusals);
            counter(next, "callrouter.pool.attribution", "Calls to the pool's numbers that found a session (hit) or not",
                    Tags.of("pool", id, "result", "hit"), id, PoolStatus::attributionHits);
            counter(next, "callrouter.pool.attribution", "Calls to the pool's numbers that found a session (hit) or not",
                    Tags.of("pool", id, "result", "miss"), id, PoolStatus::attributionMisses);
            final Meter.Id failures = new Meter.Id("callrouter.pool.script.failures", tags, null,
                    "Landing pages whose script could not swap the number and said so", Meter.Type.COUNTER);
            final Meter kept = registered.get(failures);
            next.put(failures, kept != null ? kept : FunctionCounter.builder(failures.getName(), tracking,
                    t -> t.scriptFailures(id)).description(failures.getDescription()).tags(tags).register(registry));
        }
        for (Meter old : registered.values()) {
            if (!next.containsKey(old.getId())) {
                registry.remove(old);
            }
        }
        registered.clear();
        registered.putAll(next);
    }

    private void gauge(Map<Meter.Id, Meter> out, String name, String description, Tags tags, String pool,
                       ToDoubleFunction<PoolStatus> value) {
        final Meter.Id id = new Meter.Id(name, tags, null, description, Meter.Type.GAUGE);
        final Meter kept = registered.get(id);
        out.put(id, kept != null ? kept : Gauge.builder(name, this, g -> g.read(pool, value)).description(description)
                .tags(tags).register(registry));
    }

    private void counter(Map<Meter.Id, Meter> out, String name, String description, Tags tags, String pool,
                         ToDoubleFunction<PoolStatus> value) {
        final Meter.Id id = new Meter.Id(name, tags, null, description, Meter.Type.COUNTER);
        final Meter kept = registered.get(id);
        out.put(id, kept != null ? kept : FunctionCounter.builder(name, this, g -> g.read(pool, value))
                .description(description).tags(tags).register(registry));
    }

    /** A value of {@code pool}'s status now (NaN when a reload removed the pool). */
    private double read(String pool, ToDoubleFunction<PoolStatus> value) {
        final PoolStatus status = status(pool);
        return status == null ? Double.NaN : value.applyAsDouble(status);
    }

    private synchronized PoolStatus status(String pool) {
        final long nowMs = wall.millis();
        if (snapshot == null || nowMs - snapshotAtMs >= SNAPSHOT_MS || nowMs < snapshotAtMs) {
            final Map<String, PoolStatus> next = new HashMap<>();
            for (PoolStatus status : pools.status(nowMs)) {
                next.put(status.pool(), status);
            }
            snapshot = next;
            snapshotAtMs = nowMs;
        }
        return snapshot.get(pool);
    }
}
