package org.callrouter.server.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.callrouter.server.admin.ReportFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code router report}: calls, sales and their attribution grouped as asked, from the running
 * router's lead store ({@code GET /v1/reports}). The embedded database file is held by the
 * running router, so the command asks its admin API rather than opening the file.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Reports calls and sales grouped by campaign, source, UTM values, day, ... from the running "
                + "router (GET /v1/reports).",
            "Exit codes: 0 done, 1 no router answers or it refused, 2 bad option."})
public final class ReportCommand extends AdminApiCommand {

    /** How the report is printed. */
    enum Format { table, csv, json }

    @Option(names = "--group-by", paramLabel = "DIMS", description = "comma-separated: campaign, source, handler, "
            + "utm_source, utm_campaign, utm_term, landing_page, currency, day, hour (default: one total row)")
    private String groupBy;

    @Option(names = "--zone", paramLabel = "ZONE", description = "IANA zone for day and hour and for dates (default UTC)")
    private String zone;

    @Option(names = "--from", paramLabel = "TIME", description = "start: a date, ISO-8601 time or epoch ms "
            + "(default 30 days before --to)")
    private String from;

    @Option(names = "--to", paramLabel = "TIME", description = "end (exclusive): a date, ISO-8601 time or epoch ms "
            + "(default now)")
    private String to;

    @Option(names = "--credit", paramLabel = "MODEL", description = "first_touch or last_touch (default: "
            + "attribution.credit)")
    private String credit;

    @Option(names = "--filter", paramLabel = "DIM=VALUE", description = "only rows with this value, such as "
            + "utm_source=facebook (repeatable)")
    private List<String> filters = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", description = "table (default), csv or json")
    private Format format = Format.table;

    @Override
    String path() {
        final List<String> query = new ArrayList<>();
        add(query, "group_by", groupBy);
        add(query, "zone", zone);
        add(query, "from", from);
        add(query, "to", to);
        add(query, "credit", credit);
        for (String filter : filters) {
            final int eq = filter.indexOf('=');
            // A filter without '=' is sent as a dimension with no value: the API names what is wrong.
            add(query, eq < 0 ? filter : filter.substring(0, eq), eq < 0 ? "" : filter.substring(eq + 1));
        }
        return "/v1/reports" + (query.isEmpty() ? "" : "?" + String.join("&", query));
    }

    @Override
    boolean operatorError(int status) {
        return status == 400;
    }

    @Override
    void print(JsonNode body, PrintWriter out) {
        switch (format) {
            case json -> out.println(body);
            case csv -> out.print(ReportFormat.csv(body));
            case table -> out.print(ReportFormat.table(body));
        }
    }

    private static void add(List<String> query, String name, String value) {
        if (value != null) {
            query.add(encode(name) + "=" + encode(value));
        }
    }
}
