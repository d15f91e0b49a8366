package org.callrouter.server.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

import org.callrouter.routing.CallContext;
import org.callrouter.routing.PlanFormat;
import org.callrouter.routing.Router;
import org.callrouter.routing.RoutingPlan;
import org.callrouter.routing.config.RouterConfig;
import org.callrouter.routing.store.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code router explain}: where a call would go and why, from the configuration and the
 * stores as they are (beside a running router). Changes nothing: no cap is counted.
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"Shows the routing plan for a call: the handlers in order and why others are skipped.",
            "Reads the stores beside a running router and changes nothing.",
            "Exit codes: 0 explained, 1 configuration or store error, 2 unknown number or bad option."})
public final class ExplainCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOption config;

    @Option(names = "--number", required = true, paramLabel = "N", description = "the dialed number")
    private String number;

    @Option(names = "--caller", paramLabel = "C", description = "the caller's number (absent: anonymous)")
    private String caller;

    @Option(names = "--at", paramLabel = "ISO-8601", converter = InstantConverter.class,
            description = "when the call arrives, e.g. 2026-03-09T14:00:00Z or 2026-03-09T09:00-05:00 (default: now)")
    private Instant at;

    @Option(names = "--tag", paramLabel = "k=v", description = "a call tag (repeatable)")
    private Map<String, String> tags = new LinkedHashMap<>();

    @Option(names = "--json", description = "print the plan as JSON")
    private boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RouterConfig loaded = config.load(err);
        if (loaded == null) {
            return 1;
        }
        Clock clock = at == null ? Clock.systemUTC() : Clock.fixed(at, ZoneOffset.UTC);
        try (Router router = Router.openReadOnly(loaded, clock, new SplittableRandom())) {
            CallContext.Builder call = CallContext.builder().dialedNumber(number).callerNumber(caller);
            tags.forEach(call::tag);
            RoutingPlan plan = router.route(call.build());
            if (plan.outcome() == RoutingPlan.Outcome.UNKNOWN_NUMBER) {
                err.println("unknown number: " + plan.rejectionReason());
                return 2;
            }
            out.print(json ? PlanFormat.json(plan) + System.lineSeparator() : PlanFormat.text(plan));
            // print() does not flush picocli's auto-flushing writer, and exit would lose it.
            out.flush();
            return 0;
        } catch (StoreException e) {
            err.println(e.getMessage());
            return 1;
        }
    }

    /** ISO-8601 instants, with {@code Z} or an offset. */
    static final class InstantConverter implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("expected an ISO-8601 time with Z or an offset, such as "
                        + "2026-03-09T14:00:00Z, got '" + value + "'");
            }
        }
    }
}
