package org.callrouter.server.cli;

import java.io.PrintWriter;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code router caps show}: each cap of each handler (or one), its limit, use and room, as the running router counts. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Shows handler caps and their use now, from the running router (GET /v1/caps).")
public final class CapsShowCommand extends AdminApiCommand {

    @Option(names = "--handler", paramLabel = "ID", description = "one handler (default: all)")
    private String handler;

    @Option(names = "--json", description = "print the API's JSON")
    private boolean json;

    @Override
    String path() {
        return handler == null ? "/v1/caps" : "/v1/caps/" + encode(handler);
    }

    @Override
    boolean operatorError(int status) {
        return status == 404;
    }

    @Override
    void print(JsonNode body, PrintWriter out) {
        if (json) {
            out.println(body);
            return;
        }
        out.printf("%-20s %-12s %10s %10s %10s%n", "HANDLER", "CAP", "LIMIT", "USED", "REMAINING");
        for (JsonNode h : body.path("handlers")) {
            for (JsonNode cap : h.path("caps")) {
                out.printf("%-20s %-12s %10s %10d %10s%n", h.path("handler").asText(), cap.path("cap").asText(),
                        cap.path("limit").isNull() ? "-" : cap.path("limit").asText(), cap.path("used").asInt(),
                        cap.path("remaining").isNull() ? "-" : cap.path("remaining").asText());
            }
        }
    }
}
