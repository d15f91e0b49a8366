package org.callrouter.server;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Whether the router should be sent calls ({@code GET /health/ready}): each component that can
 * make it unfit (a drain, a stopped emitter, a failing journal or outbox disk, a store nearly
 * full) registers a {@link Condition}; every question asks them all, so the answer follows the
 * components' own state and is ready again as soon as the last condition clears, with nothing
 * to reset.
 */
public final class Readiness {

    /** One thing that can make the router not ready. Asked from the admin API's threads. */
    @FunctionalInterface
    public interface Condition {
        /** Adds why the router is not ready to {@code reasons}; adds nothing when this part is fine. */
        void check(List<String> reasons);
    }

    private final List<Condition> conditions = new CopyOnWriteArrayList<>();

    /** Adds a condition. */
    public Readiness add(Condition condition) {
        conditions.add(condition);
        return this;
    }

    /** Why the router should not be sent calls now, in the order the conditions were added; empty when ready. */
    public List<String> reasons() {
        final List<String> reasons = new ArrayList<>();
        for (Condition condition : conditions) {
            try {
                condition.check(reasons);
            } catch (RuntimeException e) {
                // A check that cannot tell is a reason in itself: report it rather than answer "ready".
                reasons.add("readiness check failed: " + e);
            }
        }
        return reasons;
    }
}
