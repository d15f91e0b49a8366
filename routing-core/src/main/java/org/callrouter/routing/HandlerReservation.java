package org.callrouter.routing;

import java.math.BigDecimal;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.callrouter.routing.ConversionOutcome.Side;
import org.callrouter.routing.ConversionOutcome.Status;
import org.callrouter.routing.caps.SharedCaps;
import org.callrouter.routing.config.CapTrigger;
import org.callrouter.routing.config.ConversionRule;
import org.callrouter.routing.config.ConversionType;
import org.callrouter.routing.store.CallerIndex;

/**
 * One handler attempt's slot and conversion state. Its state changes under its own
 * monitor, so the server may call it from any thread, and every method is idempotent.
 */
final class HandlerReservation implements Reservation {

    private static final Side IN_PROGRESS = new Side(Status.PENDING, BigDecimal.ZERO, "call in progress");
    private static final Side NOT_ANSWERED = new Side(Status.NOT_CONVERTED, BigDecimal.ZERO, "not answered");
    private static final Side AWAITING_POSTBACK = new Side(Status.PENDING, BigDecimal.ZERO, "awaiting postback");
    private static final Side NO_SOURCE_RULE = new Side(Status.NO_RULE, BigDecimal.ZERO, "no source conversion rule");
    private static final Side NO_HANDLER_RULE = new Side(Status.NO_RULE, BigDecimal.ZERO, "no handler conversion rule");

    private final RoutingPlan plan;
    private final LinkRoute link;
    private final long[] windows;
    private final boolean holding;
    /** The slot in the cluster's shared store; null when the slot is in this node's counters. */
    private final SharedCaps.Slot shared;
    private boolean answered;
    private boolean done;
    /** Whether the hold was committed or released (so neither happens twice). */
    private boolean holdSettled;
    private Side source;
    private Side handler;

    /**
     * @param windows the cap windows current when the slot was taken (holds belong to them)
     * @param holding whether the slot holds pending counts (trigger connected or converted)
     * @param shared  the slot in the cluster's shared store, or null for this node's counters
     */
    HandlerReservation(RoutingPlan plan, LinkRoute link, long[] windows, boolean holding, SharedCaps.Slot shared) {
        this.plan = plan;
        this.link = link;
        this.windows = windows;
        this.holding = holding;
        this.shared = shared;
    }

    /**
     * Decides the sides that convert on selection ({@code attempt}). Called once, before the
     * reservation is handed to anyone, so it needs no lock.
     */
    void start(long nowMs) {
        source = startSide(CallerIndex.Side.SOURCE, plan.campaign().sourceRule, nowMs);
        handler = startSide(CallerIndex.Side.HANDLER, link.handlerRule, nowMs);
        settleConvertedHold();
    }

    /**
     * {@link #start} with the dedupe in the cluster's caller index: the stage completes when
     * both sides are decided (the sides are independent, so both steps go at once).
     */
    CompletionStage<Void> startShared(long nowMs) {
        ConversionRule sourceRule = plan.campaign().sourceRule;
        return startSideShared(CallerIndex.Side.SOURCE, sourceRule, nowMs)
                .thenCombine(startSideShared(CallerIndex.Side.HANDLER, link.handlerRule, nowMs), (s, h) -> {
                    synchronized (this) {
                        source = s;
                        handler = h;
                        settleConvertedHold();
                    }
                    return null;
                });
    }

    private CompletionStage<Side> startSideShared(CallerIndex.Side side, ConversionRule rule, long nowMs) {
        return rule != null && rule.type() == ConversionType.ATTEMPT
                ? plan.convertShared(side, rule, nowMs, "attempt")
                : CompletableFuture.completedFuture(startSide(side, rule, nowMs));
    }

    /** A {@code converted}-trigger handler whose side converted at selection counts it now. */
    private void settleConvertedHold() {
        if (holding && !holdSettled && link.handler.caps.trigger() == CapTrigger.CONVERTED && handler.converted()) {
            commitHold();
            holdSettled = true;
        }
    }

    private Side startSide(CallerIndex.Side side, ConversionRule rule, long nowMs) {
        if (rule == null) {
            return noRule(side);
        }
        if (rule.type() == ConversionType.ATTEMPT) {
            return plan.convert(side, rule, nowMs, "attempt");
        }
        return IN_PROGRESS;
    }

    private static Side noRule(CallerIndex.Side side) {
        return side == CallerIndex.Side.SOURCE ? NO_SOURCE_RULE : NO_HANDLER_RULE;
    }

    @Override
    public String handlerId() {
        return link.handler.id;
    }

    @Override
    public synchronized void answered(long nowMs) {
        if (answered || done) {
            return;
        }
        answered = true;
        HandlerRoute h = link.handler;
        if (holding && h.caps.trigger() == CapTrigger.CONNECTED) {
            commitHold();
            holdSettled = true;
        }
        CampaignRoute campaign = plan.campaign();
        if (campaign.repeat != null && plan.caller() >= 0) {
            plan.router().recordAnswered(plan.caller(), campaign, h, nowMs);
        }
    }

    @Override
    public synchronized void failed(long nowMs) {
        if (done) {
            return;
        }
        done = true;
        source = unanswered(source);
        handler = unanswered(handler);
        release();
    }

    @Override
    public synchronized void ended(long nowMs, long talkMillis) {
        if (done) {
            return;
        }
        if (!answered) {
            failed(nowMs);
            return;
        }
        done = true;
        try {
            source = endSide(CallerIndex.Side.SOURCE, plan.campaign().sourceRule, source, nowMs, talkMillis);
            handler = endSide(CallerIndex.Side.HANDLER, link.handlerRule, handler, nowMs, talkMillis);
            settleConvertedHold();
        } finally {
            // A conversion that could not be recorded (a full caller index) must not keep the
            // handler's slot: this reservation is done and will not be asked again.
            release();
        }
    }

    @Override
    public CompletionStage<Void> endedShared(long nowMs, long talkMillis) {
        Side currentSource;
        Side currentHandler;
        synchronized (this) {
            if (done || !answered) {
                ended(nowMs, talkMillis);
                return CompletableFuture.completedFuture(null);
            }
            done = true;
            currentSource = source;
            currentHandler = handler;
        }
        CompletionStage<Side> s = endSideShared(CallerIndex.Side.SOURCE, plan.campaign().sourceRule, currentSource,
                nowMs, talkMillis);
        CompletionStage<Side> h = endSideShared(CallerIndex.Side.HANDLER, link.handlerRule, currentHandler, nowMs,
                talkMillis);
        return s.thenCombine(h, (decidedSource, decidedHandler) -> {
            synchronized (this) {
                source = decidedSource;
                handler = decidedHandler;
                settleConvertedHold();
            }
            return (Void) null;
        }).whenComplete((v, error) -> {
            synchronized (this) {
                release(); // as in ended(): also when a side could not be recorded
            }
        });
    }

    private CompletionStage<Side> endSideShared(CallerIndex.Side side, ConversionRule rule, Side current, long nowMs,
                                                long talkMillis) {
        return timerConverts(rule, current, talkMillis)
                ? plan.convertShared(side, rule, nowMs, timerReason(talkMillis, ">=", rule))
                : CompletableFuture.completedFuture(endSide(side, rule, current, nowMs, talkMillis));
    }

    private Side endSide(CallerIndex.Side side, ConversionRule rule, Side current, long nowMs, long talkMillis) {
        if (current.status() != Status.PENDING) {
            return current;
        }
        if (rule.type() == ConversionType.TIMER) {
            if (!timerConverts(rule, current, talkMillis)) {
                return new Side(Status.NOT_CONVERTED, BigDecimal.ZERO, timerReason(talkMillis, "<", rule));
            }
            return plan.convert(side, rule, nowMs, timerReason(talkMillis, ">=", rule));
        }
        return AWAITING_POSTBACK;
    }

    /** Whether a pending timer side reached its seconds (it then converts, subject to dedupe). */
    private static boolean timerConverts(ConversionRule rule, Side current, long talkMillis) {
        return current.status() == Status.PENDING && rule.type() == ConversionType.TIMER
                && talkMillis >= rule.seconds() * 1000L;
    }

    private static String timerReason(long talkMillis, String comparison, ConversionRule rule) {
        return "timer " + talkMillis / 1000 + "s " + comparison + " " + rule.seconds() + "s";
    }

    private static Side unanswered(Side current) {
        // null: start() threw before deciding the side (the reservation is being given back).
        return current == null || current.status() == Status.PENDING ? NOT_ANSWERED : current;
    }

    private void commitHold() {
        if (shared == null) {
            link.handler.counters.commitHold(windows);
        } else {
            shared.commitHold();
        }
    }

    /** Gives back concurrency and any hold still pending. */
    private void release() {
        boolean hold = holding && !holdSettled;
        holdSettled = true;
        if (shared == null) {
            link.handler.counters.release(windows, hold);
        } else {
            shared.release(hold);
        }
    }

    @Override
    public synchronized ConversionOutcome conversion() {
        return new ConversionOutcome(source, handler);
    }
}
