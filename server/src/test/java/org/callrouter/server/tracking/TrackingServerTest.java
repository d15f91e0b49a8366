package org.callrouter.server.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import org.callrouter.routing.config.HostPort;
import org.callrouter.server.Await;
import org.callrouter.server.DistinctErrorHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The listener's HTTP bounds on a real socket (127.0.0.1, a free port), with a stand-in API
 * that echoes what it was handed: request line, header and body bounds, keep-alive, the client
 * address, and a handler that throws.
 */
class TrackingServerTest {

    private final TrackingStats stats = new TrackingStats();
    private final DistinctErrorHandler errors = new DistinctErrorHandler();
    private final AtomicReference<TrackingRequest> seen = new AtomicReference<>();
    private TrackingServer server;

    @BeforeEach
    void start() {
        server = TrackingServer.start(new HostPort("127.0.0.1", 0), 64, List.of(), (request, loop) -> {
            seen.set(request);
            if (request.path().equals("/boom")) {
                throw new IllegalStateException("a bug in the API");
            }
            return CompletableFuture.completedFuture(TrackingResponse.error(404, "echo " + request.method() + " "
                    + request.path() + " " + request.body().length));
        }, stats, errors);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Sends {@code request} as it is and returns everything the server sent until it closed. */
    private String exchange(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.address().getPort())) {
            socket.setSoTimeout(10_000);
            final OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            final InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aRequestReachesTheApiWithoutItsQuery() throws IOException {
        final String answer = exchange("POST /v1/x?a=b HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n"
                + "Connection: close\r\n\r\n{}");
        assertTrue(answer.startsWith("HTTP/1.1 404 "), answer);
        assertTrue(answer.contains("application/json"), answer);
        assertTrue(answer.endsWith("{\"error\":\"echo POST /v1/x 2\"}"), answer);
        assertEquals("127.0.0.1", seen.get().client());
        assertEquals(1, stats.requests(404));
    }

    @Test
    void aBodyOverTheBoundIs413AndTheRestOfItIsSkipped() throws IOException {
        final String body = "x".repeat(65);
        final String answer = exchange("POST /v1/x HTTP/1.1\r\nHost: t\r\nContent-Length: 65\r\n\r\n" + body
                + "POST /after HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 413 "), answer);
        assertTrue(answer.contains("{\"error\":\"body larger than 64 bytes\"}HTTP/1.1 404 "), answer);
        assertTrue(answer.endsWith("{\"error\":\"echo POST /after 0\"}"), "the keep-alive connection goes on: " + answer);
        assertEquals(1, stats.requests(413));
    }

    @Test
    void aBodyOverTheBoundWithoutKeepAliveClosesTheConnection() throws IOException {
        final String answer = exchange("POST /v1/x HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
                + "Content-Length: 65\r\n\r\n" + "x".repeat(65));
        assertTrue(answer.startsWith("HTTP/1.1 413 "), answer);
        assertTrue(answer.endsWith("{\"error\":\"body larger than 64 bytes\"}"), answer);
    }

    @Test
    void aChunkedBodyOverTheBoundIs413Too() throws IOException {
        final String answer = exchange("POST /v1/x HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n"
                + "28\r\n" + "y".repeat(40) + "\r\n28\r\n" + "y".repeat(40) + "\r\n0\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 413 "), answer);
    }

    @Test
    void headersAndRequestLinesOverTheirBoundsAre400() throws IOException {
        final String headers = exchange("GET /x HTTP/1.1\r\nHost: t\r\nX-Big: " + "h".repeat(9000) + "\r\n\r\n");
        assertTrue(headers.startsWith("HTTP/1.1 400 "), headers);
        assertTrue(headers.contains("request headers larger than 8192 bytes"), headers);
        final String line = exchange("GET /" + "p".repeat(5000) + " HTTP/1.1\r\nHost: t\r\n\r\n");
        assertTrue(line.startsWith("HTTP/1.1 400 "), line);
        assertTrue(line.contains("request line longer than 4096 bytes"), line);
        final String garbage = exchange("\u0001\u0002 nonsense\r\n\r\n");
        assertTrue(garbage.startsWith("HTTP/1.1 400 "), garbage);
        assertTrue(garbage.contains("{\"error\":\"malformed HTTP request"), garbage);
    }

    @Test
    void keepAliveServesSeveralRequestsOnOneConnection() throws IOException {
        final String one = "POST /a HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n";
        final String answer = exchange(one + one + "POST /b HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
                + "Content-Length: 0\r\n\r\n");
        assertEquals(3, answer.split("HTTP/1.1 404 ", -1).length - 1, answer);
        assertTrue(answer.endsWith("{\"error\":\"echo POST /b 0\"}"), answer);
    }

    @Test
    void connectionsOverThePerAddressBoundAreClosedAtOnce() throws IOException {
        final List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < TrackingServer.MAX_CONNECTIONS_PER_ADDRESS; i++) {
                open.add(new Socket("127.0.0.1", server.address().getPort()));
            }
            try (Socket over = new Socket("127.0.0.1", server.address().getPort())) {
                over.setSoTimeout(10_000);
                over.getOutputStream().write("GET /x HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals(-1, over.getInputStream().read(), "closed without an answer");
            } catch (java.net.SocketException reset) {
                // closed before the request was written: refused all the same
            }
            assertEquals(1, server.connections().refusedPerAddress());
            assertEquals(TrackingServer.MAX_CONNECTIONS_PER_ADDRESS, server.connections().open());
        } finally {
            for (Socket socket : open) {
                socket.close();
            }
        }
        Await.until(Duration.ofSeconds(10), () -> server.connections().open() == 0,
                () -> server.connections().open() + " connections still counted");
        assertTrue(exchange("GET /ok HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").startsWith("HTTP/1.1 404 "));
    }

    @Test
    void anApiThatThrowsIsA500AndTheListenerGoesOn() throws IOException {
        final String answer = exchange("GET /boom HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 500 "), answer);
        assertTrue(answer.endsWith("{\"error\":\"internal error\"}"), answer);
        assertEquals(1, errors.total());
        assertTrue(exchange("GET /ok HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").startsWith("HTTP/1.1 404 "));
    }
}
