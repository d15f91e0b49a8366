package org.callrouter.server.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import org.callrouter.routing.config.RouterConfig;
import org.callrouter.routing.pool.PoolSizing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code router pools size}: the numbers a pool needs for a traffic ({@link PoolSizing}, Little's
 * law), and with {@code --pool} how that compares with the pool the running router has.
 */
@Command(name = "size", mixinStandardHelpOptions = true,
        description = {"Prints the pool size a traffic needs by Little's law: concurrent visitors =",
            "visitors per hour / 3600 x session minutes x 60, times (1 + headroom), rounded up.",
            "With --pool, also that pool's size and use now in the running router.",
            "Exit codes: 0 done, 1 the router could not be asked about --pool, 2 bad option or unknown pool."})
public final class PoolsSizeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOption config;

    @Option(names = "--visitors-per-hour", required = true, paramLabel = "N",
            description = "new visitors (sessions) an hour at the busiest hour")
    private double visitorsPerHour;

    @Option(names = "--session-minutes", required = true, paramLabel = "M",
            description = "minutes a visitor holds a number: the visit plus lease_seconds after the last renewal")
    private double sessionMinutes;

    @Option(names = "--headroom", paramLabel = "FRACTION", defaultValue = "0.25",
            description = "added on top of the average for bursts (default: ${DEFAULT-VALUE} = 25%%)")
    private double headroom;

    @Option(names = "--pool", paramLabel = "ID", description = "compare with this pool of the running router")
    private String pool;

    @Override
    public Integer call() {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final PoolSizing sizing;
        try {
            sizing = new PoolSizing(visitorsPerHour, sessionMinutes, headroom);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
        out.printf("concurrent visitors: %s (%s an hour x %s minutes / 60)%n", sizing.concurrentVisitors()
                .toPlainString(), plain(visitorsPerHour), plain(sessionMinutes));
        out.printf("numbers needed:      %d (with %s%% headroom)%n", sizing.numbersNeeded(), plain(headroom * 100));
        out.flush();
        return pool == null ? 0 : compare(sizing, out, err);
    }

    /** The running router's pool against the sizing. */
    private int compare(PoolSizing sizing, PrintWriter out, PrintWriter err) {
        final RouterConfig loaded = config.load(err);
        if (loaded == null) {
            return 1;
        }
        final AdminClient.Answer answer;
        try {
            answer = AdminClient.of(loaded).send("GET", "/v1/pools");
        } catch (AdminClient.Unreachable e) {
            err.println("pool " + pool + ": " + e.getMessage());
            return 1;
        }
        if (answer.status() != 200) {
            err.println(answer.error());
            return 1;
        }
        for (JsonNode p : answer.body().path("pools")) {
            if (p.path("pool").asText().equals(pool)) {
                final int size = p.path("size").asInt();
                final int held = p.path("held").asInt();
                out.printf("pool %s now:  %d numbers, %d held (%s%% in use)%n", pool, size, held,
                        size == 0 ? "-" : plain(Math.round(1000.0 * held / size) / 10.0));
                if (size > 0) {
                    out.printf("at this traffic:     %s%% of the pool held on average; %s%n",
                            plain(Math.round(1000 * sizing.utilisation(size)) / 10.0),
                            size >= sizing.numbersNeeded() ? "the pool is big enough"
                                    : (sizing.numbersNeeded() - size) + " more numbers needed");
                }
                out.flush();
                return 0;
            }
        }
        err.println("no pool \"" + pool + "\" in the running router");
        return 2;
    }

    /** A number without a trailing ".0". */
    private static String plain(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : Double.toString(value);
    }
}
