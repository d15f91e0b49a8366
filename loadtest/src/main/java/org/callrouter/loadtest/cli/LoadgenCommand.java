package org.callrouter.loadtest.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code loadgen} command line: a SIP load generator playing carrier and handlers at once. */
@Command(name = "loadgen", mixinStandardHelpOptions = true,
        description = "SIP load generator: carrier and handler sides in one process, one clock.",
        subcommands = {RunCommand.class, ScenariosCommand.class, CommandLine.HelpCommand.class})
public final class LoadgenCommand {

    private LoadgenCommand() {
    }

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new LoadgenCommand()).execute(args));
    }
}
