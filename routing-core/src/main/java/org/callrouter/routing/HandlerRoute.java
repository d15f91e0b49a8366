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
    private final boolean capped;
    /** {@link CapCounters#limits(Caps)} of the caps, for the allocation-free peek. */
    private final int[] limits;
    private final Criterion[] criteria;
    /** Snapshot-wide ids of the criteria (equal criteria share one), for {@link DecisionScratch#test}. */
    private final int[] criterionIds;
    private final Skip[] criteriaSkips;
    private final boolean enabled;
    private final Skip disabled;
    private final Skip closed;
    private final Skip unhealthy;
    private final Skip[] capSkips = new Skip[CapCounters.CONCURRENCY + 1];

    HandlerRoute(HandlerConfig config, int code, CapCounters counters, HandlerHealth.State health, WindowClock windows,
                 int[] criterionIds) {
        this.config = config;
        this.id = config.id();
        this.code = code;
        this.counters = counters;
        this.health = health;
        this.windows = windows;
        this.hours = BusinessHours.of(config.businessHours(), config.timeZone());
        this.caps = config.caps();
        this.capped = caps.any();
        this.limits = CapCounters.limits(caps);
        List<Criterion> list = config.criteria();
        this.criteria = list.toArray(new Criterion[0]);
        this.criterionIds = criterionIds;
        this.enabled = config.enabled();
        this.criteriaSkips = new Skip[criteria.length];
        for (int i = 0; i < criteria.length; i++) {
            criteriaSkips[i] = new Skip(id, "criteria: " + criteria[i].text());
        }
        this.disabled = new Skip(id, "disabled");
        this.closed = new Skip(id, "closed");
        this.unhealthy = new Skip(id, "unhealthy");
        for (CapWindow window : CapWindow.values()) {
            capSkips[window.ordinal()] = new Skip(id, window.skipReason());
        }
        capSkips[CapCounters.CONCURRENCY] = new Skip(id, "cap: concurrency");
    }

    /**
     * Why the handler cannot take the call now, or {@code null} when it can. Checked in the
     * order disabled, closed, criteria, caps, health; the first failing check is the reason.
     *
     * @param scratch the calling thread's work arrays (criterion results of this call, window ids)
     */
    Skip check(long nowMs, Tags tags, DecisionScratch scratch, boolean healthEnabled) {
        if (!enabled) {
            return disabled;
        }
        if (!hours.isOpen(nowMs)) {
            return closed;
        }
        for (int i = 0; i < criteria.length; i++) {
            if (!scratch.test(criterionIds[i], criteria[i], tags)) {
                return criteriaSkips[i];
            }
        }
        if (capped) {
            long[] windowIds = scratch.windowIds;
            windows.windowIds(nowMs, windowIds);
            int full = counters.blocking(windowIds, limits);
            if (full != CapCounters.GRANTED) {
                return capSkips[full];
            }
        }
        if (healthEnabled && !health.healthy()) {
            return unhealthy;
        }
        return null;
    }

    /** The skip for a cap that ran out ({@link CapCounters#tryAcquire}'s result). */
    Skip capSkip(int full) {
        return capSkips[full];
    }
}
