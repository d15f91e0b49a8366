package org.callrouter.server.cli;

import java.io.PrintWriter;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

/** {@code router numbers health}: each number's share of spam and misdirected calls. */
@Command(name = "health", mixinStandardHelpOptions = true,
        description = {"Lists the numbers called in the last number_policy.spam_window_days days with their calls,",
            "spam and misdirected marks and share; FLAGGED numbers reached number_policy.spam_threshold",
            "and should be replaced (GET /v1/numbers/health)."})
public final class NumbersHealthCommand extends AdminApiCommand {

    @Override
    String path() {
        return "/v1/numbers/health";
    }

    @Override
    boolean operatorError(int status) {
        return false;
    }

    @Override
    void print(JsonNode body, PrintWriter out) {
        out.printf("last %d days, flagged at a share of %s with at least %d calls%n", body.path("window_days").asInt(),
                body.path("threshold").asText(), body.path("min_calls").asInt());
        out.printf("%-16s %7s %6s %12s %6s %s%n", "NUMBER", "CALLS", "SPAM", "MISDIRECTED", "SHARE", "");
        for (JsonNode n : body.path("numbers")) {
            out.printf("%-16s %7d %6d %12d %5.0f%% %s%n", n.path("number").asText(), n.path("calls").asLong(),
                    n.path("spam").asLong(), n.path("misdirected").asLong(), n.path("share").asDouble() * 100,
                    n.path("flagged").asBoolean() ? "FLAGGED" : "");
        }
    }
}
