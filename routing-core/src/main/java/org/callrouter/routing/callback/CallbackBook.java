package org.callrouter.routing.callback;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

import org.callrouter.routing.config.CallbackConfig;
import org.callrouter.routing.config.CallbackTrigger;

/**
 * The live callbacks (pending or dialing) and every rule that changes them, without I/O: the
 * caller persists and announces each callback a method returns. One live callback per
 * campaign and caller; tries due in time order. Not thread-safe: one thread (the callback
 * scheduler) owns it.
 */
public final class CallbackBook {

    /** The longest wait before a try the trunk was too busy for (its first interval when shorter). */
    static final long TRUNK_BUSY_RETRY_MS = 30_000;
    /** The reason of a callback cancelled because its caller was marked spam. */
    public static final String SPAM_REASON = "spam";

    private final Map<String, Callback> byId = new HashMap<>();
    private final Map<String, String> idByKey = new HashMap<>();
    private final TreeSet<Callback> due = new TreeSet<>(
            Comparator.comparingLong(Callback::nextTryMs).thenComparing(Callback::id));

    /** The live callbacks a store held. */
    public CallbackBook(Collection<Callback> live) {
        for (Callback callback : live) {
            if (!callback.state().terminal()) {
                put(callback);
            }
        }
    }

    /** The live callbacks, due first. */
    public List<Callback> live() {
        return new ArrayList<>(due);
    }

    public Callback get(String id) {
        return byId.get(id);
    }

    public int size() {
        return byId.size();
    }

    /** When the next try is due (epoch ms); {@link Long#MAX_VALUE} when none is. */
    public long nextDueMs() {
        for (Callback callback : due) {
            if (callback.state() == CallbackState.PENDING) {
                return callback.nextTryMs();
            }
        }
        return Long.MAX_VALUE;
    }

    /**
     * A call ended: the callback it needs, pending at its first try, or null when it is not
     * lost or its caller already has a live callback in the campaign.
     *
     * @param blocked whether the campaign's caller rules refuse the caller now
     */
    public Callback onFinished(FinishedCall call, CallbackConfig config, boolean blocked, String newId) {
        final CallbackTrigger trigger = LostCalls.lost(call, config, blocked);
        if (trigger == null || idByKey.containsKey(Callback.key(call.campaign(), call.caller()))) {
            return null;
        }
        final long first = new CallbackSchedule(config).tryAtMs(1, call.endedMs());
        final Callback callback = new Callback(newId, call.campaign(), call.caller(), call.dialed(), call.callId(),
                trigger, call.tags(), CallbackState.PENDING, 0, first, call.endedMs(), call.endedMs(),
                trigger.label(), null);
        put(callback);
        return callback;
    }

    /**
     * The caller called the campaign again and was answered: its pending callback there is
     * cancelled (one being dialed goes on). Null when there is none.
     */
    public Callback onAnswered(String campaign, String caller, String callId, long nowMs) {
        if (campaign == null || caller == null) {
            return null;
        }
        final String id = idByKey.get(Callback.key(campaign, caller));
        final Callback callback = id == null ? null : byId.get(id);
        if (callback == null || callback.state() != CallbackState.PENDING) {
            return null;
        }
        return change(callback.state(CallbackState.CANCELLED, callback.tries(), callback.nextTryMs(),
                "the caller called again and was answered (call " + callId + ")", callback.lastCallId(), nowMs));
    }

    /**
     * A call of {@code caller} was marked spam: the caller's pending callbacks in every campaign
     * are cancelled with reason {@code spam} (a try being placed goes on, as for an operator's
     * cancel). Empty when there are none.
     */
    public List<Callback> onSpam(String caller, long nowMs) {
        final List<Callback> cancelled = new ArrayList<>();
        if (caller == null) {
            return cancelled;
        }
        for (Callback callback : new ArrayList<>(due)) {
            if (callback.state() == CallbackState.PENDING && caller.equals(callback.customer())) {
                cancelled.add(change(callback.state(CallbackState.CANCELLED, callback.tries(), callback.nextTryMs(),
                        SPAM_REASON, callback.lastCallId(), nowMs)));
            }
        }
        return cancelled;
    }

    /**
     * An operator cancels callback {@code id}.
     *
     * @return the cancelled callback; null when no live callback has this id
     * @throws IllegalStateException when a try is being placed (it cannot be taken back)
     */
    public Callback cancel(String id, String why, long nowMs) {
        final Callback callback = byId.get(id);
        if (callback == null) {
            return null;
        }
        if (callback.state() == CallbackState.DIALING) {
            throw new IllegalStateException("callback " + id + " is placing try " + callback.tries()
                    + "; cancel it once the try is over");
        }
        return change(callback.state(CallbackState.CANCELLED, callback.tries(), callback.nextTryMs(), why,
                callback.lastCallId(), nowMs));
    }

    /**
     * The callbacks whose try is due at {@code nowMs}, at most {@code max}: each now
     * {@code DIALING} with its try counted, or {@code CANCELLED} when its campaign no longer
     * calls back ({@code configs} gives a campaign's callback settings in force, null if none).
     */
    public List<Callback> takeDue(long nowMs, int max, Function<String, CallbackConfig> configs) {
        final List<Callback> taken = new ArrayList<>();
        while (taken.size() < max) {
            Callback next = null;
            for (Callback candidate : due) {
                if (candidate.state() == CallbackState.PENDING) {
                    next = candidate;
                    break;
                }
            }
            if (next == null || next.nextTryMs() > nowMs) {
                break;
            }
            final CallbackConfig config = configs.apply(next.campaign());
            if (config == null || !config.enabled()) {
                taken.add(change(next.state(CallbackState.CANCELLED, next.tries(), next.nextTryMs(),
                        "callbacks are turned off for campaign " + next.campaign(), next.lastCallId(), nowMs)));
            } else {
                taken.add(change(next.state(CallbackState.DIALING, next.tries() + 1, next.nextTryMs(),
                        "placing try " + (next.tries() + 1), next.lastCallId(), nowMs)));
            }
        }
        return taken;
    }

    /**
     * A try's outcome: connected; retried at the next interval while tries are left, else given
     * up; a busy trunk retried soon without spending the try; a failed trunk given up.
     *
     * @param config the campaign's callback settings in force (null: callbacks turned off, it gives up)
     * @return the changed callback; null when {@code id} is not being dialed
     */
    public Callback onTry(String id, TryResult result, String callId, String reason, CallbackConfig config,
                          long nowMs) {
        final Callback callback = byId.get(id);
        if (callback == null || callback.state() != CallbackState.DIALING) {
            return null;
        }
        final String why = reason == null ? result.name().toLowerCase(Locale.ROOT) : reason;
        if (config == null && result != TryResult.CONNECTED) {
            return change(callback.state(CallbackState.GAVE_UP, callback.tries(), callback.nextTryMs(),
                    "callbacks were turned off for campaign " + callback.campaign() + "; last: " + why, callId, nowMs));
        }
        return change(switch (result) {
            case CONNECTED -> callback.state(CallbackState.CONNECTED, callback.tries(), callback.nextTryMs(), why,
                    callId, nowMs);
            case TRUNK_FAILED -> callback.state(CallbackState.GAVE_UP, callback.tries(), callback.nextTryMs(),
                    "trunk failed: " + why, callId, nowMs);
            case TRUNK_BUSY -> callback.state(CallbackState.PENDING, callback.tries() - 1,
                    new CallbackSchedule(config).opening(nowMs + Math.min(TRUNK_BUSY_RETRY_MS,
                            config.intervalBeforeMs(1))), why, callId, nowMs);
            case NOT_REACHED -> callback.tries() >= config.attempts()
                    ? callback.state(CallbackState.GAVE_UP, callback.tries(), callback.nextTryMs(),
                    "gave up after " + callback.tries() + " tries; last: " + why, callId, nowMs)
                    : callback.state(CallbackState.PENDING, callback.tries(), new CallbackSchedule(config)
                    .tryAtMs(callback.tries() + 1, nowMs), why, callId, nowMs);
        });
    }

    /**
     * After a restart: a callback left {@code DIALING} belonged to a process that died during
     * the try; the try counts as made and not reached.
     */
    public List<Callback> recoverInterrupted(Function<String, CallbackConfig> configs, long nowMs) {
        final List<Callback> changed = new ArrayList<>();
        for (Callback callback : new ArrayList<>(due)) {
            if (callback.state() == CallbackState.DIALING) {
                changed.add(onTry(callback.id(), TryResult.NOT_REACHED, callback.lastCallId(),
                        "the router stopped during try " + callback.tries(), configs.apply(callback.campaign()), nowMs));
            }
        }
        return changed;
    }

    private Callback change(Callback next) {
        final Callback previous = byId.remove(next.id());
        if (previous != null) {
            due.remove(previous);
            idByKey.remove(previous.key());
        }
        if (!next.state().terminal()) {
            put(next);
        }
        return next;
    }

    private void put(Callback callback) {
        byId.put(callback.id(), callback);
        idByKey.put(callback.key(), callback.id());
        due.add(callback);
    }
}
