package org.callrouter.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import org.callrouter.server.TestConfig;
import org.callrouter.server.admin.RouterService;
import org.callrouter.server.sipua.Behaviour;
import org.callrouter.server.sipua.CarrierCall;
import org.callrouter.server.sipua.Peers;
import org.callrouter.server.sipua.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code router caps show|reset} against a real running router: a call spends a handler's
 * total cap, the command shows it, resets it through the admin API, and the next call goes
 * to that handler again; with no router running the command says so.
 */
class CapsCommandIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String NUMBER = "+18005550100";

    @TempDir
    Path dir;

    @Test
    void showsAndResetsATotalCapOfTheRunningRouter() {
        final int sipPort = Ports.free(48000, 48399);
        final int adminPort = Ports.free(48000, 48399);
        try (Peers peers = Peers.open(48000, 48399)) {
            peers.first().behaviour(Behaviour.answer());
            peers.second().behaviour(Behaviour.answer());
            final String config = dir.resolve("router.yaml").toString();
            final var loaded = TestConfig.load(dir, """
                    server:
                      data_dir: %s
                      sip: { listen: ["udp:127.0.0.1:%d"], t1_ms: 100 }
                      health: { enabled: false }
                      admin: { listen: "127.0.0.1:%d", tokens: [ { name: ops, scope: admin, token: "ops-token-0123456789" } ] }
                    sources: [ { id: web } ]
                    handlers:
                      - { id: first, uri: "%s", caps: { total: 1 } }
                      - { id: second, uri: "%s", priority: 2 }
                    campaigns: [ { id: sales, handlers: [first, second] } ]
                    numbers: [ { number: "%s", campaign: sales, source: web } ]
                    """.formatted(dir.resolve("data"), sipPort, adminPort, peers.first().uri(), peers.second().uri(),
                    NUMBER));
            try (RouterService router = RouterService.start(loaded, Clock.systemUTC())) {
                call(peers, sipPort);
                final CliTest.Run shown = CliTest.run("caps", "show", "--config", config, "--handler", "first");
                assertEquals(0, shown.exit(), shown::err);
                assertTrue(shown.out().matches("(?s).*first\\s+total\\s+1\\s+1\\s+0\\n.*"), shown.out());

                final CliTest.Run bad = CliTest.run("caps", "reset", "--config", config, "--handler", "first",
                        "--window", "concurrency");
                assertEquals(2, bad.exit(), bad::out);
                assertTrue(bad.err().contains("window must be"), bad.err());
                final CliTest.Run reset = CliTest.run("caps", "reset", "--config", config, "--handler", "first",
                        "--window", "total");
                assertEquals(0, reset.exit(), reset::err);
                // The router logs to the same console in this process: look for the command's line.
                assertTrue(reset.out().contains("first total reset: used 0, remaining 1\n"), reset.out());

                call(peers, sipPort);
                assertEquals(2, peers.first().inviteCount(), "after the reset the first handler takes the call");
                final CliTest.Run all = CliTest.run("caps", "show", "--config", config);
                assertEquals(0, all.exit(), all::err);
                assertTrue(all.out().contains("second"), all.out());
            }
            final CliTest.Run down = CliTest.run("caps", "show", "--config", config);
            assertEquals(1, down.exit());
            assertTrue(down.err().contains("no router answers at http://127.0.0.1:" + adminPort), down.err());
        }
    }

    private static void call(Peers peers, int sipPort) {
        final CarrierCall call = peers.carrier().call("127.0.0.1:" + sipPort, NUMBER);
        assertEquals(200, call.awaitFinal(WAIT).status());
        assertEquals(200, call.bye(WAIT).status());
    }
}
