package org.callrouter.routing.pool;

import java.util.List;
import java.util.Map;

/**
 * What a call to a pool number learns from the pool: the visitor's session when one holds the
 * number (or held it within the pool's attribution grace window), else only the pool. Built
 * when the session changes, so {@link PoolSessions#attribute} returns it without work.
 *
 * @param pool             pool id
 * @param campaign         the pool's campaign
 * @param source           the call's source: the pool's {@code source_rule} applied to the
 *                         session's {@code utm_source}, else the pool's source
 * @param sessionId        the session, or null (a miss, or the overflow number)
 * @param exhausted        the call is to the overflow number
 * @param releaseOnCallEnd the pool's {@code release_on_call_end}
 * @param tags             tags the call gets (never replacing a built-in or a carrier's tag):
 *                         {@code pool}, the session's values, {@code pool_exhausted}
 * @param pagePath         the session's last page views, oldest first (empty without a session)
 */
public record Attribution(String pool, String campaign, String source, String sessionId, boolean exhausted,
                          boolean releaseOnCallEnd, Map<String, String> tags, List<String> pagePath) {
}
