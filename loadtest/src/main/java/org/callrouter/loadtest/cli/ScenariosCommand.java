package org.callrouter.loadtest.cli;

import java.util.concurrent.Callable;
import org.callrouter.loadtest.plan.Scenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code loadgen scenarios}: the named scenarios, what options each sets, and what the router needs for it. */
@Command(name = "scenarios", mixinStandardHelpOptions = true,
        description = "List the named scenarios of 'loadgen run --scenario NAME'.")
public final class ScenariosCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        for (Scenario s : Scenario.values()) {
            out.println(s.id());
            out.println("  " + s.description());
            out.println("  options: " + s.asOptions());
            out.println("  router:  " + s.routerNote());
        }
        out.flush();
        return 0;
    }
}
