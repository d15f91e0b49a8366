package org.callrouter.server.cli;

import java.io.PrintWriter;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import org.callrouter.server.admin.ReportFormat;
import org.callrouter.term.ProgressLine;
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
            "On a terminal a progress line (rows scanned, rows/s, time left) is redrawn on stderr while the "
                + "report runs.",
            "Exit codes: 0 done, 1 no router answers or it refused, 2 bad option."})
public final class ReportCommand extends AdminApiCommand {

    /** How often the router is asked how far the report is. */
    static final long POLL_MS = 250;

    private static final SecureRandom RANDOM = new SecureRandom();

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

    @Option(names = {"-q", "--quiet"}, description = "No progress line (there is none when not on a terminal).")
    private boolean quiet;

    /** The id the report's progress is asked under; null when no line is drawn. */
    private String progressId;

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
        add(query, "progress", progressId);
        return "/v1/reports" + (query.isEmpty() ? "" : "?" + String.join("&", query));
    }

    /**
     * On a terminal the report is asked on a thread of its own under a fresh progress id, and
     * {@code GET /v1/reports/progress/{id}} is asked every {@value #POLL_MS} ms meanwhile; the
     * report printed on stdout is the same either way.
     */
    @Override
    AdminClient.Answer ask(AdminClient client) throws AdminClient.Unreachable {
        final ProgressLine line = ProgressLine.forStderr("rows", quiet);
        if (!line.enabled()) {
            return super.ask(client);
        }
        progressId = newProgressId();
        final CompletableFuture<AdminClient.Answer> report = CompletableFuture.supplyAsync(() -> {
            try {
                return client.send(method(), path(), body());
            } catch (AdminClient.Unreachable e) {
                throw new CompletionException(e);
            }
        }, task -> {
            final Thread thread = new Thread(task, "report");
            thread.setDaemon(true);
            thread.start();
        });
        final String progressPath = "/v1/reports/progress/" + progressId;
        JsonNode last = null;
        try {
            while (true) {
                try {
                    final AdminClient.Answer answer = report.get(POLL_MS, TimeUnit.MILLISECONDS);
                    finish(line, last);
                    return answer;
                } catch (TimeoutException e) {
                    final AdminClient.Answer progress = client.send("GET", progressPath);
                    if (progress.status() == 200) {
                        last = progress.body();
                        draw(line, last);
                    }
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AdminClient.Unreachable unreachable) {
                throw unreachable;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminClient.Unreachable("interrupted");
        } finally {
            line.end();
        }
    }

    /**
     * Draws an answer of {@code GET /v1/reports/progress/{id}}: rows scanned of the estimated
     * total while the database tells them (DuckDB), the time only when it does not (PostgreSQL).
     */
    static void draw(ProgressLine line, JsonNode progress) {
        if (!progress.path("state").asText().equals("running")) {
            return;
        }
        if (progress.path("rows_total").isNumber()) {
            line.update(progress.path("rows_processed").asLong(), progress.path("rows_total").asLong());
        } else {
            line.elapsed("report running (the database tells no progress)");
        }
    }

    /** Ends the line at the whole estimated total once the answer is in: every row was scanned. */
    static void finish(ProgressLine line, JsonNode last) {
        if (last != null && last.path("rows_total").isNumber()) {
            final long total = Math.max(last.path("rows_total").asLong(), last.path("rows_processed").asLong());
            line.finish(total, total);
        }
    }

    /** 22 random URL-safe characters: 128 bits, so two reports never share one. */
    static String newProgressId() {
        final byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
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
