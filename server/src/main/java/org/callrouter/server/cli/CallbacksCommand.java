package org.callrouter.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code router callbacks ...}: the running router's callbacks of lost calls. The schedule is the
 * running router's ({@code <data_dir>/callbacks.dat}), so these commands ask its admin API.
 */
@Command(name = "callbacks", mixinStandardHelpOptions = true,
        description = {"Lists or cancels callbacks of lost calls through the running router's admin API.",
            "Exit codes: 0 done, 1 no router answers or it refused, 2 bad option, unknown or finished callback."},
        subcommands = {CallbacksListCommand.class, CallbacksCancelCommand.class, CommandLine.HelpCommand.class})
public final class CallbacksCommand {
}
