package org.callrouter.server.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.callrouter.server.Await;
import org.callrouter.server.TestConfig;
import org.callrouter.server.sipua.Ports;

/**
 * A real {@link RouterService} on loopback for integration tests: SIP over UDP and the admin
 * API on free ports of 48000-48399 (or a band the test names), its own data directory, and an
 * HTTP client for the API.
 */
final class ServiceFixture implements AutoCloseable {

    static final String TOKEN = "test-token-0123456789";
    static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final int sipPort;
    private final int adminPort;
    /** Replaced at each restart: a kept-alive connection to the stopped router must not be reused. */
    private HttpClient http = newClient();
    private String routing;
    private String extraServer;
    private final String extraAdmin;
    private RouterService service;

    private ServiceFixture(Path dir, int firstPort, int lastPort, String routing, String extraServer,
                           String extraAdmin) {
        this.dir = dir;
        this.sipPort = Ports.free(firstPort, lastPort);
        this.adminPort = Ports.free(firstPort, lastPort);
        this.routing = routing;
        this.extraServer = extraServer;
        this.extraAdmin = extraAdmin;
    }

    /**
     * Starts a router.
     *
     * @param routing     YAML for sources, handlers, campaigns and numbers.
     * @param extraServer YAML lines under {@code server}, indented by two spaces, or ""; health
     *                    probing is off unless these set {@code health}.
     */
    static ServiceFixture start(Path dir, String routing, String extraServer) {
        return start(dir, routing, extraServer, "");
    }

    /**
     * Starts a router whose {@code server.admin} mapping has more settings.
     *
     * @param extraAdmin YAML flow-mapping entries after {@code listen} and {@code token}, each
     *                   starting with a comma, such as {@code , tokens: [...]}.
     */
    static ServiceFixture start(Path dir, String routing, String extraServer, String extraAdmin) {
        return start(dir, 48000, 48399, routing, extraServer, extraAdmin);
    }

    /** Starts a router whose SIP and admin ports are free ones of {@code firstPort}-{@code lastPort}. */
    static ServiceFixture start(Path dir, int firstPort, int lastPort, String routing, String extraServer,
                                String extraAdmin) {
        final ServiceFixture fixture = new ServiceFixture(dir, firstPort, lastPort, routing, extraServer, extraAdmin);
        fixture.service = RouterService.start(fixture.writeConfig(routing, extraServer), Clock.systemUTC());
        return fixture;
    }

    /** The YAML of the whole configuration file. */
    String yaml(String routingPart, String extraServerPart) {
        return """
                default_region: US
                server:
                  data_dir: %s
                  sip:
                    listen: ["udp:127.0.0.1:%d"]
                    t1_ms: 100
                  admin: { listen: "127.0.0.1:%d", token: "%s"%s }
                  webhook_delivery: { max_attempts: 5, initial_backoff_ms: 50, max_backoff_ms: 200, timeout_ms: 2000 }
                %s
                %s
                """.formatted(dir.resolve("data"), sipPort, adminPort, TOKEN, extraAdmin,
                extraServerPart.contains("health:") ? extraServerPart.stripTrailing()
                        : "  health: { enabled: false }\n" + extraServerPart.stripTrailing(),
                routingPart);
    }

    /** Writes the configuration file and loads it. */
    org.callrouter.routing.config.RouterConfig writeConfig(String routingPart, String extraServerPart) {
        this.routing = routingPart;
        this.extraServer = extraServerPart;
        return TestConfig.load(dir, yaml(routingPart, extraServerPart));
    }

    /** Replaces the configuration file's text (not loaded: for reload tests). */
    void writeRaw(String text) {
        try {
            Files.writeString(configFile(), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path configFile() {
        return dir.resolve("router.yaml");
    }

    Path dataDir() {
        return dir.resolve("data");
    }

    RouterService service() {
        return service;
    }

    /** {@code 127.0.0.1:port}, where carriers send calls. */
    String sipHostPort() {
        return "127.0.0.1:" + sipPort;
    }

    String adminBase() {
        return "http://127.0.0.1:" + adminPort;
    }

    /** Stops the router (ending live calls, writing every record) and starts it again on the same files. */
    void restart() {
        service.close();
        service = RouterService.start(writeConfig(routing, extraServer), Clock.systemUTC());
        // The old client may still hold a pooled connection the stopped router closed; a request
        // sent on it waited for the 30 s timeout (a QuarantineIntegrationTest failure in CI).
        http = newClient();
    }

    private static HttpClient newClient() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** An admin request; {@code authorization} null sends none. */
    HttpResponse<String> request(String method, String path, String body, String authorization) {
        return request(method, path, body, authorization, null);
    }

    /** An admin request; {@code authorization} and {@code contentType} null send none. */
    HttpResponse<String> request(String method, String path, String body, String authorization, String contentType) {
        return request(method, path, body, authorization, contentType, Map.of());
    }

    /** An admin request with the default token and {@code If-Match: tag}. */
    HttpResponse<String> ifMatch(String method, String path, String body, String tag) {
        return request(method, path, body, "Bearer " + TOKEN, null, Map.of("If-Match", tag));
    }

    private HttpResponse<String> request(String method, String path, String body, String authorization,
                                         String contentType, Map<String, String> headers) {
        final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(adminBase() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        headers.forEach(b::header);
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    HttpResponse<String> get(String path) {
        return request("GET", path, null, "Bearer " + TOKEN);
    }

    HttpResponse<String> post(String path, String body) {
        return request("POST", path, body, "Bearer " + TOKEN);
    }

    HttpResponse<String> delete(String path) {
        return request("DELETE", path, null, "Bearer " + TOKEN);
    }

    static JsonNode json(HttpResponse<String> response) {
        return json(response.body());
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /** Waits until the journal holds {@code count} calls, and returns them in journal order. */
    List<JsonNode> awaitCalls(int count) {
        final List<JsonNode> calls = new ArrayList<>();
        Await.until(WAIT, () -> {
            calls.clear();
            json(get("/v1/calls?since=0&limit=1000")).path("calls").forEach(calls::add);
            return calls.size() >= count;
        }, () -> count + " calls in the journal; found " + calls);
        return calls;
    }

    /** The journal's call whose caller is {@code caller}. */
    static JsonNode byCaller(List<JsonNode> calls, String caller) {
        return calls.stream().filter(c -> caller.equals(c.path("caller").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no record of a call from " + caller + " in " + calls));
    }

    @Override
    public void close() {
        if (service != null) {
            service.close();
            service = null;
        }
    }
}
