package org.callrouter.server.workers;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.netty.channel.EventLoop;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import org.agrona.ErrorHandler;
import org.callrouter.server.LoopLag;
import org.callrouter.server.b2bua.B2bua;
import org.callrouter.server.timer.TimerService;
import org.callrouter.server.transaction.InboundDispatcher;
import org.callrouter.server.transaction.TransactionLayer;

/**
 * One SIP worker: an event loop and everything of the calls it owns, its transaction layer,
 * timer wheel and B2BUA. Nothing of it is touched from another thread except through its loop
 * (and the counters, read by metrics), so a call's state machine needs no lock.
 */
public final class SipWorker {

    private final int id;
    private final EventLoop loop;
    private final TimerService timers;
    private final TransactionLayer layer;
    private final B2bua b2bua;
    private final InboundDispatcher inbound;
    private final ErrorHandler errors;
    private final LongSupplier clockMs;
    private final long tickMs;
    private final LoopLag lag;
    private ScheduledFuture<?> tick;

    /**
     * A worker whose timers run once {@link #start} is called.
     *
     * @param id      the worker's index, the one {@code WorkerKey} gives its messages.
     * @param clockMs the monotonic clock the wheel runs on.
     */
    public SipWorker(int id, EventLoop loop, TimerService timers, TransactionLayer layer, B2bua b2bua,
                     ErrorHandler errors, LongSupplier clockMs, long tickMs) {
        this.id = id;
        this.loop = loop;
        this.timers = timers;
        this.layer = layer;
        this.b2bua = b2bua;
        this.inbound = new InboundDispatcher(layer, errors);
        this.errors = errors;
        this.clockMs = clockMs;
        this.tickMs = tickMs;
        this.lag = new LoopLag(id == 0 ? "SIP loop" : "SIP worker " + id, tickMs);
    }

    /** Starts polling the timer wheel on the worker's loop every {@code tickMs} (once it is wired). */
    public void start() {
        tick = loop.scheduleAtFixedRate(this::onTick, tickMs, tickMs, TimeUnit.MILLISECONDS);
    }

    private void onTick() {
        lag.onTick(System.nanoTime());
        try {
            timers.poll(clockMs.getAsLong());
        } catch (RuntimeException | Error e) {
            errors.onError(e);
        }
    }

    /** How late this worker's loop runs (its worst lag per 10 s). */
    public LoopLag loopLag() {
        return lag;
    }

    public int id() {
        return id;
    }

    public EventLoop loop() {
        return loop;
    }

    public TimerService timers() {
        return timers;
    }

    public TransactionLayer transactions() {
        return layer;
    }

    public B2bua b2bua() {
        return b2bua;
    }

    /** Where the messages this worker owns are handed (on its loop). */
    public InboundDispatcher inbound() {
        return inbound;
    }

    /**
     * At shutdown: refuses new calls, ends every live call with {@code reason} (BYE or 503 on
     * both sides) and stops the timers, on the worker's loop. Completes once the messages that
     * sent have been handed on: after the loop iteration, when a {@link LoopSender} hands its
     * batch to the transport's loop.
     */
    public Future<Void> stop(String reason) {
        final Promise<Void> stopped = loop.newPromise();
        try {
            loop.execute(() -> {
                try {
                    b2bua.drain();
                    b2bua.terminateAll(reason);
                    if (tick != null) {
                        tick.cancel(false);
                    }
                } catch (RuntimeException | Error e) {
                    errors.onError(e);
                }
                ((SingleThreadEventLoop) loop).executeAfterEventLoopIteration(() -> stopped.trySuccess(null));
            });
        } catch (RejectedExecutionException e) {
            stopped.tryFailure(e);
        }
        return stopped;
    }
}
