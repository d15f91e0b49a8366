package org.callrouter.server.metrics;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.callrouter.routing.CapUsage;
import org.callrouter.routing.HandlerHealth;
import org.callrouter.routing.Router;
import org.callrouter.routing.config.Caps;
import org.callrouter.routing.config.HandlerConfig;
import org.callrouter.routing.config.RouterConfig;

/**
 * Per-handler gauges, read from the router at each scrape: {@code handler_active_calls{handler}}
 * (live calls, the concurrency count), {@code handler_cap_remaining{handler,window}} for each cap
 * the handler has ({@code window} {@code concurrency}, {@code hourly}, {@code daily},
 * {@code monthly}, {@code total}; a cap not set has no series), {@code handler_healthy{handler}}
 * (1 or 0), {@code handler_consecutive_invite_failures{handler}} (passive health's count now) and
 * {@code handler_marked_unhealthy_total{handler,cause}} ({@code probes} or {@code invites}). {@link #refresh} follows the handlers of a reloaded configuration.
 */
final class HandlerGauges {

    private final MeterRegistry registry;
    private final Router router;
    private final Clock wall;
    private final List<Meter> registered = new ArrayList<>();

    HandlerGauges(MeterRegistry registry, Router router, Clock wall) {
        this.registry = registry;
        this.router = router;
        this.wall = wall;
    }

    /** Registers the gauges of {@code config}'s handlers and removes those of handlers (or caps) gone. */
    synchronized void refresh(RouterConfig config) {
        final List<Meter> next = new ArrayList<>();
        for (HandlerConfig handler : config.handlers()) {
            final String id = handler.id();
            next.add(Gauge.builder("handler.active.calls", () -> used(id, "concurrency"))
                    .description("Calls the handler has now").tags(Tags.of("handler", id)).register(registry));
            next.add(Gauge.builder("handler.healthy", () -> router.health().healthy(id) ? 1 : 0)
                    .description("1 when the handler answers its probes (or probing is off)")
                    .tags(Tags.of("handler", id)).register(registry));
            next.add(Gauge.builder("handler.consecutive.invite.failures",
                            () -> router.health().status(id).consecutiveInviteFailures())
                    .description("INVITE attempts that got no response or a 5xx in a row (passive health)")
                    .tags(Tags.of("handler", id)).register(registry));
            for (HandlerHealth.Cause cause : new HandlerHealth.Cause[] {HandlerHealth.Cause.PROBES,
                    HandlerHealth.Cause.INVITES}) {
                next.add(FunctionCounter.builder("handler.marked.unhealthy", router,
                                r -> r.health().markedUnhealthy(id, cause))
                        .description("Times the handler was marked unhealthy, by cause (probes, invites)")
                        .tags(Tags.of("handler", id, "cause", cause.label())).register(registry));
            }
            final Caps caps = handler.caps();
            addCap(next, id, "concurrency", caps.concurrency());
            addCap(next, id, "hourly", caps.hourly());
            addCap(next, id, "daily", caps.daily());
            addCap(next, id, "monthly", caps.monthly());
            addCap(next, id, "total", caps.total());
        }
        final Set<Meter.Id> keep = new HashSet<>();
        for (Meter m : next) {
            keep.add(m.getId());
        }
        for (Meter old : registered) {
            if (!keep.contains(old.getId())) {
                registry.remove(old);
            }
        }
        registered.clear();
        registered.addAll(next);
    }

    private void addCap(List<Meter> out, String handler, String window, int limit) {
        if (limit != Caps.NONE) {
            out.add(Gauge.builder("handler.cap.remaining", () -> remaining(handler, window))
                    .description("Calls the handler's cap still allows in its current window")
                    .tags(Tags.of("handler", handler, "window", window)).register(registry));
        }
    }

    private double used(String handler, String cap) {
        final CapUsage usage = usage(handler, cap);
        return usage == null ? Double.NaN : usage.used();
    }

    private double remaining(String handler, String cap) {
        final CapUsage usage = usage(handler, cap);
        return usage == null || usage.limit() == Caps.NONE ? Double.NaN : usage.remaining();
    }

    private CapUsage usage(String handler, String cap) {
        try {
            for (CapUsage usage : router.capUsage(handler, wall.millis())) {
                if (usage.cap().equals(cap)) {
                    return usage;
                }
            }
        } catch (IllegalArgumentException removedByReload) {
            return null;
        }
        return null;
    }
}
