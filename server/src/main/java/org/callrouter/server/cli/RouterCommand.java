package org.callrouter.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code router} command line: one picocli command per operator task.
 */
@Command(name = "router", mixinStandardHelpOptions = true,
        description = "Call-tracking SIP router.",
        subcommands = {
            CommandLine.HelpCommand.class,
            CheckConfigCommand.class,
            ExplainCommand.class,
            NumbersCommand.class,
        })
public final class RouterCommand {

    public static void main(String[] args) {
        System.exit(new CommandLine(new RouterCommand()).execute(args));
    }
}
