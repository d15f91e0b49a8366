package org.callrouter.server.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.callrouter.server.admin.ReportFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code router leads show ID}: a lead's identities, origin and last touch, sessions in time
 * order and sales with the touch each is credited to ({@code GET /v1/leads/{id}}).
 */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Shows a lead: identities, origin, sessions and sales (GET /v1/leads/{id}).")
public final class LeadsShowCommand extends AdminApiCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "the lead id (L + 20 hex digits)")
    private String id;

    @Option(names = "--json", description = "print the API's JSON")
    private boolean json;

    @Override
    String path() {
        return "/v1/leads/" + encode(id);
    }

    @Override
    boolean operatorError(int status) {
        return status == 404;
    }

    @Override
    void print(JsonNode lead, PrintWriter out) {
        if (json) {
            out.println(lead);
            return;
        }
        out.printf("lead %s, created %s%s%n", lead.path("id").asText(), lead.path("created_at").asText(),
                lead.path("merged_into").isTextual() ? ", merged into " + lead.path("merged_into").asText()
                        : lead.path("unattributed").asBoolean() ? ", unattributed (no session)" : "");
        out.println("identities:");
        for (JsonNode identity : lead.path("identities")) {
            out.printf("  %-9s %s (linked %s)%n", identity.path("kind").asText(),
                    ReportFormat.printable(identity.path("value").asText()),
                    identity.path("linked_at").asText());
        }
        out.println("origin:     " + touch(lead.path("origin")));
        out.println("last touch: " + touch(lead.path("last_touch")));
        out.println("sessions:");
        for (JsonNode s : lead.path("sessions")) {
            out.printf("  %-24s %-4s %-10s %s via %s%s%n", s.path("started_at").asText(), s.path("kind").asText(),
                    s.path("status").asText(), s.path("id").asText(), identity(s.path("via")),
                    where(s.path("campaign"), s.path("source"), s.path("tracking")));
        }
        out.println("sales:");
        for (JsonNode sale : lead.path("sales")) {
            out.printf("  %-24s %s %s order %s via %s, credited to %s%n", sale.path("sold_at").asText(),
                    sale.path("amount").asText(), sale.path("currency").asText(),
                    sale.path("order_id").isTextual() ? sale.path("order_id").asText() : "-",
                    identity(sale.path("via")), touch(sale.path("credited")));
        }
    }

    /** A touch in one line: {@code call c... at 2026-..., campaign solar, source web, utm_source=facebook}. */
    private static String touch(JsonNode touch) {
        if (!touch.isObject()) {
            return "none (unattributed)";
        }
        return touch.path("kind").asText() + " " + touch.path("session").asText() + " at "
                + touch.path("started_at").asText() + where(touch.path("campaign"), touch.path("source"),
                touch.path("tracking"));
    }

    private static String where(JsonNode campaign, JsonNode source, JsonNode tracking) {
        final List<String> parts = new ArrayList<>();
        if (campaign.isTextual()) {
            parts.add("campaign " + campaign.asText());
        }
        if (source.isTextual()) {
            parts.add("source " + source.asText());
        }
        tracking.fields().forEachRemaining(t -> parts.add(ReportFormat.printable(t.getKey() + "=" + t.getValue().asText())));
        return parts.isEmpty() ? "" : ", " + String.join(", ", parts);
    }

    private static String identity(JsonNode identity) {
        return identity.isObject() ? ReportFormat.printable(identity.path("kind").asText() + " "
                + identity.path("value").asText()) : "-";
    }
}
