package org.callrouter.server.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.callrouter.routing.config.ApiToken;
import org.callrouter.routing.config.HostPort;
import org.callrouter.routing.config.RouterConfig;

/**
 * Asks the running router's admin API ({@code server.admin.listen}, with the configuration's
 * first admin-scoped token) on behalf of a command. A wildcard listen address is asked on
 * loopback.
 */
final class AdminClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An answer: its HTTP status and JSON body. */
    record Answer(int status, JsonNode body) {

        /** The message of a refusal's {@code {"error": {"code", "message", "field"}}}. */
        String error() {
            return body.path("error").path("message").asText("HTTP " + status);
        }
    }

    /** Why the router could not be asked; its message is for the operator. */
    static final class Unreachable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreachable(String message) {
            super(message);
        }
    }

    private final String base;
    private final ApiToken token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private AdminClient(String base, ApiToken token) {
        this.base = base;
        this.token = token;
    }

    /** A client for {@code config}'s router; {@link Unreachable} when it has no admin token. */
    static AdminClient of(RouterConfig config) throws Unreachable {
        final ApiToken token = config.server().admin().adminToken();
        if (token == null) {
            throw new Unreachable("the configuration has no admin-scoped token (server.admin.tokens with "
                    + "scope: admin, or server.admin.token): the admin API cannot be asked");
        }
        final HostPort listen = config.server().admin().listen();
        String host = listen.host();
        if (host.equals("0.0.0.0") || host.isEmpty()) {
            host = "127.0.0.1";
        } else if (host.equals("::")) {
            host = "::1";
        }
        final String authority = host.contains(":") ? "[" + host + "]:" + listen.port() : host + ":" + listen.port();
        return new AdminClient("http://" + authority, token);
    }

    /** Sends a request; {@link Unreachable} when no router answers. */
    Answer send(String method, String path) throws Unreachable {
        return send(method, path, null);
    }

    /** Sends a request with a JSON body (none when null); {@link Unreachable} when no router answers. */
    Answer send(String method, String path, String jsonBody) throws Unreachable {
        final HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token.value());
        if (jsonBody != null) {
            builder.header("Content-Type", "application/json");
        }
        final HttpRequest request = builder.method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(jsonBody)).build();
        try {
            final HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new Unreachable("no router answers at " + base + " (server.admin.listen): " + e
                    + "; the command asks the running router: start it first");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted");
        }
    }
}
