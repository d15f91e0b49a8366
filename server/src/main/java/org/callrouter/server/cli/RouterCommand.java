package org.callrouter.server.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code router} command line: one picocli subcommand per operator task; with none, it
 * serves on the default configuration.
 */
@Command(name = "router", mixinStandardHelpOptions = true,
        description = "Call-tracking SIP router.",
        subcommands = {
                ServeCommand.class,
                CheckConfigCommand.class,
                ExplainCommand.class,
                NumbersCommand.class,
                CapsCommand.class,
                CallbacksCommand.class,
                PoolsCommand.class,
                ReportCommand.class,
                LeadsCommand.class,
                SipParseCommand.class,
                WarmUpCommand.class,
                CommandLine.HelpCommand.class
        })
public final class RouterCommand implements Callable<Integer> {

    static {
        // Chronicle must not phone home or print a banner, whoever launched the JVM.
        System.setProperty("chronicle.analytics.disable", "true");
        System.setProperty("chronicle.announcer.disable", "true");
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new RouterCommand()).execute(args));
    }

    @Override
    public Integer call() {
        return new ServeCommand().call();
    }
}
