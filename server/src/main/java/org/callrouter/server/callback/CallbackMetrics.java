package org.callrouter.server.callback;

import java.util.Locale;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.callrouter.routing.callback.Callback;

/**
 * Callback metrics (server README, "Callbacks of lost calls"): {@code callbacks_scheduled_total},
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
    public void on(Event event, Callback callback) {
        final String name = switch (event) {
            case SCHEDULED -> "callbacks.scheduled";
            case ATTEMPT -> "callback.attempts";
            case CONNECTED -> "callbacks.connected";
            case GAVE_UP -> "callbacks.gave.up";
            case CANCELLED -> "callbacks.cancelled";
            case RETRY -> null;
        };
        if (name != null) {
            Counter.builder(name).description("Callbacks of lost calls: " + event.name().toLowerCase(Locale.ROOT))
                    .tag("campaign", callback.campaign()).register(registry).increment();
        }
    }
}
