package org.callrouter.server;

import java.util.List;

import org.callrouter.routing.Router;
import org.callrouter.routing.store.StoreCapacity;

/**
 * The readiness condition of the off-heap stores: a store fuller than
 * {@code server.stores.ready_max_fill_percent} (read at each check, so a reload applies) makes
 * the router not ready before the store refuses inserts, naming the store and the setting to
 * raise.
 */
public final class StoreFill implements Readiness.Condition {

    private final Router router;

    public StoreFill(Router router) {
        this.router = router;
    }

    @Override
    public void check(List<String> reasons) {
        final int maxPercent = router.config().server().stores().readyMaxFillPercent();
        for (StoreCapacity store : router.storeCapacities()) {
            final long entries = store.entries();
            if (entries * 100 > store.capacity() * maxPercent) {
                reasons.add("store " + store.name() + " " + entries * 100 / store.capacity() + "% full (" + entries
                        + " of " + store.capacity() + " entries, ready up to " + maxPercent + "%)"
                        + (store.setting() == null ? "" : "; raise server.stores." + store.setting()));
            }
        }
    }
}
