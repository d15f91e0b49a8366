package org.callrouter.server.metrics;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

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
    private final Map<Meter.Id, Meter> registered = new LinkedHashMap<>();

    HandlerGauges(MeterRegistry registry, Router router, Clock wall) {
        this.registry = registry;
        this.router = router;
        this.wall = wall;
    }

    /**
     * Registers the gauges of {@code config}'s handlers that are new and removes those of
     * handlers (or caps) gone. A gauge that stays is kept as it is: it reads the router by
     * handler id and window, so it follows the new configuration, and registering it again
     * would only be ignored by Micrometer (with an "already registered" warning).
     */
    synchronized void refresh(RouterConfig config) {
        final Map<Meter.Id, Meter> next = new LinkedHashMap<>();
        for (HandlerConfig handler : config.handlers()) {
            final String id = handler.id();
            gauge(next, "handler.active.calls", "Calls the handler has now", Tags.of("handler", id),
                    () -> used(id, "concurrency"));
            gauge(next, "handler.healthy", "1 when the handler answers its probes (or probing is off)",
                    Tags.of("handler", id), () -> router.health().healthy(id) ? 1 : 0);
            gauge(next, "handler.consecutive.invite.failures",
                    "INVITE attempts that got no response or a 5xx in a row (passive health)", Tags.of("handler", id),
                    () -> router.health().status(id).consecutiveInviteFailures());
            for (HandlerHealth.Cause cause : new HandlerHealth.Cause[] {HandlerHealth.Cause.PROBES,
                    HandlerHealth.Cause.INVITES}) {
                counter(next, "handler.marked.unhealthy",
                        "Times the handler was marked unhealthy, by cause (probes, invites)",
                        Tags.of("handler", id, "cause", cause.label()), r -> r.health().markedUnhealthy(id, cause));
            }
            final Caps caps = handler.caps();
            addCap(next, id, "concurrency", caps.concurrency());
            addCap(next, id, "hourly", caps.hourly());
            addCap(next, id, "daily", caps.daily());
            addCap(next, id, "monthly", caps.monthly());
            addCap(next, id, "total", caps.total());
        }
        for (Meter old : registered.values()) {
            if (!next.containsKey(old.getId())) {
                registry.remove(old);
            }
        }
        registered.clear();
        registered.putAll(next);
    }

    private void addCap(Map<Meter.Id, Meter> out, String handler, String window, int limit) {
        if (limit != Caps.NONE) {
            gauge(out, "handler.cap.remaining", "Calls the handler's cap still allows in its current window",
                    Tags.of("handler", handler, "window", window), () -> remaining(handler, window));
        }
    }

    /** Adds the gauge to {@code out}: the one already registered, else a new one. */
    private void gauge(Map<Meter.Id, Meter> out, String name, String description, Tags tags,
                       Supplier<Number> value) {
        final Meter.Id id = new Meter.Id(name, tags, null, description, Meter.Type.GAUGE);
        final Meter kept = registered.get(id);
        out.put(id, kept != null ? kept : Gauge.builder(name, value).description(description).tags(tags)
                .register(registry));
    }

    /**
     * Adds the function counter to {@code out}: the one already registered, else a new one. It
     * reads the router, which outlives it (Micrometer holds a function counter's object weakly).
     */
    private void counter(Map<Meter.Id, Meter> out, String name, String description, Tags tags,
                         ToDoubleFunction<Router> value) {
        final Meter.Id id = new Meter.Id(name, tags, null, description, Meter.Type.COUNTER);
        final Meter kept = registered.get(id);
        out.put(id, kept != null ? kept : FunctionCounter.builder(name, router, value)
                .description(description).tags(tags).register(registry));
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
