package org.callrouter.server.callback;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.callrouter.routing.callback.Callback;

/**
 * Callback metrics (server README, "Callbacks"): {@code callbacks_scheduled_total},
 * {@code callback_attempts_total}, {@code callbacks_connected_total},
 * {@code callbacks_gave_up_total}, {@code callbacks_cancelled_total}, each by {@code campaign},
 * and the gauge {@code callbacks_live} (pending or dialing now).
 */
public final class CallbackMetrics implements CallbackEvents {

    private final MeterRegistry registry;

    public CallbackMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Registers the gauge of the scheduler's live callbacks. */
    public static void bind(MeterRegistry registry, CallbackScheduler scheduler) {
        Gauge.builder("callbacks.live", scheduler, CallbackScheduler::live)
                .description("Callbacks pending or being dialed").register(registry);
    }

    @Override
    public void onScheduled(Callback callback) {
        count("callbacks.scheduled", "Lost calls scheduled for a callback", callback);
    }

    @Override
    public void onAttempt(Callback callback) {
        count("callback.attempts", "Callback tries placed", callback);
    }

    @Override
    public void onConnected(Callback callback) {
        count("callbacks.connected", "Callbacks that joined a handler and the customer", callback);
    }

    @Override
    public void onGaveUp(Callback callback) {
        count("callbacks.gave.up", "Callbacks given up after their last try or a failed trunk", callback);
    }

    @Override
    public void onCancelled(Callback callback) {
        count("callbacks.cancelled", "Callbacks cancelled (caller answered again, an operator, turned off)", callback);
    }

    private void count(String name, String description, Callback callback) {
        Counter.builder(name).description(description).tag("campaign", callback.campaign()).register(registry)
                .increment();
    }
}
