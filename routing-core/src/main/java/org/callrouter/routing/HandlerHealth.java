package org.callrouter.routing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.callrouter.routing.config.ServerSettings;

/**
 * Handler health as flags with thresholds (like Kamailio's dispatcher) so that one lost probe
 * or one failed call does not flip a handler. Two sources mark a handler unhealthy:
 * <ul>
 *   <li>active: {@code failure_threshold} consecutive failed OPTIONS probes;</li>
 *   <li>passive: {@code passive_failure_threshold} consecutive INVITE attempts that failed
 *       (no response at all, or a 5xx), as reported by the B2BUA; 0 turns this off.</li>
 * </ul>
 * Either way only probes bring it back: {@code recovery_threshold} consecutive good ones.
 * Handlers start healthy. With {@code server.health.enabled: false} every handler is healthy.
 */
public final class HandlerHealth {

    /** Why a handler is unhealthy. */
    public enum Cause {
        /** It is healthy. */
        NONE(null),
        /** Its OPTIONS probes failed {@code failure_threshold} times in a row. */
        PROBES("probes"),
        /** Its INVITEs failed (timeout or 5xx) {@code passive_failure_threshold} times in a row. */
        INVITES("invites");

        private final String label;

        Cause(String label) {
            this.label = label;
        }

        /** {@code probes}, {@code invites}, or null when healthy. */
        public String label() {
            return label;
        }
    }

    /** One handler's health state; guarded by itself, {@link #healthy()} readable without the lock. */
    static final class State {
        private volatile boolean healthy = true;
        private Cause cause = Cause.NONE;
        private int probeFailures;
        private int probeSuccesses;
        private int inviteFailures;
        private int lastInviteStatus;
        private long lastProbeMs;
        private long sinceMs;
        private long markedByProbes;
        private long markedByInvites;

        boolean healthy() {
            return healthy;
        }

        private void unhealthy(Cause why, long nowMs) {
            healthy = false;
            cause = why;
            sinceMs = nowMs;
            if (why == Cause.PROBES) {
                markedByProbes++;
            } else {
                markedByInvites++;
            }
        }
    }

    /**
     * A handler's health.
     *
     * @param healthy                   whether it is routed to
     * @param cause                     why not, or {@link Cause#NONE}
     * @param consecutiveInviteFailures INVITE attempts that failed in a row, now
     * @param lastInviteStatus          the status of the last failed INVITE attempt (408 for no
     *                                  answer at all), 0 if none failed since the last success
     * @param lastProbeMs               when the last probe result came (0 = never)
     * @param sinceMs                   when it last changed state (0 = never)
     */
    public record Status(boolean healthy, Cause cause, int consecutiveInviteFailures, int lastInviteStatus,
                         long lastProbeMs, long sinceMs) {

        /** One line for {@code explain}: why the handler is unhealthy and since when; null if healthy. */
        public String detail(ServerSettings.Health settings) {
            return switch (cause) {
                case NONE -> null;
                case PROBES -> settings.failureThreshold() + " consecutive OPTIONS probes failed";
                case INVITES -> consecutiveInviteFailures + " consecutive INVITEs failed (last: "
                        + (lastInviteStatus == 408 ? "no response" : Integer.toString(lastInviteStatus))
                        + "); probes bring it back";
            };
        }
    }

    private final Map<String, State> states = new ConcurrentHashMap<>();
    private volatile ServerSettings.Health settings;

    HandlerHealth(ServerSettings.Health settings) {
        this.settings = settings;
    }

    void settings(ServerSettings.Health next) {
        this.settings = next;
    }

    /** The settings in force ({@code server.health}). */
    public ServerSettings.Health settings() {
        return settings;
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
                state.probeFailures = 0;
                state.probeSuccesses++;
                if (!state.healthy && state.probeSuccesses >= current.recoveryThreshold()) {
                    state.healthy = true;
                    state.cause = Cause.NONE;
                    state.inviteFailures = 0;
                    state.lastInviteStatus = 0;
                    state.sinceMs = nowMs;
                }
            } else {
                state.probeSuccesses = 0;
                state.probeFailures++;
                if (state.healthy && state.probeFailures >= current.failureThreshold()) {
                    state.unhealthy(Cause.PROBES, nowMs);
                }
            }
        }
    }

    /**
     * Reports how an INVITE attempt to the handler ended (passive health). A failure is a
     * transaction timeout or transport error ({@code status} 408 or 503 made up locally), a
     * ring timeout before any response, or a 5xx answer; anything else the handler answered
     * proves it alive and resets the count. Attempts the carrier cancelled are not reported.
     *
     * @param failed whether the attempt failed as above
     * @param status the final status (408 for no response at all)
     */
    public void inviteResult(String handlerId, boolean failed, int status, long nowMs) {
        ServerSettings.Health current = settings;
        if (current.passiveFailureThreshold() == 0) {
            return;
        }
        State state = state(handlerId);
        synchronized (state) {
            if (!failed) {
                state.inviteFailures = 0;
                state.lastInviteStatus = 0;
                return;
            }
            state.inviteFailures++;
            state.lastInviteStatus = status;
            if (state.healthy && state.inviteFailures >= current.passiveFailureThreshold()) {
                // Probes must prove it back: the recovery count starts again from here.
                state.probeSuccesses = 0;
                state.unhealthy(Cause.INVITES, nowMs);
            }
        }
    }

    /** Whether an INVITE attempt that ended with {@code status} counts as a passive failure. */
    public static boolean isInviteFailure(int status) {
        return status >= 500 && status < 600 || status == 408;
    }

    /** Whether calls may be routed to the handler. */
    public boolean healthy(String handlerId) {
        return !settings.enabled() || state(handlerId).healthy;
    }

    /** The handler's health. */
    public Status status(String handlerId) {
        State state = state(handlerId);
        synchronized (state) {
            boolean healthy = healthy(handlerId);
            return new Status(healthy, healthy ? Cause.NONE : state.cause, state.inviteFailures,
                    state.lastInviteStatus, state.lastProbeMs, state.sinceMs);
        }
    }

    /** How many times the handler was marked unhealthy for {@code cause} since the start. */
    public long markedUnhealthy(String handlerId, Cause cause) {
        State state = state(handlerId);
        synchronized (state) {
            return cause == Cause.PROBES ? state.markedByProbes : cause == Cause.INVITES ? state.markedByInvites : 0;
        }
    }

    State state(String handlerId) {
        return states.computeIfAbsent(handlerId, id -> new State());
    }
}
