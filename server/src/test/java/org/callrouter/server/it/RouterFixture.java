package org.callrouter.server.it;

import java.nio.file.Path;
import java.time.Clock;

import org.callrouter.routing.config.RouterConfig;
import org.callrouter.server.RouterServer;
import org.callrouter.server.TestConfig;
import org.callrouter.server.records.CallEvents;
import org.callrouter.server.sipua.Ports;
import org.callrouter.server.transaction.MessageCounters;

/**
 * A real router on loopback for integration tests: UDP and TCP on a free port in 45000-45999,
 * its own data directory, health probes off unless the YAML turns them on, and the routing
 * part of the configuration given by the test.
 */
final class RouterFixture implements AutoCloseable {

    private final Path dataDir;
    private final String routing;
    private final String extraSip;
    private final String extraServer;
    private final Clock clock;
    private final CallEvents events;
    private final MessageCounters counters;
    private final int port;
    private RouterServer server;

    private RouterFixture(Path dataDir, String routing, String extraSip, String extraServer, Clock clock,
                          CallEvents events, MessageCounters counters) {
        this.dataDir = dataDir;
        this.routing = routing;
        this.extraSip = extraSip;
        this.extraServer = extraServer;
        this.clock = clock;
        this.events = events;
        this.counters = counters;
        this.port = Ports.freeBlock(45000, 45999, 1);
    }

    /**
     * Starts a router.
     *
     * @param dataDir     a fresh directory for its stores.
     * @param routing     YAML for sources, handlers, campaigns and numbers.
     * @param extraSip    YAML lines added under {@code server.sip}, indented by four spaces, or "".
     * @param extraServer YAML lines added under {@code server}, indented by two spaces, or "";
     *                    health probing is off unless these set {@code health}.
     */
    static RouterFixture start(Path dataDir, String routing, String extraSip, String extraServer, Clock clock,
                               CallEvents events, MessageCounters counters) {
        final RouterFixture fixture = new RouterFixture(dataDir, routing, extraSip, extraServer, clock, events,
                counters);
        fixture.startServer();
        return fixture;
    }

    static RouterFixture start(Path dataDir, String routing) {
        return start(dataDir, routing, "");
    }

    /** As {@link #start(Path, String)} with extra lines under {@code server.sip}. */
    static RouterFixture start(Path dataDir, String routing, String extraSip) {
        return start(dataDir, routing, extraSip, "", Clock.systemUTC(), CallEvents.NONE, MessageCounters.NONE);
    }

    /** {@code 127.0.0.1:port}, where carriers send calls. */
    String hostPort() {
        return "127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    RouterServer server() {
        return server;
    }

    /** Stops the router (ending live calls) and starts it again on the same port and data directory. */
    void restart() {
        server.close();
        startServer();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    private void startServer() {
        server = RouterServer.start(config(), clock, events, counters);
    }

    private RouterConfig config() {
        final String yaml = """
                server:
                  data_dir: %s
                  sip:
                    listen: ["udp:127.0.0.1:%d", "tcp:127.0.0.1:%d"]
                    t1_ms: 100
                %s
                  admin: { listen: "127.0.0.1:0" }
                %s
                %s
                """.formatted(dataDir.toAbsolutePath(), port, port, extraSip.stripTrailing(),
                extraServer.contains("health:") ? extraServer.stripTrailing() : "  health: { enabled: false }\n"
                        + extraServer.stripTrailing(),
                routing);
        return TestConfig.load(dataDir, yaml);
    }
}
