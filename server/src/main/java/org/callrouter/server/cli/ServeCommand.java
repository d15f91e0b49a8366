package org.callrouter.server.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.callrouter.routing.config.ConfigException;
import org.callrouter.routing.config.ConfigLoader;
import org.callrouter.routing.config.RouterConfig;
import org.callrouter.server.RouterServer;
import org.callrouter.server.records.CallEvents;
import org.callrouter.server.transaction.MessageCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code router serve [--config FILE]}: runs the router until SIGTERM/SIGINT, then drains
 * (new INVITEs get 503, live calls may finish within {@code server.drain_timeout_seconds}) and
 * exits 0. A configuration with errors is refused with every error, exit 1.
 */
@Command(name = "serve", description = "Run the router (the default command).", mixinStandardHelpOptions = true)
public final class ServeCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Configuration file (default: config/router.yaml).")
    Path config;

    @Override
    public Integer call() {
        final Path file = config != null ? config : ConfigPaths.defaultConfig();
        final RouterConfig loaded;
        try {
            loaded = ConfigLoader.load(file);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        final RouterServer server;
        try {
            server = RouterServer.start(loaded, Clock.systemUTC(), CallEvents.NONE, MessageCounters.NONE);
        } catch (RuntimeException e) {
            System.err.println("router: cannot start: " + e.getMessage());
            LOG.debug("start failure", e);
            return 1;
        }
        // SIGTERM and SIGINT replace the JVM's default handling (exit 143 without draining):
        // the main thread drains, closes, and the process exits 0.
        final CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("stopping: new calls refused, live calls may go on for up to {} s",
                loaded.server().drainTimeoutSeconds());
        server.drainAndClose(loaded.server().drainTimeoutSeconds() * 1000L);
        return 0;
    }
}
