package org.callrouter.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import org.callrouter.server.Await;
import org.callrouter.server.transport.InboundConnections;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code server.sip.connections}: a connection over a bound is closed as soon as it is accepted
 * and counted, while the connections already open keep working.
 */
class ConnectionLimitsIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private RouterFixture router;

    @AfterEach
    void stop() {
        if (router != null) {
            router.close();
        }
    }

    @Test
    void connectionsOverTheBoundsAreClosedAndCountedWhileOpenOnesWork() throws IOException {
        router = RouterFixture.start(dir.resolve("data"), Routing.oneHandler("sip:127.0.0.1:5080"),
                "    connections: { max: 3, max_per_address: 2 }");
        final InboundConnections bounds = router.server().transport().inboundConnections();
        try (Socket first = connect("127.0.0.1");
             Socket second = connect("127.0.0.1")) {
            assertEquals("SIP/2.0 200", options(first));
            assertEquals("SIP/2.0 200", options(second));

            try (Socket third = connect("127.0.0.1")) {
                assertClosedByRouter(third);
            }
            assertEquals(1, bounds.refusedPerAddress(), "counted as sip_connections_refused_total{limit=max_per_address}");
            assertEquals("SIP/2.0 200", options(first), "an open connection still works");

            try (Socket other = connect("127.0.0.2")) {
                assertEquals("SIP/2.0 200", options(other), "another address has places of its own");
                try (Socket overTotal = connect("127.0.0.3")) {
                    assertClosedByRouter(overTotal);
                }
                assertEquals(1, bounds.refusedTotal(), "counted as sip_connections_refused_total{limit=max}");
                assertEquals(3, bounds.open());
            }

            second.close();
            Await.until(WAIT, () -> bounds.open() == 1, () -> bounds.open() + " connections open");
            try (Socket again = connect("127.0.0.1")) {
                assertEquals("SIP/2.0 200", options(again), "a closed connection frees its place");
            }
        }
        assertEquals(0, router.server().errors().total(), "internal errors");
    }

    private Socket connect(String from) throws IOException {
        final Socket socket = new Socket();
        socket.bind(new InetSocketAddress(from, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", router.port()), (int) WAIT.toMillis());
        socket.setSoTimeout((int) WAIT.toMillis());
        return socket;
    }

    /** Sends an OPTIONS and returns the status line of the answer. */
    private String options(Socket socket) throws IOException {
        final String request = "OPTIONS sip:127.0.0.1:" + router.port() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/TCP 127.0.0.1:" + socket.getLocalPort() + ";branch=z9hG4bK" + UUID.randomUUID() + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:probe@127.0.0.1>;tag=" + UUID.randomUUID().toString().substring(0, 8) + "\r\n"
                + "To: <sip:127.0.0.1:" + router.port() + ">\r\n"
                + "Call-ID: " + UUID.randomUUID() + "@127.0.0.1\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Content-Length: 0\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        final InputStream in = socket.getInputStream();
        final ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            final int b = in.read();
            if (b < 0) {
                throw new AssertionError("connection closed after " + head.toString(StandardCharsets.US_ASCII));
            }
            head.write(b);
        }
        final String response = head.toString(StandardCharsets.US_ASCII);
        return response.substring(0, response.indexOf(' ', "SIP/2.0 ".length()));
    }

    /** The router closes the connection without a byte (a reset counts too). */
    private static void assertClosedByRouter(Socket socket) throws IOException {
        try {
            assertEquals(-1, socket.getInputStream().read(), "the router closes a connection over the bound");
        } catch (SocketException reset) {
            assertTrue(reset.getMessage().contains("reset"), reset.toString());
        }
    }
}
