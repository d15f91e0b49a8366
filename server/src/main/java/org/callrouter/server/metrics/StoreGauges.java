package org.callrouter.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.callrouter.routing.store.StoreCapacity;
import org.callrouter.server.CallerPurge;

/**
 * The off-heap stores: {@code store_fill_ratio{store}} (entries / capacity, 1 = full),
 * {@code store_entries{store}}, {@code store_full_refusals_total{store}} (inserts refused
 * because the store was full) and {@code caller_index_purged_total} (caller entries the periodic
 * purge removed). The stores are opened once per process, so the meters are bound once.
 */
final class StoreGauges {

    private StoreGauges() {
    }

    static void bind(MeterRegistry registry, Iterable<StoreCapacity> stores, CallerPurge purge) {
        for (StoreCapacity store : stores) {
            Gauge.builder("store.fill.ratio", store, StoreCapacity::fillRatio)
                    .description("Entries over the capacity the store may hold (1 = full)")
                    .tag("store", store.name()).register(registry);
            Gauge.builder("store.entries", store, StoreCapacity::entries)
                    .description("Entries in the store").tag("store", store.name()).register(registry);
            FunctionCounter.builder("store.full.refusals", store, StoreCapacity::refused)
                    .description("Inserts refused because the store was full").tag("store", store.name())
                    .register(registry);
        }
        FunctionCounter.builder("caller.index.purged", purge, CallerPurge::removed)
                .description("Caller entries removed by the periodic purge (outside every window)")
                .register(registry);
    }
}
