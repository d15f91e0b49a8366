package org.callrouter.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.callrouter.routing.config.RouterConfig;
import org.callrouter.server.Await;
import org.callrouter.server.admin.RouterService;
import org.callrouter.server.RouterProcess;
import org.callrouter.server.TestConfig;
import org.callrouter.server.sipua.Ports;
import org.callrouter.server.sipua.Sipp;
import org.callrouter.server.sipua.SippResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lead store fed from the journal across a {@code kill -9} and a clean restart (issue 12):
 * a router process (embedded DuckDB store, small batches so that a kill lands mid-ingest) takes
 * SIPp calls at 100/s, is killed while calls and the ingest flow, started again on the same data
 * directory, then stopped with SIGTERM and started again. After each start, once the ingest has
 * caught up, every call line of the journal is in the store exactly once: the same ids, no
 * more, no fewer ({@code /v1/calls} reads the store).
 */
class StoreIngestIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String NUMBER = "18005550100";
    private static final String TOKEN = "store-ingest-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern INGESTED = Pattern.compile("(?m)^leads_ingested_total\\{kind=\"call\",?\\} (\\S+)$");
    private static final Pattern LAG = Pattern.compile("(?m)^leads_ingest_lag_bytes (\\S+)$");

    @TempDir
    Path dir;

    private final int sipPort = Ports.free(47300, 47319);
    private final int adminPort = Ports.free(47300, 47319);
    private final HttpClient http = HttpClient.newHttpClient();

    private Path config(String handlerHostPort) {
        TestConfig.load(dir, """
                server:
                  data_dir: %s
                  sip:
                    listen: ["udp:127.0.0.1:%d"]
                  health: { enabled: false }
                  drain_timeout_seconds: 1
                  admin: { listen: "127.0.0.1:%d", token: "%s" }
                  store: { batch_max: 7, poll_ms: 10, memory_limit_mb: 128, threads: 1 }
                sources: [ { id: web } ]
                handlers:
                  - { id: sipp, uri: "sip:%s" }
                campaigns:
                  - id: sales
                    handlers: [sipp]
                numbers:
                  - { number: "%s", campaign: sales, source: web }
                """.formatted(dir.resolve("data"), sipPort, adminPort, TOKEN, handlerHostPort, NUMBER));
        return dir.resolve("router.yaml");
    }

    @Test
    void everyJournalCallIsStoredOnceAfterAKillDashNineAndAfterACleanRestart() throws Exception {
        Sipp.requireInstalled();
        final String admin = "http://127.0.0.1:" + adminPort;
        try (Sipp handler = Sipp.scenario("uas.xml").ports(47320, 47359).calls(100_000)
                .timeout(Duration.ofMinutes(5)).start()) {
            final Path config = config(handler.hostPort());
            try (RouterProcess router = RouterProcess.start(config, admin, dir.resolve("first.log"));
                 Sipp carrier = Sipp.scenario("uac.xml").ports(47360, 47399).remote("127.0.0.1:" + sipPort)
                         .service(NUMBER).calls(600).rate(100).start()) {
                // Killed mid-flow: calls are being placed and the ingest is storing batches of 7.
                Await.until(WAIT, () -> ingestedCalls(admin) >= 120, () -> "calls stored: " + ingestedCalls(admin)
                        + "\n" + router.output());
                assertTrue(carrier.isRunning(), "calls still flow at the kill");
                router.kill();
            }
            final int beforeRestart = journalIds().size();
            assertTrue(beforeRestart >= 120, "calls journaled before the kill: " + beforeRestart);

            SippResult placed;
            try (RouterProcess router = RouterProcess.start(config, admin, dir.resolve("second.log"))) {
                assertStoredOnce(admin, router);
                try (Sipp carrier = Sipp.scenario("uac.xml").ports(47360, 47399).remote("127.0.0.1:" + sipPort)
                        .service(NUMBER).calls(150).rate(100).start()) {
                    // On a shared machine a few calls may be refused (503, overload): they are records too.
                    placed = carrier.awaitExit();
                    assertTrue(placed.successfulCalls() >= 100, placed::toString);
                }
                assertEquals(0, router.terminate(), router.output());
            }
            assertTrue(journalIds().size() >= beforeRestart + placed.successfulCalls(), "the new calls are journaled");

            try (RouterProcess router = RouterProcess.start(config, admin, dir.resolve("third.log"))) {
                assertStoredOnce(admin, router);
                assertEquals(0, lag(admin), "nothing left to store");
                final JsonNode health = readJson(get(admin + "/health"));
                assertEquals("ready", health.path("status").asText(), health::toString);
                assertEquals("duckdb", health.path("store").path("engine").asText(), health::toString);
                assertEquals("running", health.path("store").path("ingest").asText(), health::toString);
                assertTrue(health.path("store").path("last_error").isNull(), health::toString);
                assertEquals(0, health.path("warnings").size(), health::toString);
            }
        }
    }

    @Test
    void aDatabaseThatCannotBeOpenedStopsTheStartNamingItsUrlButNotThePassword() {
        final int closedPort = Ports.free(47300, 47319);
        final RouterConfig config = TestConfig.load(dir, """
                server:
                  data_dir: %s
                  sip:
                    listen: ["udp:127.0.0.1:%d"]
                  health: { enabled: false }
                  admin: { listen: "127.0.0.1:%d" }
                  store: { url: "jdbc:postgresql://127.0.0.1:%d/calls?password=hunter2-secret&connectTimeout=2" }
                sources: [ { id: web } ]
                handlers: []
                campaigns: []
                """.formatted(dir.resolve("data"), sipPort, adminPort, closedPort));
        final IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RouterService.start(config, Clock.systemUTC()).close());
        assertTrue(e.getMessage().contains("jdbc:postgresql://127.0.0.1:" + closedPort + "/calls?password=***"),
                e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    /**
     * Waits for the ingest to catch up (the journal may still grow a little: calls live at a kill
     * are recorded {@code interrupted} by the next start), then compares the store's calls with
     * the journal's.
     */
    private void assertStoredOnce(String admin, RouterProcess router) {
        final Set<String> journal = new TreeSet<>();
        final List<String> stored = new ArrayList<>();
        Await.until(WAIT, () -> {
            journal.clear();
            journal.addAll(journalIds());
            stored.clear();
            stored.addAll(storedIds(admin));
            return stored.size() >= journal.size();
        }, () -> stored.size() + " calls in the store, " + journal.size() + " in the journal\n" + router.output());
        assertEquals(journal.size(), stored.size(), "no call stored twice");
        assertEquals(journal, new TreeSet<>(stored), "the same calls");
        assertEquals(journal.size(), new HashSet<>(stored).size());
    }

    /** The ids of every call line in the journal files (a line a crash cut short is no call). */
    private Set<String> journalIds() {
        final Set<String> ids = new TreeSet<>();
        int lines = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir.resolve("data/journal"), "calls-*.jsonl")) {
            for (Path file : files) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    final JsonNode node;
                    try {
                        node = JSON.readTree(line);
                    } catch (IOException cutShort) {
                        continue;
                    }
                    if (node != null && "call".equals(node.path("record").asText())) {
                        ids.add(node.path("id").asText());
                        lines++;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertEquals(lines, ids.size(), "the journal itself has each call once");
        return ids;
    }

    private List<String> storedIds(String admin) {
        final List<String> ids = new ArrayList<>();
        final JsonNode body = readJson(get(admin + "/v1/calls?since=0&limit=1000"));
        body.path("calls").forEach(call -> ids.add(call.path("id").asText()));
        return ids;
    }

    private long ingestedCalls(String admin) {
        final Matcher m = INGESTED.matcher(get(admin + "/metrics"));
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }

    private long lag(String admin) {
        final Matcher m = LAG.matcher(get(admin + "/metrics"));
        assertTrue(m.find(), "leads_ingest_lag_bytes is served");
        return (long) Double.parseDouble(m.group(1));
    }

    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private String get(String url) {
        try {
            final HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError(url + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
