package org.callrouter.server.records;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

import org.callrouter.routing.ConversionOutcome;
import org.callrouter.routing.criteria.BuiltinTag;
import org.callrouter.server.b2bua.AttemptResult;
import org.callrouter.server.b2bua.CallStatus;

/**
 * The call the record benchmarks publish: an answered call of campaign {@code auto-insurance}
 * from source {@code facebook}, routed to {@code acme-sales}, with the seven built-in tags
 * routing-core gives a routed call.
 */
final class TypicalCall {

    static final String KEY = "0aa4590222a605f45572ff713492806a";

    private TypicalCall() {
    }

    /** The tags of the call, as {@code RoutingPlan.tags()} has them (the same name instances). */
    static Map<String, String> tags() {
        final Map<String, String> tags = new LinkedHashMap<>();
        tags.put(BuiltinTag.CALLER_NUMBER.tagName(), "+14155550123");
        tags.put(BuiltinTag.CALLER_AREA_CODE.tagName(), "415");
        tags.put(BuiltinTag.CALLER_STATE.tagName(), "CA");
        tags.put(BuiltinTag.CALLER_COUNTRY.tagName(), "US");
        tags.put(BuiltinTag.DIALED_NUMBER.tagName(), "+18005550100");
        tags.put(BuiltinTag.SOURCE.tagName(), "facebook");
        tags.put(BuiltinTag.CAMPAIGN.tagName(), "auto-insurance");
        return tags;
    }

    /** Source converted at the attempt (4.50), handler side not (a timer not reached). */
    static ConversionOutcome conversion() {
        return new ConversionOutcome(
                new ConversionOutcome.Side(ConversionOutcome.Status.CONVERTED, new BigDecimal("4.50"), "attempt"),
                new ConversionOutcome.Side(ConversionOutcome.Status.NOT_CONVERTED, BigDecimal.ZERO, "timer 12s < 90s"));
    }

    /** The five events of the answered call {@code id} received at {@code t}. */
    static void publish(CallEventPublisher publisher, String id, long t, Map<String, String> tags,
                        ConversionOutcome conversion) {
        publisher.received(id, KEY, t, 8_500, "+14155550123", "+18005550100", "auto-insurance", "facebook", tags);
        publisher.attemptStarted(id, "acme-sales", t + 10);
        publisher.attemptEnded(id, "acme-sales", AttemptResult.ANSWERED, 200, t + 2_000);
        publisher.answered(id, "acme-sales", t + 2_000);
        publisher.ended(id, CallStatus.COMPLETED, 200, "carrier hung up", t + 90_000, 2_000, 88_000, conversion);
    }
}
