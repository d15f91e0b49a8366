package org.callrouter.server.leads;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds the rows store tests ingest, with readable defaults. */
final class LeadRows {

    static final String NODE = "node-a";

    private LeadRows() {
    }

    /** An answered, completed call of {@code campaign} from {@code caller}, 60 s of talk, in a campaign that does not convert. */
    static CallRow call(String id, long receivedMs, String caller, String campaign) {
        return call(id, receivedMs, caller, campaign, null, Map.of());
    }

    static CallRow call(String id, long receivedMs, String caller, String campaign, String visitor,
                        Map<String, String> tags) {
        String line = "{\"record\":\"call\",\"id\":\"" + id + "\",\"status\":\"completed\",\"campaign\":\"" + campaign
                + "\",\"converted\":false}";
        return new CallRow(id, receivedMs, receivedMs + 5_000, receivedMs + 65_000, "completed", 200, campaign, "src",
                "h1", caller, "+15550000000", true, false, false, new BigDecimal("0.00"), new BigDecimal("0.00"),
                60_000, visitor, tags.get("lead_id"), tags.get("customer_id"), tags, line, List.of("h0", "h1"));
    }

    /** A call with another status and answer. */
    static CallRow call(CallRow base, String status, boolean answered, boolean campaignConverts) {
        return new CallRow(base.id(), base.receivedMs(), answered ? base.answeredMs() : null, base.endedMs(), status,
                base.sipStatus(), base.campaign(), base.source(), answered ? base.handler() : null, base.caller(),
                base.dialed(), answered, base.converted(), campaignConverts, base.revenue(), base.payout(),
                answered ? base.talkMs() : 0, base.visitorSession(), base.leadRef(), base.customerId(), base.tags(),
                base.recordLine(), base.handlersTried());
    }

    static VisitRow visit(String session, long createdMs, String campaign, String utmSource) {
        Map<String, String> fields = new HashMap<>();
        fields.put("utm_source", utmSource);
        fields.put("landing_page", "https://example.com/landing");
        return new VisitRow(session, "pool1", campaign, createdMs, fields);
    }

    static IngestBatch calls(CallRow... calls) {
        return new IngestBatch(NODE, List.of(calls), List.of(), List.of(), List.of(), Map.of());
    }

    static IngestBatch visits(VisitRow... visits) {
        return new IngestBatch(NODE, List.of(), List.of(), List.of(visits), List.of(), Map.of());
    }

    static SaleInput sale(String email, String phone, String amount, String orderId, long soldMs) {
        return new SaleInput(email, phone, null, null, new BigDecimal(amount), "USD", orderId, soldMs);
    }
}
