package org.callrouter.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import org.callrouter.server.Await;
import org.callrouter.server.TestConfig;
import org.callrouter.server.admin.RouterService;
import org.callrouter.server.sipua.Behaviour;
import org.callrouter.server.sipua.Peers;
import org.callrouter.server.sipua.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code router callbacks list|cancel} against a real running router: a call nobody answers
 * schedules a callback (its try an hour away), the command lists it, cancels it, and refuses a
 * second cancel (exit 2). Ports 47950-47999.
 */
class CallbacksCommandIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String NUMBER = "+18005550100";

    @TempDir
    Path dir;

    @Test
    void listsAndCancelsACallbackOfTheRunningRouter() {
        final int sipPort = Ports.free(47950, 47999);
        final int adminPort = Ports.free(47950, 47999);
        try (Peers peers = Peers.open(47950, 47999)) {
            peers.first().behaviour(Behaviour.busy());
            peers.second().behaviour(Behaviour.busy());
            final String config = dir.resolve("router.yaml").toString();
            final var loaded = TestConfig.load(dir, """
                    server:
                      data_dir: %s
                      sip: { listen: ["udp:127.0.0.1:%d"], t1_ms: 100 }
                      health: { enabled: false }
                      admin: { listen: "127.0.0.1:%d", tokens: [ { name: ops, scope: admin, token: "ops-token-0123456789" } ] }
                    sources: [ { id: web } ]
                    handlers:
                      - { id: first, uri: "%s" }
                    campaigns:
                      - { id: sales, handlers: [first], callback: { enabled: true, intervals: [1h], trunk: out } }
                    numbers: [ { number: "%s", campaign: sales, source: web } ]
                    trunks: [ { id: out, uri: "sip:127.0.0.1:9", caller_id: "+18005550199" } ]
                    """.formatted(dir.resolve("data"), sipPort, adminPort, peers.first().uri(), NUMBER));
            try (RouterService router = RouterService.start(loaded, Clock.systemUTC())) {
                final String caller = peers.carrier().call("127.0.0.1:" + sipPort, NUMBER).callerNumber();
                Await.until(WAIT, () -> router.callbacks().live() == 1, () -> "a callback: " + router.callbacks().list());
                final String id = router.callbacks().list().get(0).id();

                final CliTest.Run listed = CliTest.run("callbacks", "list", "--config", config, "--state", "pending");
                assertEquals(0, listed.exit(), listed::err);
                assertTrue(listed.out().matches("(?s).*" + id + "\\s+sales\\s+\\" + caller + "\\s+pending\\s+0\\s.*busy.*"),
                        listed.out());
                final CliTest.Run bad = CliTest.run("callbacks", "list", "--config", config, "--state", "waiting");
                assertEquals(2, bad.exit(), bad::out);
                assertTrue(bad.err().contains("state must be one of"), bad.err());

                final CliTest.Run cancelled = CliTest.run("callbacks", "cancel", "--config", config, id);
                assertEquals(0, cancelled.exit(), cancelled::err);
                assertTrue(cancelled.out().contains(id + " cancelled (" + caller + ", campaign sales, after 0 tries)"),
                        cancelled.out());
                final CliTest.Run again = CliTest.run("callbacks", "cancel", "--config", config, id);
                assertEquals(2, again.exit(), again::out);
                assertTrue(again.err().contains("is already cancelled"), again.err());
            }
        }
    }
}
