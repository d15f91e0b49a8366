package org.callrouter.routing.pool;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.callrouter.routing.config.PoolConfig;

/**
 * A visitor's session: the number it holds, what the landing page told, the page path.
 * {@link #leaseEndMs} and {@link #attribution} are read without a lock on the call path;
 * everything else is guarded by the pool's lock.
 */
final class Session {

    /** Page views kept per session (the record's {@code page_path}). */
    static final int MAX_PAGE_VIEWS = 20;

    /** A session's life. */
    enum State {
        /** Holds its number until {@link #leaseEndMs}. */
        LEASED,
        /** The lease ended or the visitor left: a call within the pool's grace window still finds it. */
        GRACE,
        /** Forgotten: the grace window passed or the number went to another visitor. */
        ENDED
    }

    final long high;
    final long low;
    final String id;
    final String poolId;
    final long number;
    final String address;
    final long createdAtMs;
    final SessionRequest request;
    final ArrayDeque<String> pagePath = new ArrayDeque<>();
    /** End of the lease, or when the visitor released it. */
    volatile long leaseEndMs;
    /** The lease end the store has (see {@link PoolSessions#renew}). */
    long storedLeaseEndMs;
    /** Whether the visitor released the number (page closed, or a call ended with release_on_call_end). */
    boolean released;
    State state = State.LEASED;
    /** The number's slot in the current configuration's pool. */
    Slot slot;
    /** The deadline of this session's latest entry in the pool's queue; 0 = none. */
    long queuedMs;
    volatile Attribution attribution;

    Session(long high, long low, String poolId, long number, String address, long createdAtMs,
            SessionRequest request) {
        this.high = high;
        this.low = low;
        this.id = SessionIds.text(high, low);
        this.poolId = poolId;
        this.number = number;
        this.address = address;
        this.createdAtMs = createdAtMs;
        this.request = request;
    }

    /** Whether a call at {@code nowMs} still finds the session. */
    boolean attributable(long nowMs, long graceMs) {
        return nowMs < leaseEndMs + graceMs;
    }

    void pageView(String url) {
        if (pagePath.size() == MAX_PAGE_VIEWS) {
            pagePath.removeFirst();
        }
        pagePath.addLast(url);
    }

    /** Rebuilds {@link #attribution} from the pool's configuration and the session's values. */
    void rebuildAttribution(PoolConfig pool) {
        attribution = new Attribution(pool.id(), pool.campaign(), pool.sourceFor(request.utmSource()), id, false,
                pool.releaseOnCallEnd(), tags(pool, request, id), List.copyOf(pagePath));
    }

    /** The tags a call to the number of session {@code id} gets from what its landing page told. */
    static Map<String, String> tags(PoolConfig pool, SessionRequest r, String id) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("pool", pool.id());
        put(tags, "utm_source", r.utmSource());
        put(tags, "utm_medium", r.utmMedium());
        put(tags, "utm_campaign", r.utmCampaign());
        put(tags, "utm_term", r.utmTerm());
        put(tags, "utm_content", r.utmContent());
        put(tags, "gclid", r.gclid());
        put(tags, "gbraid", r.gbraid());
        put(tags, "wbraid", r.wbraid());
        put(tags, "fbclid", r.fbclid());
        put(tags, "msclkid", r.msclkid());
        put(tags, "ga_client_id", r.gaClientId());
        put(tags, "sales_code", r.salesCode());
        for (int i = 0; i < r.references().size(); i++) {
            put(tags, "ref" + (i + 1), r.references().get(i));
        }
        put(tags, "landing_page", r.pageUrl());
        put(tags, "referrer", r.referrer());
        tags.put("visitor_session", id);
        r.tags().forEach((name, value) -> {
            if (pool.tagsAllowed().contains(name)) {
                tags.putIfAbsent(name, value);
            }
        });
        return Collections.unmodifiableMap(tags);
    }

    private static void put(Map<String, String> tags, String name, String value) {
        if (value != null && !value.isEmpty()) {
            tags.put(name, value);
        }
    }
}
