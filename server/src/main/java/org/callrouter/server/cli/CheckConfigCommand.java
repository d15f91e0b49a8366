package org.callrouter.server.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code router check-config FILE}: every error as {@code file:line:column: path: message}, or {@code ok}. */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = {"Validates a configuration file.",
            "Prints every error (file:line:column: path: message) and exits 1, or prints ok and exits 0."})
public final class CheckConfigCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the YAML configuration")
    private Path file;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (ConfigReports.load(file, out) == null) {
            return 1;
        }
        out.println("ok");
        return 0;
    }
}
