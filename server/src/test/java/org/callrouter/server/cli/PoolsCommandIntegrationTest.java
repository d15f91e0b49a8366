package org.callrouter.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import org.callrouter.server.TestConfig;
import org.callrouter.server.admin.RouterService;
import org.callrouter.server.sipua.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code router pools} and {@code router pools size --pool} against a real running router whose
 * pool has visitors (sessions made through its tracking listener); with no router running the
 * commands say so.
 */
class PoolsCommandIntegrationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void listsPoolsAndComparesASizingWithTheRunningPool() throws IOException, InterruptedException {
        final int adminPort = Ports.free(48000, 48399);
        final String config = dir.resolve("router.yaml").toString();
        final var loaded = TestConfig.load(dir, """
                server:
                  data_dir: %s
                  sip: { listen: ["udp:127.0.0.1:%d"], t1_ms: 100 }
                  health: { enabled: false }
                  admin: { listen: "127.0.0.1:%d", tokens: [ { name: ops, scope: admin, token: "ops-token-0123456789" } ] }
                  tracking: { listen: "127.0.0.1:0" }
                sources: [ { id: web } ]
                handlers: [ { id: office, uri: "sip:office@127.0.0.1:5080" } ]
                campaigns:
                  - id: solar
                    handlers: [office]
                    pools:
                      - id: solar-web
                        numbers: ["+18005550200", "+18005550201", "+18005550202", "+18005550203"]
                        source: web
                        allowed_origins: ["https://solar.example"]
                """.formatted(dir.resolve("data"), Ports.free(48000, 48399), adminPort));
        try (RouterService router = RouterService.start(loaded, Clock.systemUTC())) {
            final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
            for (int i = 0; i < 3; i++) {
                final HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                + router.trackingAddress().getPort() + "/v1/pools/solar-web/sessions")).timeout(TIMEOUT)
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, created.statusCode(), created.body());
            }

            final CliTest.Run list = CliTest.run("pools", "--config", config);
            assertEquals(0, list.exit(), list::err);
            assertTrue(list.out().matches("(?s).*POOL\\s+CAMPAIGN\\s+SIZE\\s+HELD\\s+FREE\\s+EXHAUSTED\\n"
                    + "solar-web\\s+solar\\s+4\\s+3\\s+1\\s+0\\n.*"), list.out());
            final CliTest.Run json = CliTest.run("pools", "--config", config, "--json");
            assertEquals(0, json.exit(), json::err);
            assertTrue(json.out().contains("\"pool\":\"solar-web\"") && json.out().contains("\"held\":3"), json.out());

            final CliTest.Run size = CliTest.run("pools", "size", "--config", config, "--visitors-per-hour", "20",
                    "--session-minutes", "30", "--pool", "solar-web");
            assertEquals(0, size.exit(), size::err);
            assertTrue(size.out().contains("numbers needed:      13 (with 25% headroom)\n"), size.out());
            assertTrue(size.out().contains("pool solar-web now:  4 numbers, 3 held (75% in use)\n"), size.out());
            assertTrue(size.out().contains("at this traffic:     250% of the pool held on average; 9 more numbers "
                    + "needed\n"), size.out());
            final CliTest.Run unknown = CliTest.run("pools", "size", "--config", config, "--visitors-per-hour", "20",
                    "--session-minutes", "30", "--pool", "nope");
            assertEquals(2, unknown.exit());
            assertTrue(unknown.err().contains("no pool \"nope\" in the running router"), unknown.err());
        }
        final CliTest.Run down = CliTest.run("pools", "--config", config);
        assertEquals(1, down.exit());
        assertTrue(down.err().contains("no router answers at http://127.0.0.1:" + adminPort), down.err());
        final CliTest.Run sizeDown = CliTest.run("pools", "size", "--config", config, "--visitors-per-hour", "20",
                "--session-minutes", "30", "--pool", "solar-web");
        assertEquals(1, sizeDown.exit());
        assertTrue(sizeDown.out().contains("numbers needed:      13"), "the sizing is printed anyway: " + sizeDown.out());
        assertTrue(sizeDown.err().contains("no router answers"), sizeDown.err());
    }
}
