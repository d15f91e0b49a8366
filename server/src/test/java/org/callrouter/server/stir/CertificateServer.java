package org.callrouter.server.stir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.callrouter.server.sipua.TestPki;

/**
 * An STI certificate repository on loopback: HTTPS (the JDK's server, a {@link TestPki} leaf for
 * 127.0.0.1) serving certificate files at paths, a path that never answers until {@link #close},
 * and a count of the requests each path got.
 */
public final class CertificateServer implements AutoCloseable {

    private final HttpsServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final CountDownLatch closing = new CountDownLatch(1);

    private CertificateServer(HttpsServer server) {
        this.server = server;
    }

    /**
     * Starts serving on {@code 127.0.0.1:port} with the TLS identity {@code tls}.
     *
     * @param files path (such as {@code /cert.pem}) to the file served there; other paths get 404,
     *              {@code /hang.pem} is answered only when the server closes
     */
    public static CertificateServer start(int port, TestPki.Leaf tls, Path dir, Map<String, Path> files) {
        try {
            final Path p12 = tls.writeKeyStore(dir.resolve("x5u-server.p12"));
            final KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(p12)) {
                store.load(in, TestPki.STORE_PASSWORD.toCharArray());
            }
            final KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, TestPki.STORE_PASSWORD.toCharArray());
            final SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            final HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", port), 16);
            https.setHttpsConfigurator(new HttpsConfigurator(context));
            final CertificateServer server = new CertificateServer(https);
            https.createContext("/", exchange -> server.serve(exchange, files));
            https.setExecutor(server.executor);
            https.start();
            return server;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot serve certificates on 127.0.0.1:" + port, e);
        }
    }

    private void serve(HttpExchange exchange, Map<String, Path> files) throws IOException {
        final String path = exchange.getRequestURI().getPath();
        requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        try (exchange) {
            if (path.equals("/hang.pem")) {
                closing.await(30, TimeUnit.SECONDS);
            }
            final Path file = files.get(path);
            if (file == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            final byte[] body = Files.readAllBytes(file);
            exchange.getResponseHeaders().set("Content-Type", "application/x-pem-file");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How many requests {@code path} got. */
    public int requests(String path) {
        final AtomicInteger n = requests.get(path);
        return n == null ? 0 : n.get();
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
