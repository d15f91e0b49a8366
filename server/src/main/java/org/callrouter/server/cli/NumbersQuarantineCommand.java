package org.callrouter.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code router numbers quarantine ...}: numbers removed from their campaigns. */
@Command(name = "quarantine", mixinStandardHelpOptions = true,
        description = {"Numbers removed from their campaigns wait in quarantine (number_policy.quarantine_days,",
            "then number_policy.quiet_days without a call) before they may be assigned again."},
        subcommands = {NumbersQuarantineListCommand.class, NumbersQuarantineReleaseCommand.class,
            CommandLine.HelpCommand.class})
public final class NumbersQuarantineCommand {
}
