package org.callrouter.routing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.callrouter.routing.config.ServerSettings;

/**
 * Handler health from the server's OPTIONS probes, as flags with thresholds (like
 * Kamailio's dispatcher) so that one lost probe does not flip a handler: a healthy
 * handler becomes unhealthy after {@code failure_threshold} consecutive failed probes and
 * healthy again after {@code recovery_threshold} consecutive good ones. Handlers start
 * healthy. With {@code server.health.enabled: false} every handler is healthy.
 */
public final class HandlerHealth {

    /** One handler's probe state. */
    static final class State {
        private volatile boolean healthy = true;
        private int failures;
        private int successes;
        private long lastProbeMs;
        private long sinceMs;

        boolean healthy() {
            return healthy;
        }
    }

    /**
     * A handler's health as last probed.
     *
     * @param healthy     whether it is routed to
     * @param lastProbeMs when the last probe result came (0 = never)
     * @param sinceMs     when it last changed state (0 = never)
     */
    public record Status(boolean healthy, long lastProbeMs, long sinceMs) {
    }

    private final Map<String, State> states = new ConcurrentHashMap<>();
    private volatile ServerSettings.Health settings;

    HandlerHealth(ServerSettings.Health settings) {
        this.settings = settings;
    }

    void settings(ServerSettings.Health next) {
        this.settings = next;
    }

    /** Whether probing is on ({@code server.health.enabled}). */
    public boolean enabled() {
        return settings.enabled();
    }

    /** Probe interval in seconds ({@code server.health.probe_interval_seconds}). */
    public int probeIntervalSeconds() {
        return settings.probeIntervalSeconds();
    }

    /** Reports one probe's result (a final answer to OPTIONS, or no answer at all). */
    public void probeResult(String handlerId, boolean ok, long nowMs) {
        State state = state(handlerId);
        ServerSettings.Health current = settings;
        synchronized (state) {
            state.lastProbeMs = nowMs;
            if (ok) {
                state.failures = 0;
                state.successes++;
                if (!state.healthy && state.successes >= current.recoveryThreshold()) {
                    state.healthy = true;
                    state.sinceMs = nowMs;
                }
            } else {
                state.successes = 0;
                state.failures++;
                if (state.healthy && state.failures >= current.failureThreshold()) {
                    state.healthy = false;
                    state.sinceMs = nowMs;
                }
            }
        }
    }

    /** Whether calls may be routed to the handler. */
    public boolean healthy(String handlerId) {
        return !settings.enabled() || state(handlerId).healthy;
    }

    /** The handler's probe state. */
    public Status status(String handlerId) {
        State state = state(handlerId);
        synchronized (state) {
            return new Status(healthy(handlerId), state.lastProbeMs, state.sinceMs);
        }
    }

    State state(String handlerId) {
        return states.computeIfAbsent(handlerId, id -> new State());
    }
}
