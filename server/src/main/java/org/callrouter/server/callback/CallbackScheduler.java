package org.callrouter.server.callback;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.agrona.ErrorHandler;
import org.callrouter.routing.callback.Callback;
import org.callrouter.routing.callback.CallbackBook;
import org.callrouter.routing.callback.CallbackState;
import org.callrouter.routing.callback.FinishedCall;
import org.callrouter.routing.callback.TryResult;
import org.callrouter.routing.config.CallbackConfig;
import org.callrouter.routing.config.CampaignConfig;
import org.callrouter.routing.config.EnumLabels;
import org.callrouter.routing.config.RouterConfig;

/**
 * Runs the durable callback schedule on its own thread (never the SIP loop): takes lost and
 * answered calls from the record emitter, hands each due try to the {@link CallbackDialer},
 * and applies the outcomes the SIP loop reports, storing every change in the
 * {@link CallbackStore} before announcing it ({@link CallbackEvents}). Everything that changes
 * the {@link CallbackBook} arrives through one queue, so the book has one owner.
 */
public final class CallbackScheduler implements AutoCloseable {

    /** Tries handed to the dialer per step at most, so a backlog after a long stop trickles out. */
    static final int MAX_TRIES_PER_STEP = 64;
    private static final long IDLE_PARK_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long PRUNE_EVERY_MS = 3_600_000L;

    private final Supplier<RouterConfig> config;
    private final Clock wall;
    private final ErrorHandler errors;
    private final List<CallbackEvents> listeners;
    private final CallbackIds ids = new CallbackIds();
    private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    /** Set by {@link #load}; then owned by the scheduler's thread. */
    private CallbackBook book;
    private CallbackDialer dialer;
    private volatile CallbackStore store;
    private volatile Thread thread;
    private volatile boolean running = true;
    private volatile int live;
    private long nextPruneMs;

    /**
     * A scheduler that queues what it is told until {@link #start} gives it its store and dialer
     * (the record pipeline starts before the SIP router that owns the data directory and dials).
     */
    public CallbackScheduler(Supplier<RouterConfig> config, Clock wall, ErrorHandler errors,
                             List<CallbackEvents> listeners) {
        this.config = config;
        this.wall = wall;
        this.errors = errors;
        this.listeners = List.copyOf(listeners);
    }

    /** Loads the schedule from {@code store} and runs it on its own thread, placing tries through {@code dialer}. */
    public CallbackScheduler start(CallbackStore callbacks, CallbackDialer tries) {
        load(callbacks, tries);
        thread = new Thread(this::run, "callback-scheduler");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /**
     * Loads the live callbacks from {@code callbacks}; a callback left dialing by a process that
     * died counts its try as not reached. Tests call it and then {@link #step} with their own clock.
     */
    void load(CallbackStore callbacks, CallbackDialer tries) {
        this.dialer = tries;
        this.book = new CallbackBook(callbacks.all());
        this.store = callbacks;
        for (Callback changed : book.recoverInterrupted(this::settings, wall.millis())) {
            record(changed);
        }
        live = book.size();
    }

    /** A call ended (record emitter thread): it may be lost and need a callback. */
    public void onFinished(FinishedCall call) {
        submit(() -> {
            final CampaignConfig campaign = campaign(call.campaign());
            if (campaign == null || campaign.callback() == null) {
                return;
            }
            final boolean blocked = call.caller() != null && campaign.blockedCallers().contains(call.caller());
            final Callback scheduled = book.onFinished(call, campaign.callback(), blocked, ids.next());
            if (scheduled != null) {
                store.put(scheduled);
                tell(CallbackEvents.Event.SCHEDULED, scheduled);
            }
        });
    }

    /** A handler answered a call (record emitter thread): the caller's pending callback in the campaign is cancelled. */
    public void onAnswered(String campaign, String caller, String callId) {
        submit(() -> {
            final Callback cancelled = book.onAnswered(campaign, caller, callId, wall.millis());
            if (cancelled != null) {
                record(cancelled);
            }
        });
    }

    /**
     * A call of {@code caller} was marked spam (any thread): the caller's pending callbacks, in
     * any campaign, are cancelled with reason {@code spam}, stored and announced as any cancel.
     */
    public void onSpam(String caller) {
        submit(() -> {
            for (Callback cancelled : book.onSpam(caller, wall.millis())) {
                record(cancelled);
            }
        });
    }

    /**
     * An operator cancels callback {@code id} (any thread), if {@code unchanged} holds for it as
     * stored now: checked on the scheduler's thread, so nothing changes it between the check and
     * the cancel.
     *
     * @return completes with the cancelled callback, or exceptionally: {@link CallbackNotFoundException}
     *         when there is no such callback, {@link CallbackChangedException} when {@code unchanged}
     *         does not hold, {@link IllegalStateException} when it is finished or dialing
     */
    public CompletableFuture<Callback> cancel(String id, String why, Predicate<Callback> unchanged) {
        final CompletableFuture<Callback> answer = new CompletableFuture<>();
        submit(() -> {
            try {
                final Callback now = store.get(id);
                if (now != null && !unchanged.test(now)) {
                    answer.completeExceptionally(new CallbackChangedException(now));
                    return;
                }
                final Callback cancelled = book.cancel(id, why, wall.millis());
                if (cancelled != null) {
                    record(cancelled);
                    answer.complete(cancelled);
                    return;
                }
                final Callback stored = store.get(id);
                answer.completeExceptionally(stored == null ? new CallbackNotFoundException(id)
                        : new IllegalStateException("callback " + id + " is already " + stored.state().label()));
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        return answer;
    }

    /** Every callback stored (live and recently finished), the latest change first (any thread); empty before the start. */
    public List<Callback> list() {
        final CallbackStore callbacks = store;
        return callbacks == null ? List.of() : callbacks.all();
    }

    /** Callbacks pending or dialing now. */
    public int live() {
        return live;
    }

    /**
     * One pass: applies what arrived, hands the due tries to the dialer. The thread calls it;
     * tests call it with their own clock and no thread.
     */
    void step(long nowMs) {
        Runnable next;
        while ((next = inbox.poll()) != null) {
            try {
                next.run();
            } catch (RuntimeException e) {
                errors.onError(e);
            }
        }
        for (Callback taken : book.takeDue(nowMs, MAX_TRIES_PER_STEP, this::settings)) {
            record(taken);
            if (taken.state() == CallbackState.DIALING) {
                dial(taken);
            }
        }
        if (nowMs >= nextPruneMs) {
            nextPruneMs = nowMs + PRUNE_EVERY_MS;
            store.prune(nowMs);
        }
        live = book.size();
    }

    /** When the next try is due (scheduler thread, or tests between steps). */
    long nextDueMs() {
        return book.nextDueMs();
    }

    private void dial(Callback callback) {
        final CallbackConfig settings = settings(callback.campaign());
        final CallbackRequest request = new CallbackRequest(callback.id(), callback.lostCallId(), callback.tries(),
                callback.campaign(), callback.dialed(), callback.customer(), settings.trunk(), callback.tags());
        try {
            dialer.dial(request, outcome -> submit(() -> onOutcome(callback.id(), outcome)));
        } catch (RuntimeException e) {
            errors.onError(e);
            onOutcome(callback.id(), new CallbackOutcome(CallbackOutcome.Result.FAILED, null,
                    "the try could not be placed: " + e));
        }
    }

    private void onOutcome(String id, CallbackOutcome outcome) {
        final Callback current = book.get(id);
        final Callback changed = book.onTry(id, tryResult(outcome.result()), outcome.callId(),
                EnumLabels.label(outcome.result())
                        + (outcome.reason() == null ? "" : ": " + outcome.reason()),
                current == null ? null : settings(current.campaign()), wall.millis());
        if (changed != null) {
            record(changed);
        }
    }

    static TryResult tryResult(CallbackOutcome.Result result) {
        return switch (result) {
            case CONNECTED -> TryResult.CONNECTED;
            case TRUNK_BUSY -> TryResult.TRUNK_BUSY;
            case TRUNK_FAILED -> TryResult.TRUNK_FAILED;
            case NO_HANDLER, CUSTOMER_NO_ANSWER, CUSTOMER_BUSY, FAILED -> TryResult.NOT_REACHED;
        };
    }

    /** Stores a change of state, then tells the listeners. */
    private void record(Callback callback) {
        store.put(callback);
        tell(switch (callback.state()) {
            case PENDING -> CallbackEvents.Event.RETRY;
            case DIALING -> CallbackEvents.Event.ATTEMPT;
            case CONNECTED -> CallbackEvents.Event.CONNECTED;
            case GAVE_UP -> CallbackEvents.Event.GAVE_UP;
            case CANCELLED -> CallbackEvents.Event.CANCELLED;
        }, callback);
    }

    private void tell(CallbackEvents.Event event, Callback callback) {
        for (CallbackEvents listener : listeners) {
            try {
                listener.on(event, callback);
            } catch (RuntimeException e) {
                errors.onError(e);
            }
        }
    }

    private CampaignConfig campaign(String id) {
        return id == null ? null : config.get().campaign(id).orElse(null);
    }

    /** The campaign's callback settings in force; null when it no longer calls back. */
    private CallbackConfig settings(String campaign) {
        final CampaignConfig c = campaign(campaign);
        return c == null || c.callback() == null || !c.callback().enabled() ? null : c.callback();
    }

    private void submit(Runnable command) {
        inbox.add(command);
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    private void run() {
        while (running) {
            try {
                step(wall.millis());
            } catch (RuntimeException e) {
                errors.onError(e);
            }
            final long waitNs = Math.min(IDLE_PARK_NS,
                    TimeUnit.MILLISECONDS.toNanos(Math.max(0, Math.min(book.nextDueMs(), Long.MAX_VALUE / 2)
                            - wall.millis())));
            if (waitNs > 0 && inbox.isEmpty()) {
                LockSupport.parkNanos(this, waitNs);
            }
        }
    }

    /** Stops the thread; outcomes still to come are applied at the next start ({@link CallbackBook#recoverInterrupted}). */
    @Override
    public void close() {
        running = false;
        if (thread != null) {
            LockSupport.unpark(thread);
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** No callback with the id asked for. */
    public static final class CallbackNotFoundException extends RuntimeException {
        CallbackNotFoundException(String id) {
            super("no callback " + id);
        }
    }

    /** A cancel's precondition did not hold: the callback changed since the operator read it. */
    public static final class CallbackChangedException extends RuntimeException {
        private final transient Callback now;

        CallbackChangedException(Callback now) {
            super("callback " + now.id() + " changed since it was read (now " + now.state().label() + ", "
                    + now.tries() + " tries)");
            this.now = now;
        }

        /** The callback as it is now. */
        public Callback now() {
            return now;
        }
    }
}
