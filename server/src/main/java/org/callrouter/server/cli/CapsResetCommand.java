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

/** {@code router caps reset}: sets one window's count of a handler to zero in the running router. */
@Command(name = "reset", mixinStandardHelpOptions = true,
        description = {"Resets a handler's count in one window (hourly, daily, monthly or total) to zero in the",
            "running router (POST /v1/caps/<handler>/reset). Calls under way keep their reservations."})
public final class CapsResetCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOption config;

    @Option(names = "--handler", required = true, paramLabel = "ID", description = "the handler")
    private String handler;

    @Option(names = "--window", required = true, paramLabel = "W", description = "hourly, daily, monthly or total")
    private String window;

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
            answer = AdminClient.of(loaded).send("POST", "/v1/caps/" + URLEncoder.encode(handler, StandardCharsets.UTF_8)
                    + "/reset?window=" + URLEncoder.encode(window, StandardCharsets.UTF_8));
        } catch (AdminClient.Unreachable e) {
            err.println(e.getMessage());
            return 1;
        }
        if (answer.status() != 200) {
            err.println(answer.error());
            return answer.status() == 400 || answer.status() == 404 ? 2 : 1;
        }
        for (JsonNode cap : answer.body().path("caps")) {
            if (cap.path("cap").asText().equals(window)) {
                out.println(handler + " " + window + " reset: used " + cap.path("used").asInt() + ", remaining "
                        + (cap.path("remaining").isNull() ? "unlimited" : cap.path("remaining").asText()));
            }
        }
        out.flush();
        return 0;
    }
}
