package org.callrouter.loadtest;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.callrouter.loadtest.carrier.CarrierSettings;
import org.callrouter.loadtest.handler.HandlerBehaviour;
import org.callrouter.loadtest.time.SipTimers;

/**
 * Everything one run does, validated together.
 *
 * @param scenario    the preset it started from, or null
 * @param carrier     the carrier side, or null when only handlers run
 * @param handlerHost the address the handlers listen on
 * @param handlers    one per handler port; empty when only the carrier runs
 * @param timers      the SIP timers both sides use
 * @param seed        seeds every random choice (handler actions, planned cancels)
 * @param drainNs     once the carrier stops offering, how long calls under way may take to end
 *                    before they count as unfinished
 * @param runNs       how long a handler-only run lasts; 0 until interrupted
 * @param preferEpoll use native epoll when available
 * @param progress    draw the progress line every second (on a terminal only: {@link
 *                    org.callrouter.term.ProgressLine#terminal()})
 */
public record RunSettings(String scenario, CarrierSettings carrier, InetAddress handlerHost,
                          List<HandlerBehaviour> handlers, SipTimers timers, long seed, long drainNs, long runNs,
                          boolean preferEpoll, boolean progress) {

    /** Checks that the parts fit together. */
    public RunSettings {
        handlers = List.copyOf(handlers);
        if (carrier == null && handlers.isEmpty()) {
            throw new IllegalArgumentException("nothing to run: no carrier side and no handler port");
        }
        Set<Integer> ports = new HashSet<>();
        for (HandlerBehaviour h : handlers) {
            if (!ports.add(h.port())) {
                throw new IllegalArgumentException("handler port " + h.port() + " is given twice");
            }
        }
        if (drainNs < 0) {
            throw new IllegalArgumentException("drain must not be negative");
        }
        if (runNs < 0) {
            throw new IllegalArgumentException("duration must not be negative");
        }
    }

    /** Which sides run: {@code both}, {@code carrier-only} or {@code handler-only}. */
    public String mode() {
        if (carrier == null) {
            return "handler-only";
        }
        return handlers.isEmpty() ? "carrier-only" : "both";
    }
}
