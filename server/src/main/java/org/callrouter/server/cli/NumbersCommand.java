package org.callrouter.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code router numbers ...}: the tracked numbers store. */
@Command(name = "numbers", mixinStandardHelpOptions = true,
        description = "Manages tracked numbers.",
        subcommands = {NumbersImportCommand.class, NumbersRemoveCommand.class, NumbersQuarantineCommand.class, NumbersHealthCommand.class,
            CommandLine.HelpCommand.class})
public final class NumbersCommand {
}
