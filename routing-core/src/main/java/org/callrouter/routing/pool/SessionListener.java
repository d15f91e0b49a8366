package org.callrouter.routing.pool;

/**
 * Told when {@link PoolSessions} creates a visitor session and when it forgets one (the
 * visits journal of the server). Called under a pool's lock, sometimes on the SIP loop (a
 * call that releases its number can end the session of another): an implementation only
 * hands the news on (a bounded queue) and never blocks or throws.
 */
public interface SessionListener {

    /** Tells nobody. */
    SessionListener NONE = new SessionListener() {
        @Override
        public void onCreated(String sessionId, String poolId, String campaign, String source, long createdMs,
                              SessionRequest request) {
        }

        @Override
        public void onEnded(String sessionId, long endedMs) {
        }
    };

    /**
     * A visitor got a new session (and a pool number).
     *
     * @param source  the source the pool gives the visitor's {@code utm_source}
     * @param request what the landing page told about the visitor (no client address)
     */
    void onCreated(String sessionId, String poolId, String campaign, String source, long createdMs,
                   SessionRequest request);

    /**
     * A session is forgotten: its grace window passed, its number went to another visitor, or
     * its number left the pool's configuration.
     *
     * @param endedMs when it ended (the end of its grace window when that is what ended it)
     */
    void onEnded(String sessionId, long endedMs);
}
