package org.callrouter.routing;

import java.math.BigDecimal;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;

import org.callrouter.routing.ConversionOutcome.Side;
import org.callrouter.routing.ConversionOutcome.Status;
import org.callrouter.routing.caps.CapCounters;
import org.callrouter.routing.config.CapTrigger;
import org.callrouter.routing.config.ConversionRule;
import org.callrouter.routing.phone.PhoneNumbers;
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
        REJECTED
    }

    private final Router router;
    private final Outcome outcome;
    private final String reason;
    private final CallContext call;
    private final long nowMs;
    private final long dialed;
    private final long caller;
    private final CampaignRoute campaign;
    private final String sourceId;
    private final CallTags tags;
    /** Identifies the call in the caller index: the call id's hash, or random (drawn when first needed). */
    private long callHash;
    private final LinkRoute[] links;
    private final Skip[] skips;
    private final List<Candidate> candidates;
    /** Skips found by {@link #reserve} (caps that ran out since the plan was made). */
    private List<Skip> lateSkips;
    private boolean sourceConverted;
    private boolean handlerConverted;
    private HandlerReservation firstAttempt;
    private List<HandlerReservation> laterAttempts;

    private RoutingPlan(Router router, Outcome outcome, String reason, CallContext call, long nowMs, long dialed,
                        long caller, CampaignRoute campaign, String sourceId, CallTags tags, LinkRoute[] links,
                        Skip[] skips) {
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
        this.links = links;
        this.skips = skips;
        this.candidates = new CandidateList(links);
        this.callHash = call.callId() != null ? hash(call.callId()) : 0;
    }

    private static final LinkRoute[] NO_LINKS = new LinkRoute[0];
    private static final Skip[] NO_SKIPS = new Skip[0];

    static RoutingPlan unknown(Router router, CallContext call, long nowMs, long dialed, long caller, String reason) {
        return new RoutingPlan(router, Outcome.UNKNOWN_NUMBER, reason, call, nowMs, dialed, caller, null, null, null,
                NO_LINKS, NO_SKIPS);
    }

    static RoutingPlan rejected(Router router, CallContext call, long nowMs, CampaignRoute campaign, String sourceId,
                                CallTags tags, String reason) {
        return new RoutingPlan(router, Outcome.REJECTED, reason, call, nowMs, tags.dialed(), tags.caller(), campaign,
                sourceId, tags, NO_LINKS, NO_SKIPS);
    }

    /** A routed plan; {@code links} and {@code skips} become the plan's own (not copied). */
    static RoutingPlan routed(Router router, CallContext call, long nowMs, CampaignRoute campaign, String sourceId,
                              CallTags tags, LinkRoute[] links, Skip[] skips) {
        return new RoutingPlan(router, Outcome.ROUTED, null, call, nowMs, tags.dialed(), tags.caller(), campaign,
                sourceId, tags, links, skips);
    }

    /** The candidates of the links, as a read-only list over the plan's array. */
    private static final class CandidateList extends AbstractList<Candidate> implements RandomAccess {
        private final LinkRoute[] links;

        CandidateList(LinkRoute[] links) {
            this.links = links;
        }

        @Override
        public Candidate get(int index) {
            return links[index].candidate;
        }

        @Override
        public int size() {
            return links.length;
        }
    }

    public Outcome outcome() {
        return outcome;
    }

    /** Why the call was not routed: for REJECTED (e.g. {@code blocked caller}) and UNKNOWN_NUMBER; else null. */
    public String rejectionReason() {
        return reason;
    }

    /** The campaign id; null for UNKNOWN_NUMBER. */
    public String campaignId() {
        return campaign == null ? null : campaign.id;
    }

    /** The source id; null for UNKNOWN_NUMBER. */
    public String sourceId() {
        return sourceId;
    }

    /** The dialed number in E.164, or as received when it is not a phone number. */
    public String dialedNumber() {
        return dialed >= 0 ? PhoneNumbers.format(dialed) : call.dialedNumber();
    }

    /** The caller in E.164, as received when it is not a phone number, or null when anonymous. */
    public String callerNumber() {
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
        return call;
    }

    /** The handlers to try, in order. */
    public List<Candidate> candidates() {
        return candidates;
    }

    /** Handlers not tried and why, including caps that ran out in {@link #reserve}. */
    public synchronized List<Skip> skipped() {
        if (lateSkips == null) {
            return List.of(skips);
        }
        List<Skip> all = new ArrayList<>(skips.length + lateSkips.size());
        all.addAll(Arrays.asList(skips));
        all.addAll(lateSkips);
        return Collections.unmodifiableList(all);
    }

    /** Every tag of the call: the built-ins that have a value, then the call's own. */
    public Map<String, String> tags() {
        return tags == null ? call.tags() : Collections.unmodifiableMap(tags.all());
    }

    /**
     * Takes the candidate's slot: checks every cap and counts the call in one atomic step.
     *
     * @return the reservation, or {@code null} when a cap ran out since the plan was made
     *         (a skip with that cap is then added to {@link #skipped()})
     * @throws IllegalArgumentException when the candidate is not one of this plan's
     * @throws IllegalStateException    on a router opened only to inspect
     */
    public Reservation reserve(Candidate candidate, long nowMs) {
        LinkRoute link = null;
        for (LinkRoute candidateLink : links) {
            if (candidateLink.candidate == candidate || candidateLink.candidate.equals(candidate)) {
                link = candidateLink;
                break;
            }
        }
        if (link == null) {
            throw new IllegalArgumentException("handler " + candidate.handlerId() + " is not a candidate of this plan");
        }
        router.checkWritable();
        HandlerRoute handler = link.handler;
        long[] windows = new long[4];
        handler.windows.windowIds(nowMs, windows);
        boolean windowed = CapCounters.windowed(handler.caps);
        boolean commitNow = handler.caps.trigger() == CapTrigger.ROUTED;
        int full = handler.counters.tryAcquire(windows, handler.caps, commitNow);
        if (full != CapCounters.GRANTED) {
            synchronized (this) {
                if (lateSkips == null) {
                    lateSkips = new ArrayList<>(2);
                }
                lateSkips.add(handler.capSkip(full));
            }
            return null;
        }
        HandlerReservation reservation = new HandlerReservation(this, link, windows, windowed && !commitNow);
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
        reservation.start(nowMs);
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
        boolean source = side == CallerIndex.Side.SOURCE;
        if (source ? sourceConverted : handlerConverted) {
            return new Side(Status.NOT_CONVERTED, BigDecimal.ZERO, "converted by an earlier attempt of this call");
        }
        if (callHash == 0) {
            callHash = router.randomCallHash();
        }
        Side result = router.conversions().decide(side, rule, caller, campaign.code, callHash, nowMs, how);
        if (source) {
            sourceConverted = result.converted();
        } else {
            handlerConverted = result.converted();
        }
        return result;
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
