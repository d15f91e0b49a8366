package org.callrouter.server.tracking;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.callrouter.server.sipua.Ports;

/**
 * The advertiser's web site for the browser test: the JDK's {@link HttpServer} on a loopback port
 * the kernel picks, serving the pages a test adds, and {@code /callrouter.js} from the class path
 * (the same file the tracking listener serves) for pages that host the script themselves.
 */
final class LandingPageServer implements AutoCloseable {
    static final String SCRIPT_RESOURCE = "tracking/callrouter.js";

    private final HttpServer server;
    private final Map<String, String> pages = new ConcurrentHashMap<>();
    private final List<String> requested = new ArrayList<>();

    private LandingPageServer(HttpServer server) {
        this.server = server;
    }

    static LandingPageServer start() {
        try {
            final HttpServer server = HttpServer.create(new InetSocketAddress(Ports.LOOPBACK, 0), 16);
            final LandingPageServer site = new LandingPageServer(server);
            server.createContext("/", site::handle);
            server.setExecutor(Executors.newFixedThreadPool(2));
            server.start();
            return site;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:port}, the site's origin (what the pool's {@code allowed_origins} names). */
    String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Serves {@code html} at {@code path} from now on. */
    void page(String path, String html) {
        pages.put(path, html);
    }

    /** The paths asked for so far, in order. */
    synchronized List<String> requested() {
        return List.copyOf(requested);
    }

    private void handle(HttpExchange exchange) throws IOException {
        final String path = exchange.getRequestURI().getPath();
        synchronized (this) {
            requested.add(path);
        }
        final byte[] body;
        final String type;
        if (path.equals("/callrouter.js")) {
            try (InputStream in = getClass().getClassLoader().getResourceAsStream(SCRIPT_RESOURCE)) {
                body = in == null ? null : in.readAllBytes();
            }
            type = "application/javascript";
        } else {
            final String html = pages.get(path);
            body = html == null ? null : html.getBytes(StandardCharsets.UTF_8);
            type = "text/html; charset=utf-8";
        }
        if (body == null) {
            exchange.sendResponseHeaders(404, -1);
        } else {
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }
}
