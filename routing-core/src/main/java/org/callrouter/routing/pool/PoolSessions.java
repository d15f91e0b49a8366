package org.callrouter.routing.pool;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.agrona.collections.Long2ObjectHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.callrouter.routing.config.PoolConfig;
import org.callrouter.routing.store.SessionStore;
import org.callrouter.routing.store.StoreFullException;

/**
 * Number pools and their visitor sessions: which landing-page visitor holds which number, and
 * what a call to a pool number learns about its visitor. One per router, safe for any thread.
 *
 * <p>A visitor gets, in this order: the number its session (the page's cookie) already holds;
 * else the free number whose lease ended longest ago; else the pool's overflow number (counted
 * as exhausted; no session); else nothing. A number is held by at most one live session at any
 * moment: allocation runs under the pool's lock. A call up to {@code attribution_grace_seconds}
 * after the lease ended (or the visitor released it) still finds the session, as long as the
 * number has not gone to another visitor, which the least-recently-used order delays as long
 * as any other number is free (see {@link NumberPool}).
 *
 * <p>Every change to a session is written to the {@link SessionStore} before it is answered (a
 * renewal when it moves the lease end by a tenth of the lease, see {@link #renew}), so leases
 * survive a restart and a {@code kill -9}; the in-memory free lists and deadlines are
 * rebuilt from the store when the router opens. A session is kept only while a pool number
 * points to it: it is forgotten when its grace window passes or when its number goes to another
 * visitor, so the store never holds more sessions than the pools have numbers.
 *
 * <p>{@link #attribute} is the call path: a hash lookup and two volatile reads, no lock.
 */
public final class PoolSessions implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PoolSessions.class);
    /** How soon a page shown the overflow number should ask again: a number may have come free. */
    static final long OVERFLOW_RETRY_MS = 60_000;
    /** A renewal is written when it moves the stored lease end by this fraction of the lease. */
    private static final int RENEWAL_WRITE_FRACTION = 10;

    /** One configuration's pools and the number → slot index the call path reads. */
    private record Generation(Map<String, NumberPool> pools, Long2ObjectHashMap<Slot> slots) {
    }

    private final SessionStore store;
    private final SessionIds ids = new SessionIds();
    private final ReentrantReadWriteLock reconfiguring = new ReentrantReadWriteLock();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, Integer> liveByAddress = new ConcurrentHashMap<>();
    private final Map<String, PoolCounters> counters = new ConcurrentHashMap<>();
    private volatile int maxSessionsPerAddress;
    private volatile Generation generation;
    private volatile SessionListener listener = SessionListener.NONE;
    /**
     * Sessions forgotten as the pools opened (their grace window passed while the router was
     * down), kept for the listener; null once it has them. Bounded by the sessions store.
     */
    private List<Ended> endedAtOpen = new ArrayList<>();
    private boolean opening = true;

    private record Ended(String sessionId, long endedMs) {
    }

    /**
     * Opens the pools of a configuration over the sessions in {@code store}: live leases are
     * held again, sessions in their grace window are kept for calls, the rest are removed.
     *
     * @param store                 where sessions persist; null keeps them in memory only (an
     *                              explaining router, tests)
     * @param maxSessionsPerAddress {@code server.tracking.max_sessions_per_address}
     */
    public PoolSessions(SessionStore store, List<PoolConfig> pools, int maxSessionsPerAddress, long nowMs) {
        this.store = store;
        this.maxSessionsPerAddress = maxSessionsPerAddress;
        List<Session> stored = new ArrayList<>();
        if (store != null) {
            List<long[]> unreadable = new ArrayList<>();
            store.forEach((high, low, value) -> {
                try {
                    stored.add(SessionCodec.decode(high, low, value));
                } catch (IOException | RuntimeException e) {
                    unreadable.add(new long[] {high, low});
                }
            });
            if (!unreadable.isEmpty()) {
                LOG.warn("removed {} unreadable visitor sessions from the sessions store", unreadable.size());
                unreadable.forEach(key -> store.remove(key[0], key[1]));
            }
        }
        this.generation = build(pools, stored, new Long2ObjectHashMap<>(), nowMs);
        opening = false;
    }

    /**
     * Tells {@code next} of every session created or forgotten from now on, and first of those
     * forgotten since the pools opened (sessions whose grace window passed while the router was
     * down). Set once, before the tracking listener starts.
     */
    public void listener(SessionListener next) {
        reconfiguring.writeLock().lock();
        try {
            listener = next;
            if (endedAtOpen != null) {
                for (Ended ended : endedAtOpen) {
                    next.onEnded(ended.sessionId(), ended.endedMs());
                }
                endedAtOpen = null;
            }
        } finally {
            reconfiguring.writeLock().unlock();
        }
    }

    /**
     * Applies a new configuration's pools: live leases and grace windows of numbers that stay
     * in the same pool are kept (new lease lengths apply from the next renewal); sessions of
     * numbers removed from their pool are forgotten.
     */
    public void reconfigure(List<PoolConfig> pools, int maxSessionsPerAddress, long nowMs) {
        reconfiguring.writeLock().lock();
        try {
            this.maxSessionsPerAddress = maxSessionsPerAddress;
            Long2ObjectHashMap<Slot> previous = generation.slots();
            generation = build(pools, new ArrayList<>(sessions.values()), previous, nowMs);
        } finally {
            reconfiguring.writeLock().unlock();
        }
    }

    private Generation build(List<PoolConfig> configs, Collection<Session> known, Long2ObjectHashMap<Slot> previous,
                             long nowMs) {
        Map<String, NumberPool> pools = new LinkedHashMap<>();
        Long2ObjectHashMap<Slot> slots = new Long2ObjectHashMap<>();
        for (PoolConfig config : configs) {
            NumberPool pool = new NumberPool(config, counters.computeIfAbsent(config.id(), id -> new PoolCounters()));
            pools.put(config.id(), pool);
            for (Slot slot : pool.slots) {
                slots.put(slot.number, slot);
            }
            if (pool.overflow != null) {
                slots.put(pool.overflow.number, pool.overflow);
            }
        }
        sessions.clear();
        liveByAddress.clear();
        for (Session s : known) {
            NumberPool pool = pools.get(s.poolId);
            Slot slot = pool == null ? null : slots.get(s.number);
            if (slot == null || slot.pool != pool || slot == pool.overflow) {
                forget(s, nowMs);
            } else if (slot.session != null) {
                // Two sessions of one number: allocate() removes the old one before storing the new
                // one, so only a failed write could leave both; the newer one wins.
                Session older = slot.session.createdAtMs <= s.createdAtMs ? slot.session : s;
                slot.session = older == s ? slot.session : s;
                forget(older, nowMs);
            } else {
                slot.session = s;
            }
        }
        for (NumberPool pool : pools.values()) {
            List<Slot> free = new ArrayList<>();
            for (Slot slot : pool.slots) {
                Session s = slot.session;
                Slot before = previous.get(slot.number);
                slot.freedAtMs = before != null && before.pool.config.id().equals(pool.config.id()) ? before.freedAtMs : 0;
                if (s != null) {
                    s.slot = slot;
                    s.queuedMs = 0;
                    if (!s.released && s.leaseEndMs > nowMs) {
                        s.state = Session.State.LEASED;
                        pool.markHeld();
                        if (s.address != null) {
                            liveByAddress.merge(s.address, 1, Integer::sum);
                        }
                        pool.schedule(s, s.leaseEndMs);
                    } else if (s.attributable(nowMs, pool.graceMs)) {
                        s.state = Session.State.GRACE;
                        slot.freedAtMs = s.leaseEndMs;
                        pool.schedule(s, s.leaseEndMs + pool.graceMs);
                    } else {
                        slot.session = null;
                        forget(s, s.leaseEndMs + pool.graceMs);
                        s = null;
                    }
                }
                if (s != null) {
                    s.rebuildAttribution(pool.config);
                    sessions.put(s.id, s);
                }
                if (s == null || s.state == Session.State.GRACE) {
                    free.add(slot);
                }
            }
            free.sort(Comparator.comparingLong(slot -> slot.freedAtMs));
            free.forEach(slot -> pool.insertFree(slot, slot.freedAtMs));
        }
        // Never changed once published: readers need no lock.
        return new Generation(pools, slots);
    }

    /**
     * A number for a landing-page visitor.
     *
     * @param heldSessionId the session the page already has (its cookie), or null
     * @param request       what the page tells about the visitor (checked by the caller with
     *                      {@link SessionRequest#problem})
     * @param clientAddress the visitor's address, for {@code max_sessions_per_address}; null = not capped
     * @throws IllegalArgumentException with {@link SessionRequest#problem}'s reason for a request
     *                                  out of bounds
     * @throws StoreFullException when the sessions store has no room (nothing changes; only
     *                             possible when the store was created smaller than
     *                             {@code max_sessions} now says)
     */
    public Allocation create(String poolId, String heldSessionId, SessionRequest request, String clientAddress,
                             long nowMs) {
        reconfiguring.readLock().lock();
        try {
            NumberPool pool = poolId == null ? null : generation.pools().get(poolId);
            if (pool == null) {
                return Allocation.of(Allocation.Status.UNKNOWN_POOL);
            }
            String problem = request.problem(pool.config);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            synchronized (pool) {
                expire(pool, nowMs);
                Session held = heldSessionId == null ? null : sessions.get(heldSessionId);
                if (held != null && held.slot.pool == pool) {
                    Allocation kept = keep(pool, held, request, nowMs);
                    if (kept != null) {
                        return kept;
                    }
                }
                return allocate(pool, request, clientAddress, nowMs);
            }
        } finally {
            reconfiguring.readLock().unlock();
        }
    }

    /** The visitor's own session keeps its number, or takes it back if no one else got it; null when neither. */
    private Allocation keep(NumberPool pool, Session s, SessionRequest request, long nowMs) {
        if (s.state == Session.State.GRACE && s.slot.session == s && s.slot.free) {
            if (!takeAddress(s.address)) {
                pool.counters.addressCap.increment();
                return Allocation.of(Allocation.Status.ADDRESS_CAP);
            }
            pool.take(s.slot);
            s.state = Session.State.LEASED;
            s.released = false;
            s.leaseEndMs = nowMs + pool.leaseMs;
            pool.schedule(s, s.leaseEndMs);
        } else if (s.state != Session.State.LEASED) {
            return null;
        } else if (pool.config.renew()) {
            s.leaseEndMs = Math.max(s.leaseEndMs, nowMs + pool.leaseMs);
        }
        if (request.pageUrl() != null && !request.pageUrl().equals(s.pagePath.peekLast())) {
            s.pageView(request.pageUrl());
            s.rebuildAttribution(pool.config);
        }
        persist(s);
        return new Allocation(Allocation.Status.KEPT, s.id, s.slot.text, s.leaseEndMs);
    }

    private Allocation allocate(NumberPool pool, SessionRequest request, String clientAddress, long nowMs) {
        if (!takeAddress(clientAddress)) {
            pool.counters.addressCap.increment();
            return Allocation.of(Allocation.Status.ADDRESS_CAP);
        }
        Slot slot = pool.take();
        if (slot == null) {
            giveAddress(clientAddress);
            pool.counters.exhausted.increment();
            return pool.overflow == null ? Allocation.of(Allocation.Status.NO_NUMBER)
                    : new Allocation(Allocation.Status.OVERFLOW, null, pool.overflow.text,
                            nowMs + Math.min(pool.leaseMs, OVERFLOW_RETRY_MS));
        }
        long[] id = ids.next();
        Session s = new Session(id[0], id[1], pool.config.id(), slot.number, clientAddress, nowMs, request);
        s.slot = slot;
        s.leaseEndMs = nowMs + pool.leaseMs;
        if (request.pageUrl() != null) {
            s.pageView(request.pageUrl());
        }
        s.rebuildAttribution(pool.config);
        // The number's previous session (in its grace window) leaves the store first, so that a
        // store sized to the pools' numbers always has room for the new one.
        Session previous = slot.session;
        if (previous != null && store != null) {
            store.remove(previous.high, previous.low);
        }
        try {
            persist(s);
        } catch (RuntimeException e) {
            if (previous != null) {
                persist(previous);
            }
            pool.free(slot, slot.freedAtMs);
            giveAddress(clientAddress);
            throw e;
        }
        if (previous != null) {
            end(previous, nowMs);
        }
        slot.session = s;
        sessions.put(s.id, s);
        pool.schedule(s, s.leaseEndMs);
        pool.counters.created.increment();
        listener.onCreated(s.id, pool.config.id(), pool.config.campaign(), pool.config.sourceFor(request.utmSource()),
                nowMs, request);
        return new Allocation(Allocation.Status.CREATED, s.id, slot.text, s.leaseEndMs);
    }

    /**
     * Extends a live session's lease by the pool's {@code lease_seconds} from now (when the pool
     * has {@code renew: true}; else the lease end stays and is answered).
     *
     * <p>A page renews every 15 seconds while it is open, so a renewal is written to the store
     * only when it moves the stored lease end by at least a tenth of the lease (every 3 minutes
     * on a 30-minute lease): a restart or a {@code kill -9} can cut a lease short by at most that
     * tenth, and eleven renewals in twelve cost no store write.
     */
    public Allocation renew(String sessionId, long nowMs) {
        return withLiveSession(sessionId, nowMs, (pool, s) -> {
            if (pool.config.renew()) {
                s.leaseEndMs = Math.max(s.leaseEndMs, nowMs + pool.leaseMs);
                if (s.leaseEndMs - s.storedLeaseEndMs >= pool.leaseMs / RENEWAL_WRITE_FRACTION) {
                    persist(s);
                }
                pool.counters.renewals.increment();
            }
            return new Allocation(Allocation.Status.RENEWED, s.id, s.slot.text, s.leaseEndMs);
        }, Allocation.of(Allocation.Status.UNKNOWN_SESSION));
    }

    /**
     * Records a page the visitor opened (the last {@value Session#MAX_PAGE_VIEWS} are kept).
     *
     * @return false for an unknown or ended session, or a URL out of {@link SessionRequest#urlProblem} bounds
     */
    public boolean pageView(String sessionId, String url, long nowMs) {
        if (SessionRequest.urlProblem(url) != null) {
            return false;
        }
        return withLiveSession(sessionId, nowMs, (pool, s) -> {
            s.pageView(url);
            s.rebuildAttribution(pool.config);
            persist(s);
            return true;
        }, false);
    }

    /**
     * The visitor left (or a call to its number ended with {@code release_on_call_end}): the
     * number goes back to the pool, after every number freed before it; calls within the grace
     * window still find the session until the number goes to someone else.
     *
     * @return false for an unknown or already ended session
     */
    public boolean release(String sessionId, long nowMs) {
        return withLiveSession(sessionId, nowMs, (pool, s) -> {
            s.released = true;
            s.leaseEndMs = Math.min(s.leaseEndMs, nowMs);
            persist(s);
            s.state = Session.State.GRACE;
            pool.free(s.slot, s.leaseEndMs);
            giveAddress(s.address);
            pool.schedule(s, s.leaseEndMs + pool.graceMs);
            return true;
        }, false);
    }

    private interface SessionAction<T> {
        T apply(NumberPool pool, Session session);
    }

    private <T> T withLiveSession(String sessionId, long nowMs, SessionAction<T> action, T unknown) {
        if (!SessionIds.isWellFormed(sessionId)) {
            return unknown;
        }
        reconfiguring.readLock().lock();
        try {
            Session s = sessions.get(sessionId);
            if (s == null) {
                return unknown;
            }
            NumberPool pool = s.slot.pool;
            synchronized (pool) {
                expire(pool, nowMs);
                return s.state == Session.State.LEASED ? action.apply(pool, s) : unknown;
            }
        } finally {
            reconfiguring.readLock().unlock();
        }
    }

    /**
     * What a call to {@code dialedE164} learns from the pools: null when the number is in no
     * pool; else the session holding it (or holding it within the grace window), or only the
     * pool. Counts hits and misses. Lock-free, allocation-free.
     */
    public Attribution attribute(long dialedE164, long nowMs) {
        Slot slot = generation.slots().get(dialedE164);
        if (slot == null) {
            return null;
        }
        NumberPool pool = slot.pool;
        if (slot == pool.overflow) {
            pool.counters.misses.increment();
            return pool.exhausted;
        }
        Session s = slot.session;
        if (s != null && s.attributable(nowMs, pool.graceMs)) {
            pool.counters.hits.increment();
            return s.attribution;
        }
        pool.counters.misses.increment();
        return pool.miss;
    }

    /** Each pool's size, use and counters (ended leases are processed first). */
    public List<PoolStatus> status(long nowMs) {
        List<PoolStatus> all = new ArrayList<>();
        reconfiguring.readLock().lock();
        try {
            for (NumberPool pool : generation.pools().values()) {
                synchronized (pool) {
                    expire(pool, nowMs);
                    PoolCounters c = pool.counters;
                    all.add(new PoolStatus(pool.config.id(), pool.config.campaign(), pool.slots.length, pool.held(),
                            pool.slots.length - pool.held(), c.created.sum(), c.renewals.sum(), c.exhausted.sum(),
                            c.addressCap.sum(), c.hits.sum(), c.misses.sum()));
                }
            }
        } finally {
            reconfiguring.readLock().unlock();
        }
        return all;
    }

    /**
     * Frees the numbers of leases that ended and forgets sessions whose grace window passed. Every
     * other operation does this for its pool first; a periodic call keeps quiet pools tidy too.
     */
    public void expire(long nowMs) {
        reconfiguring.readLock().lock();
        try {
            for (NumberPool pool : generation.pools().values()) {
                synchronized (pool) {
                    expire(pool, nowMs);
                }
            }
        } finally {
            reconfiguring.readLock().unlock();
        }
    }

    /** The pool's configuration, or null when unknown. */
    public PoolConfig pool(String poolId) {
        NumberPool pool = poolId == null ? null : generation.pools().get(poolId);
        return pool == null ? null : pool.config;
    }

    /**
     * The pool of a session that is kept (live, or in its grace window), or null: lets the
     * tracking endpoint apply the pool's origins and rate limits to a session's requests.
     */
    public String poolOf(String sessionId) {
        Session s = sessionId == null ? null : sessions.get(sessionId);
        return s == null ? null : s.poolId;
    }

    /** The pool of that id in the configuration in force, or null. */
    NumberPool numberPool(String poolId) {
        return poolId == null ? null : generation.pools().get(poolId);
    }

    /** The pool number (or overflow number) {@code e164} in the configuration in force, or null. */
    Slot slot(long e164) {
        return generation.slots().get(e164);
    }

    SessionListener sessionListener() {
        return listener;
    }

    int maxSessionsPerAddress() {
        return maxSessionsPerAddress;
    }

    /** Sessions kept (live leases and grace windows). */
    public int sessionCount() {
        return sessions.size();
    }

    private void expire(NumberPool pool, long nowMs) {
        for (NumberPool.Deadline due = pool.due(nowMs); due != null; due = pool.due(nowMs)) {
            Session s = due.session();
            if (s.state == Session.State.LEASED) {
                if (s.leaseEndMs <= nowMs) {
                    s.state = Session.State.GRACE;
                    pool.free(s.slot, s.leaseEndMs);
                    giveAddress(s.address);
                    pool.schedule(s, s.leaseEndMs + pool.graceMs);
                } else {
                    pool.schedule(s, s.leaseEndMs);
                }
            } else if (s.state == Session.State.GRACE) {
                if (s.attributable(nowMs, pool.graceMs)) {
                    pool.schedule(s, s.leaseEndMs + pool.graceMs);
                } else {
                    end(s, s.leaseEndMs + pool.graceMs);
                }
            }
        }
    }

    /** Forgets a session whose number stays in the pool (its grace window passed or the number went on). */
    private void end(Session s, long endedMs) {
        s.state = Session.State.ENDED;
        if (s.slot.session == s) {
            s.slot.session = null;
        }
        sessions.remove(s.id, s);
        if (store != null) {
            store.remove(s.high, s.low);
        }
        ended(s, endedMs);
    }

    /** Forgets a session that no configured pool number points to. */
    private void forget(Session s, long endedMs) {
        s.state = Session.State.ENDED;
        if (store != null) {
            store.remove(s.high, s.low);
        }
        ended(s, endedMs);
    }

    private void ended(Session s, long endedMs) {
        if (opening) {
            endedAtOpen.add(new Ended(s.id, endedMs));
        } else {
            listener.onEnded(s.id, endedMs);
        }
    }

    private void persist(Session s) {
        if (store != null) {
            store.put(s.high, s.low, SessionCodec.encode(s));
        }
        s.storedLeaseEndMs = s.leaseEndMs;
    }

    /** Counts a live session for the address unless it holds the cap already. */
    private boolean takeAddress(String address) {
        if (address == null) {
            return true;
        }
        int cap = maxSessionsPerAddress;
        boolean[] taken = new boolean[1];
        liveByAddress.compute(address, (key, live) -> {
            int n = live == null ? 0 : live;
            if (n >= cap) {
                return live;
            }
            taken[0] = true;
            return n + 1;
        });
        return taken[0];
    }

    private void giveAddress(String address) {
        if (address != null) {
            liveByAddress.computeIfPresent(address, (key, live) -> live <= 1 ? null : live - 1);
        }
    }

    /** The stores are closed by their owner; nothing to release here beyond the references. */
    @Override
    public void close() {
        sessions.clear();
        liveByAddress.clear();
    }
}
