package org.callrouter.server.cli;

import java.io.PrintWriter;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

/** {@code router numbers quarantine list}: the quarantined numbers of the running router. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = {"Lists quarantined numbers: campaign left, when, calls since, until when",
            "(GET /v1/numbers/quarantine)."})
public final class NumbersQuarantineListCommand extends AdminApiCommand {

    @Override
    String path() {
        return "/v1/numbers/quarantine";
    }

    @Override
    boolean operatorError(int status) {
        return false;
    }

    @Override
    void print(JsonNode body, PrintWriter out) {
        out.printf("%-16s %-20s %-24s %6s %-24s %s%n", "NUMBER", "CAMPAIGN", "REMOVED", "CALLS", "UNTIL", "RELEASABLE");
        for (JsonNode n : body.path("numbers")) {
            out.printf("%-16s %-20s %-24s %6d %-24s %s%n", n.path("number").asText(), n.path("campaign").asText(),
                    n.path("removed_at").asText(), n.path("calls").asLong(), n.path("until").asText(),
                    n.path("releasable").asBoolean() ? "yes" : "no");
        }
    }
}
