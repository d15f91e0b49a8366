package org.callrouter.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code router leads ...}: leads as the running router's lead store holds them, through its
 * admin API (the embedded database file is the running router's).
 */
@Command(name = "leads", mixinStandardHelpOptions = true,
        description = {"Shows leads through the running router's admin API.",
            "Exit codes: 0 done, 1 no router answers or it refused, 2 unknown lead."},
        subcommands = {LeadsShowCommand.class, CommandLine.HelpCommand.class})
public final class LeadsCommand {
}
