package org.callrouter.server.b2bua;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.callrouter.routing.HandlerHealth;
import org.callrouter.sip.codec.SipRequestBuilder;
import org.callrouter.sip.message.HeaderName;
import org.callrouter.sip.message.SipMethod;
import org.callrouter.sip.message.SipResponse;
import org.callrouter.server.timer.TimerService;
import org.callrouter.server.timer.TimerTarget;
import org.callrouter.server.transaction.BranchIds;
import org.callrouter.server.transaction.ClientTransaction;
import org.callrouter.server.transaction.ClientTransactionListener;
import org.callrouter.server.transaction.TransactionLayer;
import org.callrouter.server.transport.Destination;

/**
 * Probes every handler with OPTIONS each interval (Kamailio dispatcher style) and reports the
 * outcome to routing-core's {@link HandlerHealth}, which applies the failure and recovery
 * thresholds. A probe still unanswered when the next one is due counts as a failure; any final
 * response but 408 and 5xx proves the handler alive.
 */
public final class HandlerProber implements TimerTarget {

    /** A handler to probe; its destination is looked up in {@link SipTargets} at each probe. */
    public record Target(String handlerId, String uri) {
    }

    private final TransactionLayer layer;
    private final TimerService timers;
    private final java.util.function.LongSupplier monoMs;
    private final java.time.Clock wall;
    private final HandlerHealth health;
    private final LocalContact local;
    private final SipTargets destinations;
    private final long intervalMs;
    private volatile List<Target> targets;
    private Probe[] outstanding = new Probe[0];
    private long timer = TimerService.NO_TIMER;
    private boolean stopped;

    public HandlerProber(TransactionLayer layer, TimerService timers, java.util.function.LongSupplier monoMs,
                         java.time.Clock wall, HandlerHealth health, LocalContact local, SipTargets destinations,
                         long intervalMs, List<Target> targets) {
        this.layer = layer;
        this.timers = timers;
        this.monoMs = monoMs;
        this.wall = wall;
        this.health = health;
        this.local = local;
        this.destinations = destinations;
        this.intervalMs = intervalMs;
        this.targets = List.copyOf(targets);
    }

    /** Starts probing now and every interval; call on the SIP loop. */
    public void start() {
        onTimer(timer, monoMs.getAsLong());
    }

    /** Stops probing; call on the SIP loop. */
    public void stop() {
        stopped = true;
        timer = timers.cancel(timer);
    }

    /** Replaces the handlers to probe (after a reload); takes effect at the next round. */
    public void targets(List<Target> next) {
        this.targets = List.copyOf(next);
    }

    @Override
    public void onTimer(long timerId, long nowMs) {
        if (stopped) {
            return;
        }
        final long now = wall.millis();
        for (Probe probe : outstanding) {
            if (probe != null && !probe.done) {
                probe.done = true;
                health.probeResult(probe.target.handlerId(), false, now);
            }
        }
        final List<Target> round = targets;
        outstanding = new Probe[round.size()];
        for (int i = 0; i < round.size(); i++) {
            outstanding[i] = send(round.get(i));
        }
        timer = timers.schedule(this, nowMs + intervalMs);
    }

    private Probe send(Target target) {
        final Probe probe = new Probe(target);
        // The first destination RFC 3263 gives (the one calls try first); a name that does not
        // resolve fails the probe when the next round comes.
        final Destination destination = destinations.cached(target.uri());
        if (destination == null || !local.supports(destination.transport())) {
            return probe;
        }
        final byte[] encoded = SipRequestBuilder.request(SipMethod.OPTIONS, target.uri())
                .header(HeaderName.VIA, local.newVia(destination.transport()))
                .header(HeaderName.MAX_FORWARDS, "70")
                .header(HeaderName.FROM, "<sip:router@" + local.host() + ">;tag=" + BranchIds.tag())
                .header(HeaderName.TO, "<" + target.uri() + ">")
                .header(HeaderName.CALL_ID, "p" + BranchIds.hex(ThreadLocalRandom.current().nextLong()) + "@" + local.host())
                .header(HeaderName.CSEQ, "1 OPTIONS")
                .toBytes();
        layer.sendNonInvite(Dialog.parseOwn(encoded), encoded, destination, probe);
        return probe;
    }

    private final class Probe implements ClientTransactionListener {
        final Target target;
        boolean done;

        Probe(Target target) {
            this.target = target;
        }

        @Override
        public void onResponse(ClientTransaction transaction, SipResponse response) {
            final int status = response.statusCode();
            if (status >= 200 && !done) {
                done = true;
                health.probeResult(target.handlerId(), status != 408 && status < 500, wall.millis());
            }
        }

        @Override
        public void onTimeout(ClientTransaction transaction, boolean transportError) {
            if (!done) {
                done = true;
                health.probeResult(target.handlerId(), false, wall.millis());
            }
        }
    }
}
