package org.callrouter.server.admin;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.callrouter.routing.lead.Identity;
import org.callrouter.routing.lead.ReportDimension;
import org.callrouter.routing.lead.ReportRow;
import org.callrouter.server.leads.AssignResult;
import org.callrouter.server.leads.AuditEntry;
import org.callrouter.server.leads.DisconnectResult;
import org.callrouter.server.leads.IdentityView;
import org.callrouter.server.leads.LeadView;
import org.callrouter.server.leads.SaleResult;
import org.callrouter.server.leads.SaleView;
import org.callrouter.server.leads.SessionView;
import org.callrouter.server.leads.TouchView;
import org.callrouter.server.records.RecordJson;

/**
 * The lead store's values as the admin API answers them (documented in {@code admin/openapi.json}):
 * snake-case names, times as ISO-8601 UTC, identities as {@code {"kind", "value"}}, amounts as
 * JSON numbers with their stored scale.
 */
final class LeadJson {

    private LeadJson() {
    }

    static ObjectNode lead(LeadView lead) {
        final ObjectNode node = ApiResponse.JSON.createObjectNode();
        node.put("id", lead.id());
        node.put("created_at", RecordJson.time(lead.createdMs()));
        node.put("merged_into", lead.mergedInto());
        node.put("unattributed", lead.unattributed());
        final ArrayNode identities = node.putArray("identities");
        for (IdentityView identity : lead.identities()) {
            identities.add(identity(identity.identity()).put("linked_at", RecordJson.time(identity.linkedMs())));
        }
        node.set("origin", touch(lead.origin()));
        node.set("last_touch", touch(lead.lastTouch()));
        final ArrayNode sessions = node.putArray("sessions");
        lead.sessions().forEach(s -> sessions.add(session(s)));
        final ArrayNode sales = node.putArray("sales");
        lead.sales().forEach(s -> sales.add(sale(s)));
        return node;
    }

    static ObjectNode saleResult(SaleResult result) {
        final ObjectNode node = ApiResponse.JSON.createObjectNode();
        node.put("created", result.created());
        node.put("lead", result.leadId());
        node.put("unattributed", result.unattributed());
        node.set("sale", sale(result.sale()));
        return node;
    }

    /** An assign-origin's outcome, with the disconnect that undoes it. */
    static ObjectNode assigned(AssignResult result) {
        final ObjectNode node = ApiResponse.JSON.createObjectNode();
        node.put("lead", result.leadId());
        node.put("merged_into", result.targetLeadId());
        moved(node, result.movedIdentities(), result.movedSessions(), result.movedSales());
        final ObjectNode undo = node.putObject("undo");
        undo.put("method", "POST");
        undo.put("path", "/v1/leads/" + result.targetLeadId() + "/disconnect");
        undo.putObject("body").set("identities", identities(result.movedIdentities()));
        return node;
    }

    /** A disconnect's outcome, with the assign-origin that undoes it. */
    static ObjectNode disconnected(DisconnectResult result) {
        final ObjectNode node = ApiResponse.JSON.createObjectNode();
        node.put("lead", result.leadId());
        node.put("new_lead", result.newLeadId());
        moved(node, result.movedIdentities(), result.movedSessions(), result.movedSales());
        final ObjectNode undo = node.putObject("undo");
        undo.put("method", "POST");
        undo.put("path", "/v1/leads/" + result.newLeadId() + "/assign-origin");
        undo.putObject("body").put("lead", result.leadId());
        return node;
    }

    static ObjectNode audit(String leadId, List<AuditEntry> entries) {
        final ObjectNode node = ApiResponse.JSON.createObjectNode();
        node.put("lead", leadId);
        final ArrayNode list = node.putArray("entries");
        for (AuditEntry entry : entries) {
            final ObjectNode e = list.addObject();
            e.put("id", entry.id());
            e.put("at", RecordJson.time(entry.atMs()));
            e.put("actor", entry.actor());
            e.put("action", entry.action());
            e.put("lead", entry.leadId());
            e.put("other_lead", entry.otherLeadId());
            e.set("detail", detail(entry.detail()));
        }
        return node;
    }

    static ObjectNode sessions(List<SessionView> sessions) {
        final ObjectNode node = ApiResponse.JSON.createObjectNode();
        node.put("count", sessions.size());
        final ArrayNode list = node.putArray("sessions");
        sessions.forEach(s -> list.add(session(s)));
        return node;
    }

    /** A report row: {@code {"key": {dimension: value or null}, figures...}}. */
    static ObjectNode row(List<ReportDimension> groupBy, ReportRow row) {
        final ObjectNode node = ApiResponse.JSON.createObjectNode();
        final ObjectNode key = node.putObject("key");
        for (ReportDimension dimension : groupBy) {
            key.put(dimension.wireName(), row.key().get(dimension));
        }
        node.put("calls", row.calls());
        node.put("answered", row.answered());
        node.put("converted", row.converted());
        node.put("revenue", row.revenue());
        node.put("payout", row.payout());
        node.put("sales_count", row.salesCount());
        node.put("sales_amount", row.salesAmount());
        node.put("conversion_rate", row.conversionRate());
        node.put("avg_talk_seconds", row.avgTalkSeconds());
        return node;
    }

    static ArrayNode identities(List<Identity> identities) {
        final ArrayNode list = ApiResponse.JSON.createArrayNode();
        identities.forEach(i -> list.add(identity(i)));
        return list;
    }

    private static void moved(ObjectNode node, List<Identity> identities, int sessions, int sales) {
        final ObjectNode moved = node.putObject("moved");
        moved.set("identities", identities(identities));
        moved.put("sessions", sessions);
        moved.put("sales", sales);
    }

    private static ObjectNode session(SessionView session) {
        final ObjectNode node = ApiResponse.JSON.createObjectNode();
        node.put("id", session.id());
        node.put("kind", session.kind());
        node.put("lead", session.leadId());
        node.put("status", session.status().wireName());
        node.put("started_at", RecordJson.time(session.startedMs()));
        if (session.endedMs() == null) {
            node.putNull("ended_at");
        } else {
            node.put("ended_at", RecordJson.time(session.endedMs()));
        }
        node.put("campaign", session.campaign());
        node.put("source", session.source());
        node.put("handler", session.handler());
        node.set("via", session.via() == null ? node.nullNode() : identity(session.via()));
        node.set("tracking", strings(session.tracking()));
        return node;
    }

    private static ObjectNode sale(SaleView sale) {
        final ObjectNode node = ApiResponse.JSON.createObjectNode();
        node.put("id", sale.id());
        node.put("lead", sale.leadId());
        node.put("order_id", sale.orderId());
        node.put("amount", sale.amount());
        node.put("currency", sale.currency());
        node.put("sold_at", RecordJson.time(sale.soldMs()));
        node.put("recorded_at", RecordJson.time(sale.recordedMs()));
        node.set("via", sale.via() == null ? node.nullNode() : identity(sale.via()));
        node.set("credited", touch(sale.credited()));
        return node;
    }

    /** A touch, or JSON null for none (an unattributed lead's origin, an unattributed sale's credit). */
    private static JsonNode touch(TouchView touch) {
        if (touch == null) {
            return ApiResponse.JSON.nullNode();
        }
        final ObjectNode node = ApiResponse.JSON.createObjectNode();
        node.put("session", touch.sessionId());
        node.put("kind", touch.kind());
        node.put("started_at", RecordJson.time(touch.startedMs()));
        node.put("campaign", touch.campaign());
        node.put("source", touch.source());
        node.set("tracking", strings(touch.tracking()));
        return node;
    }

    private static ObjectNode identity(Identity identity) {
        final ObjectNode node = ApiResponse.JSON.createObjectNode();
        node.put("kind", identity.kind().wireName());
        node.put("value", identity.value());
        return node;
    }

    private static ObjectNode strings(Map<String, String> values) {
        final ObjectNode node = ApiResponse.JSON.createObjectNode();
        if (values != null) {
            values.forEach(node::put);
        }
        return node;
    }

    /** The audit detail the store wrote as JSON, as JSON (as text if it ever is not). */
    private static JsonNode detail(String detail) {
        if (detail == null) {
            return ApiResponse.JSON.nullNode();
        }
        try {
            return ApiResponse.JSON.readTree(detail);
        } catch (IOException e) {
            return ApiResponse.JSON.getNodeFactory().textNode(detail);
        }
    }
}
