package org.callrouter.server.cli;

import java.io.PrintWriter;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code router caps reset}: sets one window's count of a handler to zero in the running router. */
@Command(name = "reset", mixinStandardHelpOptions = true,
        description = {"Resets a handler's count in one window (hourly, daily, monthly or total) to zero in the",
            "running router (POST /v1/caps/<handler>/reset). Calls under way keep their reservations."})
public final class CapsResetCommand extends AdminApiCommand {

    @Option(names = "--handler", required = true, paramLabel = "ID", description = "the handler")
    private String handler;

    @Option(names = "--window", required = true, paramLabel = "W", description = "hourly, daily, monthly or total")
    private String window;

    @Override
    String method() {
        return "POST";
    }

    @Override
    String path() {
        return "/v1/caps/" + encode(handler) + "/reset?window=" + encode(window);
    }

    @Override
    boolean operatorError(int status) {
        return status == 400 || status == 404;
    }

    @Override
    void print(JsonNode body, PrintWriter out) {
        for (JsonNode cap : body.path("caps")) {
            if (cap.path("cap").asText().equals(window)) {
                out.println(handler + " " + window + " reset: used " + cap.path("used").asInt() + ", remaining "
                        + (cap.path("remaining").isNull() ? "unlimited" : cap.path("remaining").asText()));
            }
        }
    }
}
