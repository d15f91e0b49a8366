package org.callrouter.routing.pool;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.callrouter.routing.config.PoolConfig;

/**
 * The pools of a router in a cluster: the visitor sessions and leases live in the cluster's
 * {@link SharedPools} store, shared with the other routers; the pools' configuration and
 * counters stay this router's {@link PoolSessions} (which then holds no session). What
 * {@link PoolSessions} answers at once, this answers with a stage that completes when the store
 * answered (on the store client's thread), or fails when it failed.
 */
public final class SharedPoolSessions {

    private final PoolSessions local;
    private final SharedPools store;
    private final SessionIds ids = new SessionIds();

    public SharedPoolSessions(PoolSessions local, SharedPools store) {
        this.local = local;
        this.store = store;
    }

    /**
     * A number for a landing-page visitor, as {@link PoolSessions#create} picks it, from the
     * shared store.
     *
     * @throws IllegalArgumentException with {@link SessionRequest#problem}'s reason for a request
     *                                  out of bounds
     */
    public CompletionStage<Allocation> create(String poolId, String heldSessionId, SessionRequest request,
                                              String clientAddress, long nowMs) {
        NumberPool pool = local.numberPool(poolId);
        if (pool == null) {
            return CompletableFuture.completedFuture(Allocation.of(Allocation.Status.UNKNOWN_POOL));
        }
        PoolConfig config = pool.config;
        String problem = request.problem(config);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        long[] id = ids.next();
        String sessionId = SessionIds.text(id[0], id[1]);
        String source = config.sourceFor(request.utmSource());
        SharedPools.NewSession session = new SharedPools.NewSession(sessionId, source,
                Session.tags(config, request, sessionId), request.pageUrl());
        String held = heldSessionId != null && SessionIds.isWellFormed(heldSessionId) ? heldSessionId : null;
        return store.allocate(config, held, session, clientAddress, local.maxSessionsPerAddress()).thenApply(a -> {
            switch (a.status()) {
                case CREATED -> {
                    pool.counters.created.increment();
                    local.sessionListener().onCreated(sessionId, config.id(), config.campaign(), source, nowMs,
                            request);
                }
                case ADDRESS_CAP -> pool.counters.addressCap.increment();
                case NO_NUMBER -> {
                    pool.counters.exhausted.increment();
                    if (pool.overflow != null) {
                        return new Allocation(Allocation.Status.OVERFLOW, null, pool.overflow.text,
                                nowMs + Math.min(pool.leaseMs, PoolSessions.OVERFLOW_RETRY_MS));
                    }
                }
                default -> {
                }
            }
            return a;
        });
    }

    /** Extends a live session's lease (see {@link PoolSessions#renew}), in the shared store. */
    public CompletionStage<Allocation> renew(String sessionId) {
        if (!SessionIds.isWellFormed(sessionId)) {
            return CompletableFuture.completedFuture(Allocation.of(Allocation.Status.UNKNOWN_SESSION));
        }
        return store.renew(sessionId).thenApply(a -> {
            Slot slot = a.number() == null ? null : local.slot(NumberPool.e164(a.number()));
            if (slot != null && slot.pool.config.renew()) {
                slot.pool.counters.renewals.increment();
            }
            return a;
        });
    }

    /** Records a page the visitor opened; false for an unknown or ended session or a URL out of bounds. */
    public CompletionStage<Boolean> pageView(String sessionId, String url) {
        if (!SessionIds.isWellFormed(sessionId) || SessionRequest.urlProblem(url) != null) {
            return CompletableFuture.completedFuture(false);
        }
        return store.pageView(sessionId, url);
    }

    /** The visitor left, or its call ended with {@code release_on_call_end} (see {@link PoolSessions#release}). */
    public CompletionStage<Boolean> release(String sessionId) {
        if (!SessionIds.isWellFormed(sessionId)) {
            return CompletableFuture.completedFuture(false);
        }
        return store.release(sessionId);
    }

    /**
     * What a call to {@code dialedE164} learns from the shared store, or null when it needs no
     * store: the number is in no pool, or is a pool's overflow number
     * (which has no session: {@link PoolSessions#attribute} answers it). Counts hits and misses.
     */
    public CompletionStage<Attribution> attribute(long dialedE164) {
        Slot slot = local.slot(dialedE164);
        if (slot == null || slot == slot.pool.overflow) {
            return null;
        }
        NumberPool pool = slot.pool;
        return store.holder(pool.config, slot.text).thenApply(visitor -> {
            if (visitor == null) {
                pool.counters.misses.increment();
                return pool.miss;
            }
            pool.counters.hits.increment();
            return new Attribution(pool.config.id(), pool.config.campaign(), visitor.source(), visitor.sessionId(),
                    false, pool.config.releaseOnCallEnd(), visitor.tags(), visitor.pagePath());
        });
    }

    /**
     * What a call to a pool number learns when the store failed and the campaign's
     * {@code on_shared_state_error} is {@code local}: the pool's campaign and source, tagged
     * {@code pool_attribution_unavailable}; null when the number is in no pool.
     */
    public Attribution unavailable(long dialedE164) {
        Slot slot = local.slot(dialedE164);
        if (slot == null) {
            return null;
        }
        slot.pool.counters.misses.increment();
        return slot.pool.unavailable;
    }

    /** The campaign of the pool of {@code dialedE164}, or null when it is in no pool. */
    public String campaignOf(long dialedE164) {
        Slot slot = local.slot(dialedE164);
        return slot == null ? null : slot.pool.config.campaign();
    }
}
