package org.callrouter.server.transaction;

import org.callrouter.server.timer.TimerService;
import org.callrouter.server.timer.TimerTarget;
import org.callrouter.server.transport.Destination;

/**
 * What client and server transactions share: their key in the {@link TransactionLayer}, the
 * peer, one retransmission timer and one lifetime timer, and termination.
 */
public abstract class Transaction implements TimerTarget {

    protected final TransactionLayer layer;
    /** Final but for a client transaction's fall back from TCP to UDP ({@link LargeRequests}). */
    protected Destination peer;
    final String key;

    /** Drives retransmissions (timers A, E, G). */
    protected long retransmitTimer = TimerService.NO_TIMER;
    protected long retransmitIntervalMs;
    /** Ends a state (timers B, D, F, H, I, J, K, L, M). */
    protected long lifetimeTimer = TimerService.NO_TIMER;

    private Object attachment;
    private boolean terminated;

    Transaction(TransactionLayer layer, String key, Destination peer) {
        this.layer = layer;
        this.key = key;
        this.peer = peer;
    }

    /** The remote end of this transaction. */
    public Destination peer() {
        return peer;
    }

    /** Whatever the transaction user attached (its call, say). */
    @SuppressWarnings("unchecked")
    public <T> T attachment() {
        return (T) attachment;
    }

    /** Attaches transaction-user state, returned by {@link #attachment()}. */
    public void attach(Object value) {
        this.attachment = value;
    }

    /** True once the transaction has left the layer. */
    public boolean terminated() {
        return terminated;
    }

    @Override
    public final void onTimer(long timerId, long nowMs) {
        if (timerId == retransmitTimer) {
            retransmitTimer = TimerService.NO_TIMER;
            onRetransmitTimer(nowMs);
        } else if (timerId == lifetimeTimer) {
            lifetimeTimer = TimerService.NO_TIMER;
            onLifetimeTimer(nowMs);
        }
    }

    protected abstract void onRetransmitTimer(long nowMs);

    protected abstract void onLifetimeTimer(long nowMs);

    protected final void startRetransmitTimer(long intervalMs) {
        layer.timers().cancel(retransmitTimer);
        retransmitIntervalMs = intervalMs;
        retransmitTimer = layer.timers().schedule(this, layer.nowMs() + intervalMs);
    }

    protected final void stopRetransmitTimer() {
        retransmitTimer = layer.timers().cancel(retransmitTimer);
    }

    /** (Re)starts the lifetime timer; a zero delay terminates at once (reliable transports). */
    protected final void startLifetimeTimer(long delayMs) {
        layer.timers().cancel(lifetimeTimer);
        lifetimeTimer = TimerService.NO_TIMER;
        if (delayMs <= 0) {
            onLifetimeTimer(layer.nowMs());
        } else {
            lifetimeTimer = layer.timers().schedule(this, layer.nowMs() + delayMs);
        }
    }

    /** Leaves the layer: cancels both timers and forgets the key. Idempotent. */
    protected final void terminate() {
        if (!terminated) {
            terminated = true;
            stopRetransmitTimer();
            lifetimeTimer = layer.timers().cancel(lifetimeTimer);
            layer.remove(this);
        }
    }

    protected final void send(byte[] message) {
        layer.sender().send(peer, message, null);
    }
}
