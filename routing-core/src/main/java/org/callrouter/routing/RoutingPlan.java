package org.callrouter.routing;

import java.math.BigDecimal;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import org.callrouter.routing.ConversionOutcome.Side;
import org.callrouter.routing.ConversionOutcome.Status;
import org.callrouter.routing.caps.CapCounters;
import org.callrouter.routing.caps.SharedCaps;
import org.callrouter.routing.config.CapTrigger;
import org.callrouter.routing.config.Caps;
import org.callrouter.routing.config.SharedStatePolicy;
import org.callrouter.routing.config.ConversionRule;
import org.callrouter.routing.phone.PhoneNumbers;
import org.callrouter.routing.pool.Attribution;
import org.callrouter.routing.store.CallerIndex;

/**
 * The routing decision for one call: the handlers to try in order, every handler that was
 * skipped and why, and the call's tags. {@link #reserve} takes a candidate's slot when
 * the server is about to send it the call; the plan remembers the call's attempts so that
 * a side converts at most once per call.
 */
public final class RoutingPlan {

    /** What the router decided about the call as a whole. */
    public enum Outcome {
        /** The number is tracked and the campaign accepts the call: try {@link #candidates()} (maybe none). */
        ROUTED,
        /** The dialed number is not a tracked number (or its campaign is gone). */
        UNKNOWN_NUMBER,
        /** The campaign's caller rules refuse the call ({@link #rejectionReason()} says which). */
        REJECTED,
        /**
         * The dialed number was removed from its campaign and is quarantined; answered with the
         * number policy's {@code quarantine_status}, reason {@link #QUARANTINED_REASON}.
         */
        QUARANTINED,
        /**
         * The cluster's shared caller index failed while the repeat caller was looked up and the
         * campaign's {@code on_shared_state_error} is {@code reject}: answered {@code 503} with
         * {@link #rejectionReason()} ({@link Router#routeShared} only).
         */
        UNAVAILABLE
    }

    private final Router router;
    private final Outcome outcome;
    private final String reason;
    /** The call as the server described it; null once (and only once) {@link #settle settled}. */
    private CallContext call;
    private final long nowMs;
    private final long dialed;
    private final long caller;
    private final CampaignRoute campaign;
    private final String sourceId;
    /** The call's tags; null for UNKNOWN_NUMBER and QUARANTINED, and once {@link #settle settled}. */
    private CallTags tags;
    private final Attribution attribution;
    /** Identifies the call in the caller index: the call id's hash, or random (drawn when first needed). */
    private long callHash;
    /** The campaign's handlers; {@link #order} indexes them. */
    private final LinkRoute[] links;
    /** The eligible handlers in priority order; positions before {@link #ordered} are final. */
    private int[] order;
    /** How many leading positions of {@link #order} are final (a priority group is shuffled when first reached). */
    private int ordered;
    /** Per campaign link, why it was skipped ({@link HandlerRoute#check} codes; 0 = eligible). */
    private byte[] reasons;
    /** A view over {@link #order}, made when first asked for (a refused call never needs one); null once settled. */
    private List<Candidate> candidates;
    /** Skips found by {@link #reserve} (caps that ran out since the plan was made). */
    private List<Skip> lateSkips;
    private boolean sourceConverted;
    private boolean handlerConverted;
    private HandlerReservation firstAttempt;
    private List<HandlerReservation> laterAttempts;

    private RoutingPlan(Router router, Outcome outcome, String reason, CallContext call, long nowMs, long dialed,
                        long caller, CampaignRoute campaign, String sourceId, CallTags tags, LinkRoute[] links,
                        int[] order, int ordered, byte[] reasons) {
        this.router = router;
        this.outcome = outcome;
        this.reason = reason;
        this.call = call;
        this.nowMs = nowMs;
        this.dialed = dialed;
        this.caller = caller;
        this.campaign = campaign;
        this.sourceId = sourceId;
        this.tags = tags;
        this.attribution = tags == null ? null : tags.attribution();
        this.links = links;
        this.order = order;
        this.ordered = ordered;
        this.reasons = reasons;
        this.callHash = call.callId() != null ? hash(call.callId()) : 0;
    }

    private static final LinkRoute[] NO_LINKS = new LinkRoute[0];
    private static final int[] NO_ORDER = new int[0];
    private static final byte[] NO_REASONS = new byte[0];

    static RoutingPlan unknown(Router router, CallContext call, long nowMs, long dialed, long caller, String reason) {
        return new RoutingPlan(router, Outcome.UNKNOWN_NUMBER, reason, call, nowMs, dialed, caller, null, null, null,
                NO_LINKS, NO_ORDER, 0, NO_REASONS);
    }

    /** {@link #rejectionReason()} of a {@link Outcome#QUARANTINED} plan, as records carry it. */
    public static final String QUARANTINED_REASON = "quarantined";

    static RoutingPlan quarantined(Router router, CallContext call, long nowMs, long dialed, long caller) {
        return new RoutingPlan(router, Outcome.QUARANTINED, QUARANTINED_REASON, call, nowMs, dialed, caller, null, null,
                null, NO_LINKS, NO_ORDER, 0, NO_REASONS);
    }

    static RoutingPlan rejected(Router router, CallContext call, long nowMs, CampaignRoute campaign, String sourceId,
                                CallTags tags, String reason) {
        return new RoutingPlan(router, Outcome.REJECTED, reason, call, nowMs, tags.dialed(), tags.caller(), campaign,
                sourceId, tags, NO_LINKS, NO_ORDER, 0, NO_REASONS);
    }

    static RoutingPlan unavailable(Router router, CallContext call, long nowMs, CampaignRoute campaign,
                                   String sourceId, CallTags tags, String reason) {
        return new RoutingPlan(router, Outcome.UNAVAILABLE, reason, call, nowMs, tags.dialed(), tags.caller(), campaign,
                sourceId, tags, NO_LINKS, NO_ORDER, 0, NO_REASONS);
    }

    /**
     * A routed plan. {@code order} (indexes into the campaign's links, by priority) and
     * {@code reasons} (a skip code per link) become the plan's own; the first {@code ordered}
     * positions are final and the first priority group after them is ordered now, the others
     * when first reached.
     */
    static RoutingPlan routed(Router router, CallContext call, long nowMs, CampaignRoute campaign, String sourceId,
                              CallTags tags, int[] order, int ordered, byte[] reasons) {
        RoutingPlan plan = new RoutingPlan(router, Outcome.ROUTED, null, call, nowMs, tags.dialed(), tags.caller(),
                campaign, sourceId, tags, campaign.links, order, ordered, reasons);
        if (ordered == 0) {
            plan.orderUpTo(1);
        }
        return plan;
    }

    /**
     * Makes the first {@code positions} positions final, shuffling each priority group by
     * weight when it is first reached. Deferring later groups keeps a decision's cost to the
     * first group when, as usual, the first handler answers; the order drawn is the same
     * weighted order either way.
     */
    private synchronized void orderUpTo(int positions) {
        while (ordered < positions && ordered < order.length) {
            int priority = links[order[ordered]].priority;
            int end = ordered + 1;
            while (end < order.length && links[order[end]].priority == priority) {
                end++;
            }
            router.shuffle(order, ordered, end, links);
            ordered = end;
        }
    }

    /** The candidates in order, as a read-only list over the plan's arrays. */
    private final class CandidateList extends AbstractList<Candidate> implements RandomAccess {
        @Override
        public Candidate get(int index) {
            if (index >= ordered) {
                orderUpTo(index + 1);
            }
            return links[order[index]].candidate;
        }

        @Override
        public int size() {
            return order.length;
        }
    }

    public Outcome outcome() {
        return outcome;
    }

    /**
     * The call is answered: no other handler will be tried. The plan lets go of what only the
     * choice needed (the call's context and tags with their strings, the order and the skip
     * codes) and keeps what the end of the call needs (campaign, caller, attempts and their
     * conversions, attribution): a few hundred bytes less per live call, times 100,000. After
     * this, {@link #call()}, {@link #tags()}, the numbers, {@link #candidates()}, {@link
     * #skipped()} and the reservations throw {@link IllegalStateException}.
     */
    public synchronized void settle() {
        call = null;
        tags = null;
        order = NO_ORDER;
        reasons = NO_REASONS;
        candidates = null;
    }

    private void requireUnsettled() {
        if (call == null) {
            throw new IllegalStateException("the plan of an answered call keeps no routing context");
        }
    }

    /** Why the call was not routed: for REJECTED (e.g. {@code blocked caller}) and UNKNOWN_NUMBER; else null. */
    public String rejectionReason() {
        return reason;
    }

    /** The campaign id; null for UNKNOWN_NUMBER. */
    public String campaignId() {
        return campaign == null ? null : campaign.id;
    }

    /**
     * Whether the campaign lets its handlers see how the call was diverted ({@code pass_diversion});
     * false for UNKNOWN_NUMBER.
     */
    public boolean passDiversion() {
        return campaign != null && campaign.config.passDiversion();
    }

    /** The source id; null for UNKNOWN_NUMBER. */
    public String sourceId() {
        return sourceId;
    }

    /** The dialed number in E.164, or as received when it is not a phone number. */
    public String dialedNumber() {
        requireUnsettled();
        return dialed >= 0 ? PhoneNumbers.format(dialed) : call.dialedNumber();
    }

    /** The caller in E.164, as received when it is not a phone number, or null when anonymous. */
    public String callerNumber() {
        requireUnsettled();
        if (tags != null) {
            return tags.callerNumber();
        }
        return caller >= 0 ? PhoneNumbers.format(caller) : caller == PhoneNumbers.INVALID ? call.callerNumber() : null;
    }

    /** When the decision was made, epoch ms. */
    public long nowMs() {
        return nowMs;
    }

    /** The call as the server described it. */
    public CallContext call() {
        requireUnsettled();
        return call;
    }

    /** The handlers to try, in order. */
    public List<Candidate> candidates() {
        requireUnsettled();
        if (candidates == null) {
            candidates = new CandidateList(); // stateless over the plan: a racing second one is harmless
        }
        return candidates;
    }

    /** Handlers not tried and why, including caps that ran out in {@link #reserve}. */
    public synchronized List<Skip> skipped() {
        requireUnsettled();
        List<Skip> all = new ArrayList<>();
        for (int i = 0; i < reasons.length; i++) {
            if (reasons[i] != HandlerRoute.ELIGIBLE) {
                all.add(links[i].skip(reasons[i] & 0xFF));
            }
        }
        if (lateSkips != null) {
            all.addAll(lateSkips);
        }
        return Collections.unmodifiableList(all);
    }

    /**
     * What the number's pool knew about the caller: the visitor session holding the dialed
     * number (its {@link Attribution#sessionId()} and {@link Attribution#pagePath()} go into
     * the call record), or only the pool; null when the number is in no pool.
     */
    public Attribution attribution() {
        return attribution;
    }

    /** Every tag of the call: the built-ins that have a value, then the call's own, then a pool visitor's. */
    public Map<String, String> tags() {
        requireUnsettled();
        return tags == null ? call.tags() : Collections.unmodifiableMap(tags.all());
    }

    /**
     * Takes the candidate's slot: checks every cap and counts the call in one atomic step.
     * With a cluster ({@link #sharesCaps()}) a capped handler's slot is in the shared store:
     * take it with {@link #reserveShared} instead.
     *
     * @return the reservation, or {@code null} when a cap ran out since the plan was made
     *         (a skip with that cap is then added to {@link #skipped()})
     * @throws IllegalArgumentException when the candidate is not one of this plan's
     * @throws IllegalStateException    on a router opened only to inspect
     */
    public Reservation reserve(Candidate candidate, long nowMs) {
        LinkRoute link = link(candidate);
        router.checkWritable();
        return started(takeLocal(link, link.handler.caps, nowMs), nowMs);
    }

    /**
     * Whether handler slots are taken in the cluster's shared store (the server then reserves
     * with {@link #reserveShared}, which waits on the network); false without {@code cluster:}.
     */
    public boolean sharesCaps() {
        return router.sharedCaps() != null;
    }

    /**
     * {@link #reserve} through the cluster's shared store, without waiting on it: the stage
     * completes, on the store client's thread, with the reservation or {@code null} as
     * {@link #reserve} returns them. A handler without caps is reserved locally at once. When
     * the store fails or times out, the campaign's {@code on_shared_state_error} decides: {@code
     * local} takes the slot from this node's counters with each cap divided by the node count;
     * {@code reject} completes the stage with a {@link SharedStateException}. With the cluster's
     * caller index ({@link Router#sharesCallers()}) an {@code attempt} conversion's dedupe is
     * decided there before the stage completes.
     *
     * @throws IllegalArgumentException when the candidate is not one of this plan's
     * @throws IllegalStateException    on a router opened only to inspect
     */
    public CompletionStage<Reservation> reserveShared(Candidate candidate, long nowMs) {
        LinkRoute link = link(candidate);
        router.checkWritable();
        HandlerRoute handler = link.handler;
        SharedCaps shared = router.sharedCaps();
        if (shared == null || !handler.caps.any()) {
            return startedShared(takeLocal(link, handler.caps, nowMs), nowMs);
        }
        long[] windows = new long[4];
        handler.windows.windowIds(nowMs, windows);
        long[] ends = new long[4];
        handler.windows.windowEnds(nowMs, ends);
        boolean commitNow = handler.caps.trigger() == CapTrigger.ROUTED;
        boolean holding = CapCounters.windowed(handler.caps) && !commitNow;
        return shared.acquire(handler.id, windows, ends, handler.caps, commitNow, holding).handle((acquired, error) -> {
            if (error != null) {
                return sharedStateFailed(link, nowMs, error);
            }
            if (acquired.result() != CapCounters.GRANTED) {
                lateSkip(handler, acquired.result());
                return null;
            }
            return new HandlerReservation(this, link, windows, holding, acquired.slot());
        }).thenCompose(reservation -> startedShared(reservation, nowMs));
    }

    private HandlerReservation sharedStateFailed(LinkRoute link, long nowMs, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (campaign.config.onSharedStateError() == SharedStatePolicy.LOCAL) {
            router.sharedStateFallbacks.increment();
            return takeLocal(link, link.handler.fallbackCaps, nowMs);
        }
        router.sharedStateRejections.increment();
        throw new SharedStateException("shared state unavailable: " + cause.getClass().getSimpleName(), cause);
    }

    private LinkRoute link(Candidate candidate) {
        requireUnsettled();
        for (int index : order) {
            if (links[index].candidate == candidate || links[index].candidate.equals(candidate)) {
                return links[index];
            }
        }
        throw new IllegalArgumentException("handler " + candidate.handlerId() + " is not a candidate of this plan");
    }

    /** Checks {@code caps} in this node's counters and takes the slot (not started yet); null when a cap is full. */
    private HandlerReservation takeLocal(LinkRoute link, Caps caps, long nowMs) {
        HandlerRoute handler = link.handler;
        long[] windows = new long[4];
        handler.windows.windowIds(nowMs, windows);
        boolean windowed = CapCounters.windowed(caps);
        boolean commitNow = caps.trigger() == CapTrigger.ROUTED;
        int full = handler.counters.tryAcquire(windows, caps, commitNow);
        if (full != CapCounters.GRANTED) {
            lateSkip(handler, full);
            return null;
        }
        return new HandlerReservation(this, link, windows, windowed && !commitNow, null);
    }

    private synchronized void lateSkip(HandlerRoute handler, int full) {
        if (lateSkips == null) {
            lateSkips = new ArrayList<>(2);
        }
        lateSkips.add(handler.skip(HandlerRoute.CAP + full));
    }

    /** Decides the attempt's conversions and remembers it among the call's attempts; null stays null. */
    private Reservation started(HandlerReservation reservation, long nowMs) {
        if (reservation == null) {
            return null;
        }
        try {
            reservation.start(nowMs);
        } catch (RuntimeException | Error e) {
            // An attempt conversion could not be recorded (a full caller index): nobody gets
            // this reservation, so its slot goes back now or never, and the call's conversion
            // view never sees it.
            reservation.failed(nowMs);
            throw e;
        }
        return remember(reservation);
    }

    /**
     * {@link #started} with the attempt's dedupe decided in the cluster's caller index when the
     * router shares it, without waiting on it.
     */
    private CompletionStage<Reservation> startedShared(HandlerReservation reservation, long nowMs) {
        if (reservation == null || router.sharedCallers() == null) {
            return CompletableFuture.completedFuture(started(reservation, nowMs));
        }
        return reservation.startShared(nowMs).handle((started, error) -> {
            if (error != null) {
                reservation.failed(nowMs); // as in started(): nobody gets it
                throw error instanceof CompletionException ce ? ce : new CompletionException(error);
            }
            return remember(reservation);
        });
    }

    private Reservation remember(HandlerReservation reservation) {
        synchronized (this) {
            if (firstAttempt == null) {
                firstAttempt = reservation;
            } else {
                if (laterAttempts == null) {
                    laterAttempts = new ArrayList<>(2);
                }
                laterAttempts.add(reservation);
            }
        }
        return reservation;
    }

    /**
     * The call's conversion: per side, converted when any attempt converted it, else the
     * latest attempt's state; without attempts, not converted.
     */
    public synchronized ConversionOutcome conversion() {
        if (firstAttempt == null) {
            Side none = new Side(outcome == Outcome.ROUTED ? Status.NOT_CONVERTED : Status.NO_RULE, BigDecimal.ZERO,
                    "no handler was tried");
            return new ConversionOutcome(none, none);
        }
        List<HandlerReservation> attempts = new ArrayList<>();
        attempts.add(firstAttempt);
        if (laterAttempts != null) {
            attempts.addAll(laterAttempts);
        }
        Side source = null;
        Side handler = null;
        for (HandlerReservation attempt : attempts) {
            ConversionOutcome outcome = attempt.conversion();
            if (source == null || !source.converted()) {
                source = outcome.source();
            }
            if (handler == null || !handler.converted()) {
                handler = outcome.handler();
            }
        }
        return new ConversionOutcome(source, handler);
    }

    /**
     * Converts one side for an attempt unless another attempt of this call already did;
     * dedupe is checked in the caller index.
     */
    synchronized Side convert(CallerIndex.Side side, ConversionRule rule, long nowMs, String how) {
        Side earlier = convertedEarlier(side);
        return earlier != null ? earlier
                : settled(side, router.conversions().decide(side, rule, caller, campaign, callHash, nowMs, how));
    }

    /**
     * {@link #convert} with the dedupe decided in the cluster's caller index, without waiting on
     * it (the attempts of one call are sequential, so the flags cannot race).
     */
    CompletionStage<Side> convertShared(CallerIndex.Side side, ConversionRule rule, long nowMs, String how) {
        long hash;
        synchronized (this) {
            Side earlier = convertedEarlier(side);
            if (earlier != null) {
                return CompletableFuture.completedFuture(earlier);
            }
            hash = callHash;
        }
        return router.conversions().decideShared(side, rule, caller, campaign, hash, nowMs, how)
                .thenApply(result -> settled(side, result));
    }

    /** The answer when an earlier attempt of this call converted the side, else null (and the call's hash drawn). */
    private Side convertedEarlier(CallerIndex.Side side) {
        if (side == CallerIndex.Side.SOURCE ? sourceConverted : handlerConverted) {
            return new Side(Status.NOT_CONVERTED, BigDecimal.ZERO, "converted by an earlier attempt of this call");
        }
        if (callHash == 0) {
            callHash = router.randomCallHash();
        }
        return null;
    }

    private synchronized Side settled(CallerIndex.Side side, Side result) {
        if (side == CallerIndex.Side.SOURCE) {
            sourceConverted = result.converted();
        } else {
            handlerConverted = result.converted();
        }
        return result;
    }

    /** Whether conversions are deduplicated in the cluster's caller index (the server ends attempts with {@link Reservation#endedShared}). */
    public boolean sharesCallers() {
        return router.sharesCallers();
    }

    Router router() {
        return router;
    }

    CampaignRoute campaign() {
        return campaign;
    }

    long caller() {
        return caller;
    }

    /** FNV-1a, 64 bits: a call id's identity in the caller index. */
    static long hash(String id) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < id.length(); i++) {
            h ^= id.charAt(i);
            h *= 0x100000001b3L;
        }
        return h == 0 ? 1 : h;
    }
}
