package org.callrouter.routing;

import java.util.List;

import org.callrouter.routing.caps.CapCounters;
import org.callrouter.routing.caps.CapWindow;
import org.callrouter.routing.caps.WindowClock;
import org.callrouter.routing.config.Caps;
import org.callrouter.routing.config.HandlerConfig;
import org.callrouter.routing.criteria.Criterion;
import org.callrouter.routing.criteria.Tags;
import org.callrouter.routing.hours.BusinessHours;

/**
 * A handler as one routing snapshot sees it: its configuration compiled for the hot path
 * (business hours with their cached open span, the cap window clock, criteria, every skip
 * it can produce built in advance) and its state that outlives reloads (cap counters,
 * health).
 */
final class HandlerRoute {

    final HandlerConfig config;
    final String id;
    final int code;
    final CapCounters counters;
    final HandlerHealth.State health;
    final BusinessHours hours;
    final WindowClock windows;
    final Caps caps;
    /**
     * This node's share of the caps when the cluster's shared store fails and the campaign says
     * {@code local}: each cap divided by the node count (rounded down, so the nodes together
     * never pass the cap).
     */
    final Caps fallbackCaps;
    private final boolean capped;
    /** {@link CapCounters#limits(Caps)} of the caps, for the allocation-free peek. */
    private final int[] limits;
    private final Criterion[] criteria;
    /** Snapshot-wide ids of the criteria (equal criteria share one), for {@link DecisionScratch#test}. */
    private final int[] criterionIds;
    private final boolean enabled;
    /** Every skip this handler can produce, by {@link #check} code. */
    private final Skip[] skipsByCode;

    /** {@link #check} codes; a plan keeps one byte per handler instead of a reference. */
    static final int ELIGIBLE = 0;
    static final int DISABLED = 1;
    static final int CLOSED = 2;
    static final int UNHEALTHY = 3;
    /** The skip reason of an unhealthy handler. */
    static final String UNHEALTHY_REASON = "unhealthy";
    /** {@code CAP + } the result of {@link CapCounters#tryAcquire} (window ordinal or concurrency). */
    static final int CAP = 4;
    /** Set by the campaign (repeat callers), see {@link LinkRoute#skip}. */
    static final int REPEAT = CAP + CapCounters.CONCURRENCY + 1;
    /** {@code CRITERIA + i} for the handler's i-th criterion. */
    static final int CRITERIA = REPEAT + 1;
    /** Criteria a handler may have, so that every code fits in a byte. */
    static final int MAX_CRITERIA = 255 - CRITERIA;

    /** @param nodes the routers sharing the caps ({@code cluster.nodes}; 1 without a cluster) */
    HandlerRoute(HandlerConfig config, int code, CapCounters counters, HandlerHealth.State health, WindowClock windows,
                 int[] criterionIds, int nodes) {
        this.config = config;
        this.id = config.id();
        this.code = code;
        this.counters = counters;
        this.health = health;
        this.windows = windows;
        this.hours = BusinessHours.of(config.businessHours(), config.timeZone());
        this.caps = config.caps();
        this.fallbackCaps = share(caps, nodes);
        this.capped = caps.any();
        this.limits = CapCounters.limits(caps);
        List<Criterion> list = config.criteria();
        this.criteria = list.toArray(new Criterion[0]);
        this.criterionIds = criterionIds;
        this.enabled = config.enabled();
        if (criteria.length > MAX_CRITERIA) {
            throw new IllegalArgumentException("handler " + id + " has more than " + MAX_CRITERIA + " criteria");
        }
        this.skipsByCode = new Skip[CRITERIA + criteria.length];
        skipsByCode[DISABLED] = new Skip(id, "disabled");
        skipsByCode[CLOSED] = new Skip(id, "closed");
        skipsByCode[UNHEALTHY] = new Skip(id, UNHEALTHY_REASON);
        for (CapWindow window : CapWindow.values()) {
            skipsByCode[CAP + window.ordinal()] = new Skip(id, window.skipReason());
        }
        skipsByCode[CAP + CapCounters.CONCURRENCY] = new Skip(id, "cap: concurrency");
        for (int i = 0; i < criteria.length; i++) {
            skipsByCode[CRITERIA + i] = new Skip(id, "criteria: " + criteria[i].text());
        }
    }

    /**
     * Why the handler cannot take the call now as a code ({@link #skip} gives the skip), or
     * {@link #ELIGIBLE}. Checked in the order disabled, closed, criteria, caps, health; the
     * first failing check is the reason.
     *
     * @param scratch the calling thread's work arrays (criterion results of this call, window ids)
     */
    int check(long nowMs, Tags tags, DecisionScratch scratch, boolean healthEnabled) {
        if (!enabled) {
            return DISABLED;
        }
        if (!hours.isOpen(nowMs)) {
            return CLOSED;
        }
        for (int i = 0; i < criteria.length; i++) {
            if (!scratch.test(criterionIds[i], criteria[i], tags)) {
                return CRITERIA + i;
            }
        }
        if (capped) {
            long[] windowIds = scratch.windowIds;
            windows.windowIds(nowMs, windowIds);
            int full = counters.blocking(windowIds, limits);
            if (full != CapCounters.GRANTED) {
                return CAP + full;
            }
        }
        if (healthEnabled && !health.healthy()) {
            return UNHEALTHY;
        }
        return ELIGIBLE;
    }

    private static Caps share(Caps caps, int nodes) {
        return new Caps(share(caps.concurrency(), nodes), share(caps.hourly(), nodes), share(caps.daily(), nodes),
                share(caps.monthly(), nodes), share(caps.total(), nodes), caps.trigger());
    }

    private static int share(int cap, int nodes) {
        return cap == Caps.NONE ? Caps.NONE : cap / nodes;
    }

    /** The skip of a {@link #check} code (not {@link #REPEAT}, which the campaign owns). */
    Skip skip(int code) {
        return skipsByCode[code];
    }
}
