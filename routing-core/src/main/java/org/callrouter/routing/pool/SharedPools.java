package org.callrouter.routing.pool;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import org.callrouter.routing.config.PoolConfig;

/**
 * The cluster's store of pool leases and visitor sessions (server README, "Cluster: shared state
 * in Redis"): the routers behind one dispatcher hand out one pool's numbers from it, so a number
 * is held by at most one live session across all of them, and a call to a pool number at any
 * router finds the session that holds it. Each method is one atomic step of the store; none
 * blocks its caller, and each stage fails (never hangs) when the store fails or does not answer.
 *
 * <p>The allocation order is {@link PoolSessions}'s: the visitor's own session (kept, or taken
 * back within its grace window while no one else got the number) → the free number whose lease
 * ended longest ago → none ({@link Allocation.Status#NO_NUMBER}; the caller shows the overflow
 * number). Lease times are the store's own.
 */
public interface SharedPools {

    /**
     * What a new session carries to the store, for whichever router takes its calls.
     *
     * @param id      the new session's id (128 random bits)
     * @param source  the source its calls get ({@code source_rule} applied to its {@code utm_source})
     * @param tags    the tags its calls get ({@link Attribution#tags})
     * @param pageUrl its first page view, or null
     */
    record NewSession(String id, String source, Map<String, String> tags, String pageUrl) {
    }

    /**
     * A session found by a call.
     *
     * @param pagePath the last page views, oldest first
     */
    record Visitor(String sessionId, String source, Map<String, String> tags, List<String> pagePath) {
    }

    /**
     * A number of {@code pool} for a visitor: {@link Allocation.Status#KEPT} (its session
     * {@code heldSessionId}), {@link Allocation.Status#CREATED} (session {@code session}),
     * {@link Allocation.Status#ADDRESS_CAP} or {@link Allocation.Status#NO_NUMBER}.
     *
     * @param clientAddress the visitor's address, null = not capped
     */
    CompletionStage<Allocation> allocate(PoolConfig pool, String heldSessionId, NewSession session,
                                         String clientAddress, int maxSessionsPerAddress);

    /** {@link Allocation.Status#RENEWED}, or {@link Allocation.Status#UNKNOWN_SESSION} when it holds no number now. */
    CompletionStage<Allocation> renew(String sessionId);

    /** Adds a page view to a live session's path; false when it holds no number now. */
    CompletionStage<Boolean> pageView(String sessionId, String url);

    /** Gives a live session's number back to its pool (see {@link PoolSessions#release}); false when it holds none. */
    CompletionStage<Boolean> release(String sessionId);

    /** The session that holds {@code number} of {@code pool}, or held it within the grace window; null when none. */
    CompletionStage<Visitor> holder(PoolConfig pool, String number);
}
