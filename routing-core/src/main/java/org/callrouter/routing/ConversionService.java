package org.callrouter.routing;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.callrouter.routing.ConversionOutcome.Side;
import org.callrouter.routing.ConversionOutcome.Status;
import org.callrouter.routing.caps.CapCounters;
import org.callrouter.routing.config.CapTrigger;
import org.callrouter.routing.config.ConversionRule;
import org.callrouter.routing.config.ConversionType;
import org.callrouter.routing.store.CallerIndex;
import org.callrouter.routing.store.SharedCallers;
import org.callrouter.routing.store.StoreFullException;

/**
 * Conversion decisions with dedupe, and postback conversions.
 *
 * <p>Dedupe: a caller converts at most once per campaign and side within the side's
 * {@code dedupe} window (checked and recorded in one atomic step in the caller index, which
 * survives restarts). A caller without a number cannot be deduplicated and always converts.
 *
 * <p>Postback: the handler's system reports a conversion for a call (the server checks the
 * call's key first). Each side whose rule is {@code postback} converts, subject to dedupe;
 * a handler whose cap trigger is {@code converted} counts it in the windows current now.
 * The same call posted again gets the same answer (remembered per call id in memory and,
 * across restarts, by the call's hash in the caller index) and is never counted twice.
 */
public final class ConversionService {

    private static final int REMEMBERED_POSTBACKS = 65_536;
    /** Suffix of the reason when the same call converted before (a repeated postback). */
    private static final String REPEATED = " (repeated)";

    private final Router router;
    private final Map<String, ConversionOutcome> recent = new LinkedHashMap<>(1024, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ConversionOutcome> eldest) {
            return size() > REMEMBERED_POSTBACKS;
        }
    };

    ConversionService(Router router) {
        this.router = router;
    }

    /**
     * A postback conversion for a call.
     *
     * @param callId       the call's id (as given to {@link CallContext.Builder#callId})
     * @param campaignId   the call's campaign
     * @param handlerId    the handler that took the call
     * @param callerNumber the caller as received ({@code null} when anonymous)
     * @param nowMs        when the postback arrived
     * @return per side: converted, deduplicated, or not a postback side
     * @throws IllegalArgumentException for an unknown campaign, or a handler not in the campaign
     */
    public ConversionOutcome postback(String callId, String campaignId, String handlerId, String callerNumber, long nowMs) {
        Snapshot snapshot = router.snapshot();
        CampaignRoute campaign = snapshot.campaign(campaignId);
        if (campaign == null) {
            throw new IllegalArgumentException("unknown campaign \"" + campaignId + "\"");
        }
        LinkRoute link = null;
        for (LinkRoute candidate : campaign.links) {
            if (candidate.handler.id.equals(handlerId)) {
                link = candidate;
            }
        }
        if (link == null) {
            throw new IllegalArgumentException("handler \"" + handlerId + "\" is not in campaign \"" + campaignId + "\"");
        }
        String key = campaignId + '\n' + callId;
        synchronized (recent) {
            ConversionOutcome earlier = recent.get(key);
            if (earlier != null) {
                return earlier;
            }
        }
        router.checkWritable();
        long caller = snapshot.phones.parse(callerNumber);
        long callHash = RoutingPlan.hash(callId);
        Side source = postbackSide(CallerIndex.Side.SOURCE, campaign.sourceRule, caller, campaign, callHash, nowMs);
        Side handler = postbackSide(CallerIndex.Side.HANDLER, link.handlerRule, caller, campaign, callHash, nowMs);
        HandlerRoute h = link.handler;
        if (handler.converted() && !handler.reason().endsWith(REPEATED) && h.caps.trigger() == CapTrigger.CONVERTED
                && CapCounters.windowed(h.caps)) {
            router.countNow(h, nowMs);
        }
        ConversionOutcome outcome = new ConversionOutcome(source, handler);
        synchronized (recent) {
            recent.put(key, outcome);
        }
        return outcome;
    }

    /**
     * The conversion of an answered call whose router died before the call ended (recovered
     * as {@code interrupted} after a restart), decided per side as the call's end would have,
     * with the talk time that is known:
     * <ul>
     *   <li>{@code attempt}: decided when the handler was selected; decided again now, which the
     *       caller index answers the same way for the same call (its conversion is recorded per
     *       call under dedupe, and without dedupe an attempt always converts);</li>
     *   <li>{@code timer}: converts only if the known talk time reached the rule's seconds
     *       (subject to dedupe); a converted handler side of a {@code converted}-trigger
     *       handler counts in the cap windows current at the answer (the hold taken at
     *       selection died with the process);</li>
     *   <li>{@code postback}: pending, as for any ended call: a postback may still come.</li>
     * </ul>
     * A campaign or handler no longer configured converts nothing ({@code no-rule}).
     *
     * @param answeredMs when the handler answered (for the cap windows)
     * @param talkMs     the talk time known: from the answer to the last evidence of life
     * @param nowMs      the time the conversion is decided at
     */
    public ConversionOutcome interrupted(String callId, String campaignId, String handlerId, String callerNumber,
                                         long answeredMs, long talkMs, long nowMs) {
        Snapshot snapshot = router.snapshot();
        CampaignRoute campaign = campaignId == null ? null : snapshot.campaign(campaignId);
        LinkRoute link = null;
        if (campaign != null) {
            for (LinkRoute candidate : campaign.links) {
                if (candidate.handler.id.equals(handlerId)) {
                    link = candidate;
                }
            }
        }
        if (link == null) {
            Side gone = new Side(Status.NO_RULE, BigDecimal.ZERO, "campaign or handler no longer configured");
            return new ConversionOutcome(gone, gone);
        }
        router.checkWritable();
        long caller = snapshot.phones.parse(callerNumber);
        long callHash = RoutingPlan.hash(callId);
        Side source = interruptedSide(CallerIndex.Side.SOURCE, campaign.sourceRule, caller, campaign, callHash,
                talkMs, nowMs);
        Side handler = interruptedSide(CallerIndex.Side.HANDLER, link.handlerRule, caller, campaign, callHash,
                talkMs, nowMs);
        HandlerRoute h = link.handler;
        if (handler.converted() && link.handlerRule.type() == ConversionType.TIMER
                && h.caps.trigger() == CapTrigger.CONVERTED && CapCounters.windowed(h.caps)) {
            router.countNow(h, answeredMs);
        }
        return new ConversionOutcome(source, handler);
    }

    private Side interruptedSide(CallerIndex.Side side, ConversionRule rule, long caller, CampaignRoute campaign,
                                 long callHash, long talkMs, long nowMs) {
        if (rule == null) {
            return new Side(Status.NO_RULE, BigDecimal.ZERO,
                    "no " + (side == CallerIndex.Side.SOURCE ? "source" : "handler") + " conversion rule");
        }
        return switch (rule.type()) {
            case ATTEMPT -> {
                Side decided = decideNow(side, rule, caller, campaign, callHash, nowMs, "attempt");
                // The same call's own conversion, recorded at selection: not a repeat of anything.
                yield decided.reason().endsWith(REPEATED)
                        ? new Side(decided.status(), decided.amount(), "attempt") : decided;
            }
            case TIMER -> {
                long talkSeconds = talkMs / 1000;
                String known = "timer " + talkSeconds + "s (known before the interruption) ";
                yield talkMs < rule.seconds() * 1000L
                        ? new Side(Status.NOT_CONVERTED, BigDecimal.ZERO, known + "< " + rule.seconds() + "s")
                        : decideNow(side, rule, caller, campaign, callHash, nowMs, known + ">= " + rule.seconds() + "s");
            }
            case POSTBACK -> new Side(Status.PENDING, BigDecimal.ZERO, "awaiting postback");
        };
    }

    private Side postbackSide(CallerIndex.Side side, ConversionRule rule, long caller, CampaignRoute campaign,
                              long callHash, long nowMs) {
        String name = side == CallerIndex.Side.SOURCE ? "source" : "handler";
        if (rule == null) {
            return new Side(Status.NO_RULE, BigDecimal.ZERO, "no " + name + " conversion rule");
        }
        if (rule.type() != ConversionType.POSTBACK) {
            return new Side(Status.NO_RULE, BigDecimal.ZERO, name + " conversion is " + rule.describe() + ", not postback");
        }
        return decideNow(side, rule, caller, campaign, callHash, nowMs, "postback");
    }

    /**
     * {@link #decide} for the callers that answer at once (a postback, on the records thread; a
     * recovered call, at start): in the cluster's caller index when the router shares it, waiting
     * at most the store's timeout (never on the SIP loop).
     */
    private Side decideNow(CallerIndex.Side side, ConversionRule rule, long caller, CampaignRoute campaign,
                           long callHash, long nowMs, String how) {
        return router.sharedCallers() == null ? decide(side, rule, caller, campaign, callHash, nowMs, how)
                : decideShared(side, rule, caller, campaign, callHash, nowMs, how).toCompletableFuture().join();
    }

    /**
     * Converts a side unless dedupe says the caller already converted; {@code how} becomes
     * the reason ({@code attempt}, {@code timer 95s >= 90s}, {@code postback}). A new caller
     * that the full caller index cannot take converts without dedupe, saying so in the reason.
     */
    Side decide(CallerIndex.Side side, ConversionRule rule, long caller, CampaignRoute campaign, long callHash,
                long nowMs, String how) {
        if (!recorded(rule, caller)) {
            return unrecorded(rule, caller, how);
        }
        long[] earlier = new long[1];
        CallerIndex.Conversion result;
        try {
            result = router.callers().convert(caller, campaign.code, side, callHash, nowMs, windowMs(rule), earlier);
        } catch (StoreFullException e) {
            // As for an anonymous caller: the conversion stands, unchecked, rather than fail the call it ends.
            router.callersFull(e);
            return new Side(Status.CONVERTED, rule.amount(), how + " (caller index full: no dedupe)");
        }
        return side(result, earlier[0], rule, nowMs, how);
    }

    /**
     * {@link #decide} in the cluster's caller index, without waiting on it. When the shared index
     * fails or times out the side is decided in this node's index (counted in {@link
     * Router#sharedDedupeFallbacks()}), whatever the campaign's {@code on_shared_state_error}: the
     * call already happened, and a conversion must not be lost; it may then be deduplicated
     * against this node's own memory only.
     */
    CompletionStage<Side> decideShared(CallerIndex.Side side, ConversionRule rule, long caller, CampaignRoute campaign,
                                       long callHash, long nowMs, String how) {
        SharedCallers shared = router.sharedCallers();
        if (shared == null || !recorded(rule, caller)) {
            return CompletableFuture.completedFuture(decide(side, rule, caller, campaign, callHash, nowMs, how));
        }
        return shared.convert(campaign.id, caller, side, callHash, nowMs, windowMs(rule), campaign.retentionMs())
                .handle((converted, error) -> {
                    if (error != null) {
                        router.sharedDedupeFallbacks.increment();
                        return decide(side, rule, caller, campaign, callHash, nowMs, how);
                    }
                    return side(converted.result(), converted.earlierMs(), rule, nowMs, how);
                });
    }

    private static long windowMs(ConversionRule rule) {
        return rule.dedupe() == null ? 0 : rule.dedupe().millis();
    }

    /** Whether the side's conversion is checked and recorded in the caller index. */
    private static boolean recorded(ConversionRule rule, long caller) {
        return caller >= 0 && (windowMs(rule) > 0 || rule.type() == ConversionType.POSTBACK);
    }

    private static Side unrecorded(ConversionRule rule, long caller, String how) {
        return new Side(Status.CONVERTED, rule.amount(), caller >= 0 || windowMs(rule) == 0 ? how
                : how + " (anonymous caller: no dedupe)");
    }

    private static Side side(CallerIndex.Conversion result, long earlierMs, ConversionRule rule, long nowMs, String how) {
        return switch (result) {
            case CONVERTED -> new Side(Status.CONVERTED, rule.amount(), how);
            case SAME_CALL -> new Side(Status.CONVERTED, rule.amount(), how + REPEATED);
            case DEDUPED -> new Side(Status.NOT_CONVERTED, BigDecimal.ZERO, "dedupe: caller converted "
                    + age(nowMs - earlierMs) + " ago (window " + rule.dedupe() + ")");
        };
    }

    /** {@code 2d 3h}, {@code 5h 10m}, {@code 42s}. */
    static String age(long millis) {
        long seconds = Math.max(0, millis / 1000);
        long days = seconds / 86_400;
        long hours = seconds % 86_400 / 3600;
        long minutes = seconds % 3600 / 60;
        if (days > 0) {
            return days + "d" + (hours > 0 ? " " + hours + "h" : "");
        }
        if (hours > 0) {
            return hours + "h" + (minutes > 0 ? " " + minutes + "m" : "");
        }
        return minutes > 0 ? minutes + "m" : seconds % 60 + "s";
    }
}
