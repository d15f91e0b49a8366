package org.callrouter.server.metrics;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.callrouter.routing.RoutingPlan;
import org.callrouter.routing.config.RouterConfig;
import org.callrouter.server.records.CallRecord;
import org.callrouter.server.records.RecordSink;

/**
 * Calls that mean a number needs attention, counted from records on the emitter thread:
 * calls to a quarantined number (per number: only numbers actually called are labelled, and
 * they are at most the quarantined ones) and calls to a {@code canary: true} number (per
 * campaign), each of which also logs a warning naming the campaign at most once per
 * {@link #WARN_EVERY_MS} per campaign (with how many calls it stood for), so a broken swap on a
 * busy site does not flood the log.
 */
public final class NumberAlerts implements RecordSink {

    private static final Logger LOG = LoggerFactory.getLogger(NumberAlerts.class);

    /** The shortest time between two canary warnings of one campaign. */
    static final long WARN_EVERY_MS = 60_000;

    private final MeterRegistry registry;
    private final Supplier<RouterConfig> config;
    private final Map<String, Counter> quarantined = new HashMap<>();
    private final Map<String, Counter> canary = new HashMap<>();
    private final Map<String, long[]> warned = new HashMap<>();
    private RouterConfig indexed;
    private Map<String, String> canaries = Map.of();

    public NumberAlerts(MeterRegistry registry, Supplier<RouterConfig> config) {
        this.registry = registry;
        this.config = config;
        canaries();
    }

    /** Whether a call to {@code dialed} is a canary call under the configuration in force. */
    private boolean isCanary(String dialed) {
        return dialed != null && canaries().containsKey(dialed);
    }

    @Override
    public void onStarted(CallRecord record) {
        final String dialed = record.dialed();
        if (record.campaign() == null || !isCanary(dialed)) {
            return;
        }
        final String campaign = record.campaign();
        canaryCounter(campaign).increment();
        // [last warning at, calls since it]
        final long[] state = warned.computeIfAbsent(campaign, c -> new long[] {Long.MIN_VALUE, 0});
        state[1]++;
        final long at = record.receivedMs();
        if (state[0] == Long.MIN_VALUE || at - state[0] >= WARN_EVERY_MS) {
            LOG.warn("campaign {}: {} call(s) to canary number {} (the site's hard-coded number) since the last warning:"
                    + " the landing page's number swap failed for these visitors; check that callrouter.js loads",
                    campaign, state[1], dialed);
            state[0] = at;
            state[1] = 0;
        }
    }

    @Override
    public void onEnded(CallRecord record) {
        if (RoutingPlan.QUARANTINED_REASON.equals(record.reason()) && record.dialed() != null) {
            quarantined.computeIfAbsent(record.dialed(), n -> Counter.builder("quarantined.number.calls")
                    .description("Calls to a quarantined number (refused with number_policy.quarantine_status)")
                    .tag("number", n).register(registry)).increment();
        }
    }

    /** The canary numbers in force; each campaign that has one gets its counter at once (an alert reads it). */
    private Map<String, String> canaries() {
        final RouterConfig current = config.get();
        if (current != indexed) {
            canaries = current.canaryNumbers();
            canaries.values().forEach(this::canaryCounter);
            indexed = current;
        }
        return canaries;
    }

    private Counter canaryCounter(String campaign) {
        return canary.computeIfAbsent(campaign, c -> Counter.builder("dni.canary.calls")
                .description("Calls to a canary number (the site's hard-coded number: the number swap failed)")
                .tag("campaign", c).register(registry));
    }
}
