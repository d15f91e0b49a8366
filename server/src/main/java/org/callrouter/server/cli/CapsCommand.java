package org.callrouter.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code router caps ...}: handler caps as the running router counts them. The counts live in
 * the running router's cap store, so these commands ask its admin API ({@code /v1/caps});
 * with no router running there is nothing to show or reset that a start would not reload.
 */
@Command(name = "caps", mixinStandardHelpOptions = true,
        description = {"Shows or resets handler caps through the running router's admin API.",
            "Exit codes: 0 done, 1 no router answers or it refused, 2 bad option or unknown handler."},
        subcommands = {CapsShowCommand.class, CapsResetCommand.class, CommandLine.HelpCommand.class})
public final class CapsCommand {
}
