package org.callrouter.server.it;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.callrouter.server.Await;
import org.callrouter.server.RouterServer;
import org.callrouter.server.TestConfig;
import org.callrouter.server.records.CallEvents;
import org.callrouter.server.sipua.Ports;
import org.callrouter.server.transaction.MessageCounters;

/**
 * In-process routers of one test that share one Redis ({@code cluster:}), each with its own data
 * directory under the test's and a SIP port of the test's band.
 */
final class ClusterNodes {

    static final Duration WAIT = Duration.ofSeconds(20);
    /** The {@code server:} line of a router with a tracking listener (absent, the listener is off). */
    private static final String TRACKING = "\n  tracking: { listen: \"127.0.0.1:0\" }";

    private final Path dir;
    private final Clock clock;
    private final int firstPort;
    private final int lastPort;

    ClusterNodes(Path dir, Clock clock, int firstPort, int lastPort) {
        this.dir = dir;
        this.clock = clock;
        this.firstPort = firstPort;
        this.lastPort = lastPort;
    }

    /** Starts router {@code id} of three with {@code routing} (sources, handlers, campaigns, numbers). */
    RouterServer start(String id, String redisUri, int timeoutMs, String routing, CallEvents events) {
        return start(id, redisUri, timeoutMs, routing, events, false);
    }

    /** As {@link #start}, with the router's tracking listener (number pools) on a free loopback port. */
    RouterServer startWithTracking(String id, String redisUri, int timeoutMs, String routing, CallEvents events) {
        return start(id, redisUri, timeoutMs, routing, events, true);
    }

    private RouterServer start(String id, String redisUri, int timeoutMs, String routing, CallEvents events,
                               boolean tracking) {
        final int port = Ports.free(firstPort, lastPort);
        final Path data = dir.resolve(id);
        final String yaml = """
                server:
                  data_dir: %s
                  sip:
                    listen: ["udp:127.0.0.1:%d"]
                    t1_ms: 100
                  admin: { listen: "127.0.0.1:0" }
                  health: { enabled: false }%s
                cluster: { redis: "%s", node_id: %s, nodes: 3, timeout_ms: %d }
                %s
                """.formatted(data.toAbsolutePath(), port, tracking ? TRACKING : "", redisUri, id, timeoutMs, routing);
        return RouterServer.start(TestConfig.load(data, yaml), clock, events, MessageCounters.NONE);
    }

    static String hostPort(RouterServer router) {
        return "127.0.0.1:" + router.sockets().get(0).address().getPort();
    }

    /** Waits until every router's Redis connection is up (they connect in the background). */
    static void awaitConnected(List<RouterServer> routers) {
        for (RouterServer router : routers) {
            Await.until(WAIT, () -> router.sharedCaps().connected(), () -> "router not connected to Redis");
        }
    }
}
