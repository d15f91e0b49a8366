package org.callrouter.server.admin;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.callrouter.routing.config.ApiToken;
import org.callrouter.routing.config.RouterConfig;
import org.callrouter.routing.lead.CreditModel;
import org.callrouter.routing.lead.Identity;
import org.callrouter.routing.lead.IdentityKind;
import org.callrouter.routing.lead.ReportDimension;
import org.callrouter.routing.lead.ReportRow;
import org.callrouter.routing.lead.ReportSpec;
import org.callrouter.routing.lead.SessionStatus;
import org.callrouter.server.leads.LeadConflictException;
import org.callrouter.server.leads.LeadNotFoundException;
import org.callrouter.server.leads.LeadStore;
import org.callrouter.server.leads.LeadStoreException;
import org.callrouter.server.leads.LeadView;
import org.callrouter.server.leads.ReportProgress;
import org.callrouter.server.leads.SessionQuery;
import org.callrouter.server.leads.SessionView;
import org.callrouter.server.records.RecordJson;

/**
 * The attribution routes of the admin API (server README, "Leads, sales and reports"): sales in,
 * leads looked up, repaired (assign origin, disconnect) and audited, sessions listed, reports
 * grouped. Each asks the {@link LeadStore}; with {@code server.store.enabled: false} there is none
 * and each answers 503 naming the setting. The store's refusals map to HTTP: unknown lead 404,
 * a change the lead's state does not allow 409, bad input 400, a failing database 503.
 */
final class LeadsApi {

    /** The largest body a lead or sale route reads: a sale is a few hundred bytes. */
    static final int MAX_BODY_BYTES = 16 * 1024;
    /** Identities one disconnect may name. */
    static final int MAX_IDENTITIES = 64;
    /** A report covers the last 30 days unless {@code from} says otherwise. */
    private static final long DEFAULT_REPORT_DAYS = 30;
    private static final String OFF = "the lead store is off (server.store.enabled: false): leads, sales, sessions "
            + "and reports need it";

    private final Supplier<LeadStore> store;
    private final Supplier<RouterConfig> config;
    private final Clock wall;
    private final RunningReports running;

    /**
     * @param store  the running store, or null when {@code server.store.enabled} is false.
     * @param config the configuration in force ({@code default_region}, {@code attribution.credit}).
     */
    LeadsApi(Supplier<LeadStore> store, Supplier<RouterConfig> config, Clock wall) {
        this.store = store;
        this.config = config;
        this.wall = wall;
        this.running = new RunningReports(wall);
    }

    /** The routes, for {@link AdminApi}'s table. */
    List<V1Route> routes() {
        final ApiToken.Scope read = ApiToken.Scope.READ;
        final ApiToken.Scope admin = ApiToken.Scope.ADMIN;
        return List.of(
                new V1Route("POST", "/v1/sales", admin, MAX_BODY_BYTES, this::sale),
                new V1Route("GET", "/v1/leads", read, 0, c -> lookup(c.query())),
                new V1Route("GET", "/v1/leads/{id}", read, 0, c -> lead(c.segments().get(2))),
                new V1Route("GET", "/v1/leads/{id}/audit", read, 0, c -> audit(c.segments().get(2))),
                new V1Route("POST", "/v1/leads/{id}/assign-origin", admin, MAX_BODY_BYTES, this::assignOrigin),
                new V1Route("POST", "/v1/leads/{id}/disconnect", admin, MAX_BODY_BYTES, this::disconnect),
                new V1Route("GET", "/v1/sessions", read, 0, c -> sessions(c.query())),
                new V1Route("GET", "/v1/reports", read, 0, c -> report(c.query())),
                new V1Route("GET", "/v1/reports/progress/{id}", read, 0,
                        c -> ApiResponse.json(200, running.answer(RunningReports.checkId("id", c.segments().get(3))))));
    }

    // ---- endpoints -------------------------------------------------------------------------

    /** {@code POST /v1/sales}: 201 with the new sale, 200 with the stored one for a known order id. */
    private ApiResponse sale(V1Route.Call call) throws ApiException {
        final SaleRequest sale = SaleRequest.parse(body(call.body(), "{\"email\": \"ann@example.com\", "
                + "\"amount\": \"45.00\", \"currency\": \"USD\", \"order_id\": \"1001\"}"),
                config.get().defaultRegion(), wall.millis());
        final LeadStore leads = store();
        return guarded(() -> {
            final var result = leads.recordSale(sale.input(), call.actor());
            return ApiResponse.json(result.created() ? 201 : 200, LeadJson.saleResult(result));
        });
    }

    /** {@code GET /v1/leads?email=...}: the lead that has the identity. */
    private ApiResponse lookup(Map<String, List<String>> query) throws ApiException {
        Identity identity = null;
        for (IdentityField field : IdentityField.values()) {
            final String value = AdminApi.filter(query, field.wire);
            if (value != null) {
                if (identity != null) {
                    throw new ApiException(400, "give one identity to look up, not several");
                }
                identity = identity(field.kind, field.wire, value);
            }
        }
        if (identity == null) {
            throw new ApiException(400, "give an identity to look up: /v1/leads?email=ann@example.com (or phone, "
                    + "lead_ref, customer_id, visitor)");
        }
        final Identity asked = identity;
        final LeadStore leads = store();
        return guarded(() -> {
            final String id = leads.leadOf(asked)
                    .orElseThrow(() -> new LeadNotFoundException("no lead has " + asked));
            return ApiResponse.json(200, LeadJson.lead(view(leads, id)));
        });
    }

    /** {@code GET /v1/leads/{id}}. */
    private ApiResponse lead(String id) throws ApiException {
        final LeadStore leads = store();
        return guarded(() -> ApiResponse.json(200, LeadJson.lead(view(leads, id))));
    }

    /** {@code GET /v1/leads/{id}/audit}: the changes the lead took part in, oldest first. */
    private ApiResponse audit(String id) throws ApiException {
        final LeadStore leads = store();
        return guarded(() -> {
            view(leads, id);
            return ApiResponse.json(200, LeadJson.audit(id, leads.audit(id)));
        });
    }

    /** {@code POST /v1/leads/{id}/assign-origin {"email" | "phone" | "lead" | ...}}. */
    private ApiResponse assignOrigin(V1Route.Call call) throws ApiException {
        final String id = call.segments().get(2);
        final JsonNode body = body(call.body(), "{\"phone\": \"+14155550123\"} or {\"lead\": \"L...\"}");
        String targetLead = null;
        Identity target = null;
        int given = 0;
        for (var field = body.fields(); field.hasNext(); ) {
            final var entry = field.next();
            final String name = entry.getKey();
            final String value = text(entry.getValue(), name);
            given++;
            if (name.equals("lead")) {
                targetLead = value;
            } else {
                final IdentityField kind = IdentityField.named(name);
                if (kind == null) {
                    throw ApiException.invalid(name,
                            "unknown field \"" + name + "\"; the origin is one of lead, email, "
                            + "phone, lead_ref, customer_id, visitor");
                }
                target = identity(kind.kind, name, value);
            }
        }
        if (given != 1) {
            throw new ApiException(400, "name the origin with exactly one field: lead, email, phone, lead_ref, "
                    + "customer_id or visitor");
        }
        final String actor = call.actor();
        final String byLead = targetLead;
        final Identity byIdentity = target;
        final LeadStore leads = store();
        return guarded(() -> ApiResponse.json(200, LeadJson.assigned(byLead != null
                ? leads.assignOrigin(id, byLead, actor) : leads.assignOrigin(id, byIdentity, actor))));
    }

    /** {@code POST /v1/leads/{id}/disconnect {"identity": {...}} | {"identities": [...]}}. */
    private ApiResponse disconnect(V1Route.Call call) throws ApiException {
        final String id = call.segments().get(2);
        final JsonNode body = body(call.body(), "{\"identity\": {\"kind\": \"email\", \"value\": "
                + "\"rep@example.com\"}}");
        final List<Identity> identities = new ArrayList<>();
        for (var field = body.fieldNames(); field.hasNext(); ) {
            final String name = field.next();
            if (!name.equals("identity") && !name.equals("identities")) {
                throw ApiException.invalid(name, "unknown field \"" + name + "\"; give identity or identities");
            }
        }
        if (body.has("identity") == body.has("identities")) {
            throw new ApiException(400, "give either identity {\"kind\", \"value\"} or identities [...], not both "
                    + "or neither");
        }
        if (body.has("identity")) {
            identities.add(identityObject(body.get("identity"), "identity"));
        } else {
            final JsonNode list = body.get("identities");
            if (!list.isArray() || list.isEmpty() || list.size() > MAX_IDENTITIES) {
                throw ApiException.invalid("identities", "identities must be an array of 1 to " + MAX_IDENTITIES
                        + " {\"kind\", \"value\"} objects");
            }
            for (int i = 0; i < list.size(); i++) {
                identities.add(identityObject(list.get(i), "identities[" + i + "]"));
            }
        }
        final String actor = call.actor();
        final LeadStore leads = store();
        return guarded(() -> ApiResponse.json(200, LeadJson.disconnected(leads.disconnect(id, identities, actor))));
    }

    /** {@code GET /v1/sessions?status=&campaign=&kind=&since=&until=&limit=}: newest first. */
    private ApiResponse sessions(Map<String, List<String>> query) throws ApiException {
        final String statusText = AdminApi.filter(query, "status");
        SessionStatus status = null;
        if (statusText != null) {
            try {
                status = SessionStatus.fromWire(statusText);
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, e.getMessage());
            }
        }
        final String kind = AdminApi.filter(query, "kind");
        if (kind != null && !kind.equals("call") && !kind.equals("web")) {
            throw ApiException.invalid("kind", "kind must be call or web, got \"" + kind + "\"");
        }
        final String since = AdminApi.filter(query, "since");
        final String until = AdminApi.filter(query, "until");
        final int limit = AdminApi.limit(query);
        final SessionQuery asked = new SessionQuery(status, AdminApi.filter(query, "campaign"), kind,
                since == null ? null : AdminApi.instant("since", since),
                until == null ? null : AdminApi.instant("until", until), limit + 1,
                sessionAfter(Cursor.decode("sessions", AdminApi.one(query, "cursor"))));
        final LeadStore leads = store();
        return guarded(() -> {
            final List<SessionView> found = leads.sessions(asked);
            final List<SessionView> page = found.subList(0, Math.min(limit, found.size()));
            final ObjectNode body = LeadJson.sessions(page);
            final SessionView last = found.size() > limit ? page.get(page.size() - 1) : null;
            body.put("next_cursor", last == null ? null
                    : Cursor.encode("sessions", last.startedMs() + " " + last.kind() + " " + last.id()));
            return ApiResponse.json(200, body);
        });
    }

    /** The session a {@code /v1/sessions} cursor names ({@code <started ms> <kind> <id>}), or null. */
    private static SessionQuery.After sessionAfter(String position) throws ApiException {
        if (position == null) {
            return null;
        }
        final String[] at = position.split(" ", 3);
        try {
            if (at.length == 3) {
                return new SessionQuery.After(Long.parseLong(at[0]), at[1], at[2]);
            }
        } catch (NumberFormatException e) {
            throw Cursor.refused("sessions");
        }
        throw Cursor.refused("sessions");
    }

    /**
     * {@code GET /v1/reports?group_by=&zone=&from=&to=&credit=&format=&<dimension>=&progress=}; with
     * {@code progress} the report's progress can be asked under that id while it runs.
     */
    private ApiResponse report(Map<String, List<String>> query) throws ApiException {
        final ReportRequest asked = ReportRequest.parse(query, config.get().attribution().credit(), wall.millis());
        final String progressId = AdminApi.one(query, "progress");
        if (progressId != null) {
            RunningReports.checkId("progress", progressId);
        }
        final LeadStore leads = store();
        if (progressId == null) {
            return report(leads, asked, new ReportProgress());
        }
        final ReportProgress progress = running.start(progressId);
        try {
            return report(leads, asked, progress);
        } finally {
            running.end(progressId, progress);
        }
    }

    private static ApiResponse report(LeadStore leads, ReportRequest asked, ReportProgress progress)
            throws ApiException {
        return guarded(() -> {
            final List<ReportRow> rows = leads.report(asked.spec(), asked.credit(), progress);
            final ObjectNode body = ApiResponse.JSON.createObjectNode();
            final ArrayNode groupBy = body.putArray("group_by");
            asked.spec().groupBy().forEach(d -> groupBy.add(d.wireName()));
            body.put("zone", asked.spec().zone().getId());
            body.put("from", RecordJson.time(asked.spec().fromMs()));
            body.put("to", RecordJson.time(asked.spec().toMs()));
            body.put("credit", asked.credit().wireName());
            final ObjectNode filters = body.putObject("filters");
            asked.spec().filters().forEach((d, v) -> filters.put(d.wireName(), v));
            final ArrayNode list = body.putArray("rows");
            rows.forEach(r -> list.add(LeadJson.row(asked.spec().groupBy(), r)));
            if (asked.csv()) {
                return new ApiResponse(200, "text/csv; charset=utf-8",
                        ReportFormat.csv(body).getBytes(StandardCharsets.UTF_8), Map.of());
            }
            return ApiResponse.json(200, body);
        });
    }

    // ---- helpers ---------------------------------------------------------------------------

    /** The store, or 503 when it is off. */
    private LeadStore store() throws ApiException {
        final LeadStore leads = store.get();
        if (leads == null) {
            throw new ApiException(503, OFF);
        }
        return leads;
    }

    /** What a store call answers, with the store's refusals as their HTTP statuses. */
    private static ApiResponse guarded(StoreCall call) throws ApiException {
        try {
            return call.answer();
        } catch (LeadNotFoundException e) {
            throw new ApiException(404, e.getMessage());
        } catch (LeadConflictException e) {
            throw new ApiException(409, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, e.getMessage());
        } catch (LeadStoreException e) {
            throw new ApiException(503, "the lead store failed: " + e.getMessage());
        }
    }

    /** A call on the store, whose refusals are its exceptions. */
    @FunctionalInterface
    private interface StoreCall {
        ApiResponse answer();
    }

    private static LeadView view(LeadStore leads, String id) {
        return leads.lead(id).orElseThrow(() -> new LeadNotFoundException("no lead " + id));
    }

    /** The body as a JSON object; {@code example} goes into the refusal of anything else. */
    private static JsonNode body(byte[] body, String example) throws ApiException {
        return RequestJson.object(body, example);
    }

    /** A string field's value, or 400 naming the field. */
    static String text(JsonNode value, String name) throws ApiException {
        if (!value.isTextual()) {
            throw ApiException.invalid(name, name + " must be a string, got " + RequestJson.type(value));
        }
        return value.asText();
    }

    private Identity identity(IdentityKind kind, String field, String raw) throws ApiException {
        try {
            return Identity.parse(kind, raw, config.get().defaultRegion());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(field, field + ": " + e.getMessage());
        }
    }

    /** {@code {"kind": "email", "value": "..."}}. */
    private Identity identityObject(JsonNode node, String where) throws ApiException {
        if (!node.isObject() || node.size() != 2 || !node.has("kind") || !node.has("value")) {
            throw new ApiException(400, where + " must be {\"kind\": \"email\", \"value\": \"...\"}");
        }
        final IdentityKind kind;
        try {
            kind = IdentityKind.fromWire(text(node.get("kind"), where + ".kind"));
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, where + ".kind: " + e.getMessage());
        }
        return identity(kind, where + ".value", text(node.get("value"), where + ".value"));
    }

    /** The identity fields of the API and the kinds they name. */
    enum IdentityField {
        EMAIL("email", IdentityKind.EMAIL),
        PHONE("phone", IdentityKind.PHONE),
        LEAD_REF("lead_ref", IdentityKind.LEAD_REF),
        CUSTOMER_ID("customer_id", IdentityKind.CUSTOMER),
        VISITOR("visitor", IdentityKind.VISITOR);

        final String wire;
        final IdentityKind kind;

        IdentityField(String wire, IdentityKind kind) {
            this.wire = wire;
            this.kind = kind;
        }

        /** The field called {@code name}, or null. */
        static IdentityField named(String name) {
            for (IdentityField field : values()) {
                if (field.wire.equals(name)) {
                    return field;
                }
            }
            return null;
        }
    }

    /**
     * A report request read from the query.
     *
     * @param csv whether {@code format=csv} was asked
     */
    record ReportRequest(ReportSpec spec, CreditModel credit, boolean csv) {

        /** The report parameters; {@code defaultCredit} is {@code attribution.credit}. */
        static ReportRequest parse(Map<String, List<String>> query, CreditModel defaultCredit, long nowMs)
                throws ApiException {
            final List<ReportDimension> groupBy = new ArrayList<>();
            final String groups = AdminApi.filter(query, "group_by");
            try {
                if (groups != null) {
                    for (String name : groups.split(",", -1)) {
                        groupBy.add(ReportDimension.fromWire(name));
                    }
                }
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("group_by", "group_by: " + e.getMessage());
            }
            final String zoneText = AdminApi.filter(query, "zone");
            final ZoneId zone;
            try {
                zone = zoneText == null ? ZoneOffset.UTC : ZoneId.of(zoneText);
            } catch (DateTimeException e) {
                throw ApiException.invalid("zone", "zone must be an IANA time zone such as America/New_York, got \""
                        + zoneText + "\"");
            }
            final String toText = AdminApi.filter(query, "to");
            final long to = toText == null ? nowMs : time("to", toText, zone);
            final String fromText = AdminApi.filter(query, "from");
            final long from = fromText == null ? to - TimeUnit.DAYS.toMillis(DEFAULT_REPORT_DAYS)
                    : time("from", fromText, zone);
            final String creditText = AdminApi.filter(query, "credit");
            final CreditModel credit;
            try {
                credit = creditText == null ? defaultCredit : CreditModel.fromWire(creditText);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("credit", "credit: " + e.getMessage());
            }
            final String format = AdminApi.filter(query, "format");
            if (format != null && !format.equals("json") && !format.equals("csv")) {
                throw ApiException.invalid("format", "format must be json or csv, got \"" + format + "\"");
            }
            final Map<ReportDimension, String> filters = new EnumMap<>(ReportDimension.class);
            for (ReportDimension dimension : ReportDimension.values()) {
                final String value = AdminApi.filter(query, dimension.wireName());
                if (value != null) {
                    filters.put(dimension, value);
                }
            }
            try {
                return new ReportRequest(new ReportSpec(groupBy, zone, from, to, filters), credit, "csv".equals(format));
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, e.getMessage());
            }
        }

        /** An instant ({@link AdminApi#instant}) or a date, which means its start in {@code zone}. */
        private static long time(String name, String text, ZoneId zone) throws ApiException {
            if (text.length() == 10 && text.charAt(4) == '-' && text.charAt(7) == '-') {
                try {
                    return LocalDate.parse(text).atStartOfDay(zone).toInstant().toEpochMilli();
                } catch (DateTimeParseException e) {
                    throw ApiException.invalid(name, name + " must be a date such as 2026-03-09, an ISO-8601 time or "
                            + "epoch milliseconds, got \"" + text + "\"");
                }
            }
            return AdminApi.instant(name, text);
        }
    }
}
