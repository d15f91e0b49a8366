package org.callrouter.server.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.callrouter.server.Await;
import org.callrouter.server.sipua.Ports;

/**
 * A real HTTP server on loopback (the JDK's {@link HttpServer}) that webhooks are sent to: it
 * keeps every request and answers with the next scripted status, else the default one.
 */
public final class HookReceiver implements AutoCloseable {

    /** One request as it arrived. */
    public record Received(String method, String uri, Map<String, String> headers, String body) {

        /** A header by name, any case. */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final HttpServer server;
    private final List<Received> received = new ArrayList<>();
    private final Deque<Integer> script = new ArrayDeque<>();
    private int status = 200;

    private HookReceiver(HttpServer server) {
        this.server = server;
    }

    /** Listens on a free port of {@code [from, to]}. */
    public static HookReceiver start(int from, int to) {
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                final HttpServer server = HttpServer.create(new InetSocketAddress(Ports.LOOPBACK, Ports.free(from, to)), 16);
                final HookReceiver receiver = new HookReceiver(server);
                server.createContext("/", receiver::handle);
                server.setExecutor(Executors.newFixedThreadPool(2));
                server.start();
                return receiver;
            } catch (IOException raced) {
                // The port was taken between the check and the bind: try another.
            }
        }
        throw new IllegalStateException("no free port for the webhook receiver in [" + from + ", " + to + "]");
    }

    /** {@code http://127.0.0.1:port}. */
    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The status to answer from now on (after any scripted ones). */
    public synchronized HookReceiver answer(int next) {
        this.status = next;
        return this;
    }

    /** Statuses for the next requests, in order. */
    public synchronized HookReceiver script(Integer... statuses) {
        script.addAll(List.of(statuses));
        return this;
    }

    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    /** Waits for {@code count} requests that match. */
    public List<Received> await(int count, Predicate<Received> which, Duration timeout) {
        Await.until(timeout, () -> matching(which).size() >= count,
                () -> count + " matching webhook requests; received " + received());
        return matching(which);
    }

    public synchronized List<Received> matching(Predicate<Received> which) {
        return received.stream().filter(which).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        final String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        final Map<String, String> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
        final int answer;
        synchronized (this) {
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers, body));
            answer = script.isEmpty() ? status : script.poll();
        }
        exchange.sendResponseHeaders(answer, -1);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }
}
