package org.callrouter.routing.pool;

/**
 * The answer to a request for a number ({@link PoolSessions#create}) or a renewal.
 *
 * @param status      what happened
 * @param sessionId   the visitor's session (32 hex characters); null unless {@link Status#CREATED},
 *                    {@link Status#KEPT} or {@link Status#RENEWED}
 * @param number      E.164 to show: the session's number, or the overflow number; null when none
 * @param expiresAtMs when the lease ends unless renewed (epoch ms); for {@link Status#OVERFLOW}
 *                    when the page should ask again; 0 when there is no number
 */
public record Allocation(Allocation.Status status, String sessionId, String number, long expiresAtMs) {

    /** What {@link PoolSessions} did. */
    public enum Status {
        /** A new session holds a number. */
        CREATED,
        /** The session the visitor already had keeps (or takes back) its number. */
        KEPT,
        /** Every number is held: the pool's overflow number, without a session (counted as exhausted). */
        OVERFLOW,
        /** The lease was extended. */
        RENEWED,
        /** No pool of that id. */
        UNKNOWN_POOL,
        /** No live session of that id (never existed, lease ended or released). */
        UNKNOWN_SESSION,
        /** The client address holds {@code server.tracking.max_sessions_per_address} live sessions already. */
        ADDRESS_CAP,
        /** Every number is held and the pool has no overflow number (counted as exhausted). */
        NO_NUMBER
    }

    static Allocation of(Status status) {
        return new Allocation(status, null, null, 0);
    }
}
