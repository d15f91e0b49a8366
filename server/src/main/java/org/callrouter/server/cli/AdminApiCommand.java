package org.callrouter.server.cli;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import org.callrouter.routing.config.RouterConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that is one request to the running router's admin API: it loads the configuration,
 * sends the request and prints the refusal or unreachability to stderr, so each command only
 * says what to ask and how to print the answer.
 */
abstract class AdminApiCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOption config;

    /** The HTTP method of the request: {@code GET} unless the command changes something. */
    String method() {
        return "GET";
    }

    /** The request's path and query, encoded. */
    abstract String path();

    /** The request's JSON body; none (null) unless the command sends one. */
    String body() {
        return null;
    }

    /** Whether a refusal with {@code status} is the operator's mistake (exit 2) rather than a failure (exit 1). */
    abstract boolean operatorError(int status);

    /** Sends the request; a command that shows progress while it waits overrides this. */
    AdminClient.Answer ask(AdminClient client) throws AdminClient.Unreachable {
        return client.send(method(), path(), body());
    }

    /** Prints the body of a 200 answer. */
    abstract void print(JsonNode body, PrintWriter out);

    @Override
    public final Integer call() {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final RouterConfig loaded = config.load(err);
        if (loaded == null) {
            return 1;
        }
        final AdminClient.Answer answer;
        try {
            answer = ask(AdminClient.of(loaded));
        } catch (AdminClient.Unreachable e) {
            err.println(e.getMessage());
            return 1;
        }
        if (answer.status() != 200) {
            err.println(answer.error());
            return operatorError(answer.status()) ? 2 : 1;
        }
        print(answer.body(), out);
        out.flush();
        return 0;
    }

    /** {@code value} as one path segment or query value. */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
