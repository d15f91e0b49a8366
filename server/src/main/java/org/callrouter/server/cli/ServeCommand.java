package org.callrouter.server.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.callrouter.routing.config.ConfigException;
import org.callrouter.routing.config.ConfigLoader;
import org.callrouter.routing.config.RouterConfig;
import org.callrouter.server.StartPhases;
import org.callrouter.server.admin.RouterService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code router serve [--config FILE]}: runs the router (SIP, records, webhooks, metrics, admin
 * API) until SIGTERM/SIGINT, then drains (new INVITEs get 503, live calls may finish within
 * {@code server.drain_timeout_seconds}), writes out every record and exits 0. SIGHUP reloads the
 * configuration file. A configuration with errors is refused with every error, exit 1.
 */
@Command(name = "serve", description = "Run the router (the default command).", mixinStandardHelpOptions = true)
public final class ServeCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Configuration file (default: config/router.yaml).")
    Path config;

    @Override
    public Integer call() {
        StartPhases.jvmStarted();
        final StartPhases phases = new StartPhases();
        final Path file = config != null ? config : ConfigPaths.defaultConfig();
        final RouterConfig loaded;
        try {
            loaded = ConfigLoader.load(file);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        phases.ended("configuration " + file + " loaded");
        final RouterService server;
        try {
            server = RouterService.start(loaded, Clock.systemUTC());
        } catch (RuntimeException e) {
            System.err.println("router: cannot start: " + e.getMessage());
            LOG.debug("start failure", e);
            return 1;
        }
        LOG.info("start: ready {} ms after the process started", StartPhases.sinceProcessStartMs());
        // SIGTERM and SIGINT replace the JVM's default handling (exit 143 without draining):
        // the main thread drains, closes, and the process exits 0.
        final CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());
        Signal.handle(new Signal("HUP"), signal -> reload(server));
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("stopping: new calls refused, live calls may go on for up to {} s",
                server.config().server().drainTimeoutSeconds());
        server.drainAndClose(server.config().server().drainTimeoutSeconds() * 1000L);
        return 0;
    }

    /** SIGHUP: reload the configuration file; a refused file is logged with its errors and the old one stays. */
    private static void reload(RouterService server) {
        try {
            server.reload();
        } catch (ConfigException e) {
            LOG.error("SIGHUP: configuration refused, the running one stays:\n{}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("SIGHUP: reload failed, the running configuration stays", e);
        }
    }
}
