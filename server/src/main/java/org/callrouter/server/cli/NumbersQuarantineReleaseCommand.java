package org.callrouter.server.cli;

import java.io.PrintWriter;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code router numbers quarantine release NUMBER [--force]}: takes a number out of quarantine. */
@Command(name = "release", mixinStandardHelpOptions = true,
        description = {"Takes a number out of quarantine so it may be assigned again",
            "(POST /v1/numbers/quarantine/<number>/release). Before its time only with --force;",
            "every release is audited in <data_dir>/quarantine-audit.jsonl.",
            "Exit codes: 0 released, 2 not quarantined or not yet releasable, 1 an error."})
public final class NumbersQuarantineReleaseCommand extends AdminApiCommand {

    @Parameters(index = "0", paramLabel = "NUMBER", description = "the number (E.164)")
    private String number;

    @Option(names = "--force", description = "release before the quarantine and quiet days have passed (audited)")
    private boolean force;

    @Override
    String method() {
        return "POST";
    }

    @Override
    String path() {
        return "/v1/numbers/quarantine/" + encode(number) + "/release";
    }

    @Override
    String body() {
        return "{\"force\": " + force + "}";
    }

    @Override
    boolean operatorError(int status) {
        return status == 400 || status == 404 || status == 409;
    }

    @Override
    void print(JsonNode body, PrintWriter out) {
        final JsonNode released = body.path("released");
        out.println(released.path("number").asText() + " released from quarantine (had left campaign "
                + released.path("campaign").asText() + (body.path("forced").asBoolean()
                ? "; forced before " + released.path("until").asText() : "") + ")");
    }
}
