package org.callrouter.server.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.callrouter.routing.config.RouterConfig;
import org.callrouter.server.RouterServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code router warm-up [--config FILE]}: runs the warm-up a start runs (synthetic calls over
 * loopback through a throwaway router with the configuration's number of SIP workers, the records,
 * a live-call store and, when the configuration keeps a lead store, an ingest, all in a temporary
 * directory) and exits. The launcher runs
 * it once per build with {@code -XX:ArchiveClassesAtExit}, so that the classes a router loads are
 * in a class-data archive that later starts map instead of loading them from the jar.
 */
@Command(name = "warm-up", mixinStandardHelpOptions = true,
        description = "Run the start's warm-up on synthetic calls in a temporary directory, then exit.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:the warm-up ran", "1:the configuration is invalid or the warm-up failed"})
public final class WarmUpCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Configuration whose SIP workers and lead-store setting the warm-up follows "
                    + "(default: config/router.yaml).")
    Path config;

    @Override
    public Integer call() {
        final RouterConfig loaded = ConfigReports.load(config, new PrintWriter(System.err, true));
        if (loaded == null) {
            return 1;
        }
        final RouterServer.WarmUp done = RouterServer.warmUp(loaded).join();
        if (done.loops() != null) {
            done.loops().close();
        }
        System.out.println(done.summary());
        return done.ran() ? 0 : 1;
    }
}
