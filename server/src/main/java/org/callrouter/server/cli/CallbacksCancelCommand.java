package org.callrouter.server.cli;

import java.io.PrintWriter;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code router callbacks cancel ID}: cancels a pending callback (DELETE /v1/callbacks/ID). */
@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = "Cancels a pending callback in the running router (DELETE /v1/callbacks/<id>).")
public final class CallbacksCancelCommand extends AdminApiCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "the callback's id (router callbacks list)")
    private String id;

    @Override
    String method() {
        return "DELETE";
    }

    @Override
    String path() {
        return "/v1/callbacks/" + encode(id);
    }

    @Override
    boolean operatorError(int status) {
        return status == 404 || status == 409;
    }

    @Override
    void print(JsonNode body, PrintWriter out) {
        out.println(body.path("id").asText() + " cancelled (" + body.path("customer").asText() + ", campaign "
                + body.path("campaign").asText() + ", after " + body.path("tries").asInt() + " tries)");
    }
}
