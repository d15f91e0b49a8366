package org.callrouter.server.cli;

import java.io.PrintWriter;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code router pools}: each number pool with its size, the numbers visitors hold now, the free
 * ones and how often the pool was found exhausted, from the running router ({@code GET /v1/pools}:
 * leases live in the running router). {@code router pools size} says how big a pool should be.
 */
@Command(name = "pools", mixinStandardHelpOptions = true,
        description = {"Lists number pools with size, held, free and exhausted count, from the running router",
            "(GET /v1/pools). Exit codes: 0 done, 1 no router answers or it refused."},
        subcommands = {PoolsSizeCommand.class, CommandLine.HelpCommand.class})
public final class PoolsCommand extends AdminApiCommand {

    @Option(names = "--json", description = "print the API's JSON")
    private boolean json;

    @Override
    String path() {
        return "/v1/pools";
    }

    @Override
    boolean operatorError(int status) {
        return false;
    }

    @Override
    void print(JsonNode body, PrintWriter out) {
        if (json) {
            out.println(body);
            return;
        }
        out.printf("%-24s %-20s %8s %8s %8s %10s%n", "POOL", "CAMPAIGN", "SIZE", "HELD", "FREE", "EXHAUSTED");
        for (JsonNode pool : body.path("pools")) {
            out.printf("%-24s %-20s %8d %8d %8d %10d%n", pool.path("pool").asText(), pool.path("campaign").asText(),
                    pool.path("size").asInt(), pool.path("held").asInt(), pool.path("free").asInt(),
                    pool.path("exhausted").asLong());
        }
    }
}
