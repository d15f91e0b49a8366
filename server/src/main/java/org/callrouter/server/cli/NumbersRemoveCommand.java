package org.callrouter.server.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

import org.callrouter.routing.config.RouterConfig;
import org.callrouter.routing.phone.PhoneNumbers;
import org.callrouter.routing.store.NumberRemoval;
import org.callrouter.routing.store.StoreException;
import org.callrouter.routing.store.Stores;
import org.callrouter.server.quarantine.QuarantineAudit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code router numbers remove NUMBER...}: takes imported numbers out of their campaigns into
 * quarantine, in the configured data directory, beside a running router (as
 * {@code numbers import} writes there).
 */
@Command(name = "remove", mixinStandardHelpOptions = true,
        description = {"Removes imported tracked numbers: each enters quarantine for number_policy.quarantine_days",
            "(as DELETE /v1/numbers/<number>), audited in <data_dir>/" + QuarantineAudit.FILE + ".",
            "A number the configuration file lists is refused: remove it there and reload.",
            "Safe while a router serves from the same data directory.",
            "Exit codes: 0 all removed, 2 some refused (not tracked, listed in the configuration,",
            "already quarantined; the others are removed), 1 an error."})
public final class NumbersRemoveCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "NUMBER", description = "the numbers (E.164 or a national form)")
    private List<String> numbers;

    @Mixin
    private ConfigOption config;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RouterConfig loaded = config.load(err);
        if (loaded == null) {
            return 1;
        }
        PhoneNumbers phones = new PhoneNumbers(loaded.defaultRegion());
        QuarantineAudit audit = new QuarantineAudit(loaded.server().dataDir());
        String actor = QuarantineAudit.cliActor();
        int refused = 0;
        try (Stores stores = Stores.open(loaded.server().dataDir(), loaded.server().stores(), Stores.Access.NUMBERS)) {
            NumberRemoval removal = new NumberRemoval(loaded, stores.numbers(), stores.quarantine());
            for (String text : numbers) {
                long e164 = phones.parse(text);
                if (e164 < 0) {
                    err.println("\"" + text + "\" is not a phone number (default region " + loaded.defaultRegion() + ")");
                    refused++;
                    continue;
                }
                NumberRemoval.Result result = removal.remove(e164, System.currentTimeMillis(), q -> {
                    try {
                        audit.record(q.removedAtMs(), actor, "remove", q, loaded.numberPolicy());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                if (result.outcome() == NumberRemoval.Outcome.REMOVED) {
                    out.println(result.quarantined().number() + " removed from campaign " + result.quarantined().campaign()
                            + "; quarantined until "
                            + Instant.ofEpochMilli(result.quarantined().untilMs(loaded.numberPolicy())));
                } else {
                    err.println(result.reason());
                    refused++;
                }
            }
        } catch (UncheckedIOException e) {
            err.println("the quarantine audit cannot be written, so the number was not removed: "
                    + e.getCause().getMessage());
            return 1;
        } catch (StoreException e) {
            err.println(e.getMessage());
            return 1;
        }
        return refused == 0 ? 0 : 2;
    }
}
