package org.callrouter.server.cli;

import java.io.PrintWriter;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code router callbacks list}: callbacks, the latest changed first (GET /v1/callbacks). */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "Lists callbacks of lost calls, live and finished in the last 7 days (GET /v1/callbacks).")
public final class CallbacksListCommand extends AdminApiCommand {

    @Option(names = "--state", paramLabel = "S", description = "pending, dialing, connected, gave-up or cancelled")
    private String state;

    @Option(names = "--campaign", paramLabel = "ID", description = "one campaign")
    private String campaign;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "at most N (default: ${DEFAULT-VALUE})")
    private int limit;

    @Option(names = "--json", description = "print the API's JSON")
    private boolean json;

    @Override
    String path() {
        return "/v1/callbacks?limit=" + limit + (state == null ? "" : "&state=" + encode(state))
                + (campaign == null ? "" : "&campaign=" + encode(campaign));
    }

    @Override
    boolean operatorError(int status) {
        return status == 400;
    }

    @Override
    void print(JsonNode body, PrintWriter out) {
        if (json) {
            out.println(body);
            return;
        }
        out.printf("%-24s %-12s %-16s %-10s %5s %-24s %s%n", "ID", "CAMPAIGN", "CUSTOMER", "STATE", "TRIES",
                "NEXT TRY", "REASON");
        for (JsonNode c : body.path("callbacks")) {
            out.printf("%-24s %-12s %-16s %-10s %5d %-24s %s%n", c.path("id").asText(), c.path("campaign").asText(),
                    c.path("customer").asText(), c.path("state").asText(), c.path("tries").asInt(),
                    c.path("next_try_at").isNull() ? "-" : c.path("next_try_at").asText(),
                    c.path("reason").isNull() ? "" : c.path("reason").asText());
        }
        out.println(body.path("live").asInt() + " live");
    }
}
