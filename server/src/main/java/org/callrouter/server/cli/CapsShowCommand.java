package org.callrouter.server.cli;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import org.callrouter.routing.config.RouterConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code router caps show}: each cap of each handler (or one), its limit, use and room, as the running router counts. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Shows handler caps and their use now, from the running router (GET /v1/caps).")
public final class CapsShowCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOption config;

    @Option(names = "--handler", paramLabel = "ID", description = "one handler (default: all)")
    private String handler;

    @Option(names = "--json", description = "print the API's JSON")
    private boolean json;

    @Override
    public Integer call() {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final RouterConfig loaded = config.load(err);
        if (loaded == null) {
            return 1;
        }
        final AdminClient.Answer answer;
        try {
            answer = AdminClient.of(loaded).send("GET", handler == null ? "/v1/caps"
                    : "/v1/caps/" + URLEncoder.encode(handler, StandardCharsets.UTF_8));
        } catch (AdminClient.Unreachable e) {
            err.println(e.getMessage());
            return 1;
        }
        if (answer.status() != 200) {
            err.println(answer.error());
            return answer.status() == 404 ? 2 : 1;
        }
        if (json) {
            out.println(answer.body());
        } else {
            out.printf("%-20s %-12s %10s %10s %10s%n", "HANDLER", "CAP", "LIMIT", "USED", "REMAINING");
            for (JsonNode h : answer.body().path("handlers")) {
                for (JsonNode cap : h.path("caps")) {
                    out.printf("%-20s %-12s %10s %10d %10s%n", h.path("handler").asText(), cap.path("cap").asText(),
                            cap.path("limit").isNull() ? "-" : cap.path("limit").asText(), cap.path("used").asInt(),
                            cap.path("remaining").isNull() ? "-" : cap.path("remaining").asText());
                }
            }
        }
        out.flush();
        return 0;
    }
}
