package org.callrouter.routing;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

import org.callrouter.routing.ConversionOutcome.Side;
import org.callrouter.routing.ConversionOutcome.Status;
import org.callrouter.routing.caps.CapCounters;
import org.callrouter.routing.config.CapTrigger;
import org.callrouter.routing.config.ConversionRule;
import org.callrouter.routing.config.ConversionType;
import org.callrouter.routing.store.CallerIndex;
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
        Side source = postbackSide(CallerIndex.Side.SOURCE, campaign.sourceRule, caller, campaign.code, callHash, nowMs);
        Side handler = postbackSide(CallerIndex.Side.HANDLER, link.handlerRule, caller, campaign.code, callHash, nowMs);
        HandlerRoute h = link.handler;
        if (handler.converted() && !handler.reason().endsWith(REPEATED) && h.caps.trigger() == CapTrigger.CONVERTED
                && CapCounters.windowed(h.caps)) {
            long[] windows = new long[4];
            h.windows.windowIds(nowMs, windows);
            h.counters.commitNow(windows);
        }
        ConversionOutcome outcome = new ConversionOutcome(source, handler);
        synchronized (recent) {
            recent.put(key, outcome);
        }
        return outcome;
    }

    private Side postbackSide(CallerIndex.Side side, ConversionRule rule, long caller, int campaignCode, long callHash,
                              long nowMs) {
        String name = side == CallerIndex.Side.SOURCE ? "source" : "handler";
        if (rule == null) {
            return new Side(Status.NO_RULE, BigDecimal.ZERO, "no " + name + " conversion rule");
        }
        if (rule.type() != ConversionType.POSTBACK) {
            return new Side(Status.NO_RULE, BigDecimal.ZERO, name + " conversion is " + rule.describe() + ", not postback");
        }
        return decide(side, rule, caller, campaignCode, callHash, nowMs, "postback");
    }

    /**
     * Converts a side unless dedupe says the caller already converted; {@code how} becomes
     * the reason ({@code attempt}, {@code timer 95s >= 90s}, {@code postback}). A new caller
     * that the full caller index cannot take converts without dedupe, saying so in the reason.
     */
    Side decide(CallerIndex.Side side, ConversionRule rule, long caller, int campaignCode, long callHash, long nowMs,
                String how) {
        long windowMs = rule.dedupe() == null ? 0 : rule.dedupe().millis();
        boolean recorded = caller >= 0 && (windowMs > 0 || rule.type() == ConversionType.POSTBACK);
        if (!recorded) {
            return new Side(Status.CONVERTED, rule.amount(), caller >= 0 || windowMs == 0 ? how
                    : how + " (anonymous caller: no dedupe)");
        }
        long[] earlier = new long[1];
        CallerIndex.Conversion result;
        try {
            result = router.callers().convert(caller, campaignCode, side, callHash, nowMs, windowMs, earlier);
        } catch (StoreFullException e) {
            // As for an anonymous caller: the conversion stands, unchecked, rather than fail the call it ends.
            router.callersFull(e);
            return new Side(Status.CONVERTED, rule.amount(), how + " (caller index full: no dedupe)");
        }
        return switch (result) {
            case CONVERTED -> new Side(Status.CONVERTED, rule.amount(), how);
            case SAME_CALL -> new Side(Status.CONVERTED, rule.amount(), how + REPEATED);
            case DEDUPED -> new Side(Status.NOT_CONVERTED, BigDecimal.ZERO, "dedupe: caller converted "
                    + age(nowMs - earlier[0]) + " ago (window " + rule.dedupe() + ")");
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
