package org.callrouter.server.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The web console's files ({@code src/main/resources/console/}), read from the class path once
 * and served under {@code /console/} by the admin listener. Only the files named here exist:
 * a request path is a key in this map, never a file name, so nothing else can be read. The
 * files are open (they hold no data); everything they show comes from {@code /v1} with the
 * operator's token.
 */
final class ConsoleAssets {

    /** Keeps the console to its own files: no inline script, no other origin, no framing. */
    static final String SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "console.css", "text/css; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8");

    private final Map<String, byte[]> files;

    private ConsoleAssets(Map<String, byte[]> files) {
        this.files = files;
    }

    /**
     * Reads the console's files from the class path.
     *
     * @throws IllegalStateException when one is missing from the build
     */
    static ConsoleAssets load() {
        final Map<String, byte[]> read = new HashMap<>();
        for (String name : TYPES.keySet()) {
            try (InputStream in = ConsoleAssets.class.getResourceAsStream("/console/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("console/" + name + " is missing from the class path");
                }
                read.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new ConsoleAssets(Map.copyOf(read));
    }

    /** The answer for {@code name} (the path after {@code /console/}; empty is the page), or empty. */
    Optional<ApiResponse> file(String name) {
        final String key = name.isEmpty() ? "index.html" : name;
        final byte[] body = files.get(key);
        if (body == null) {
            return Optional.empty();
        }
        return Optional.of(new ApiResponse(200, TYPES.get(key), body, Map.of(
                "Content-Security-Policy", SECURITY_POLICY,
                "X-Content-Type-Options", "nosniff",
                "Referrer-Policy", "no-referrer",
                "Cache-Control", "no-cache")));
    }
}
