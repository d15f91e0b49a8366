package org.callrouter.server.transport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.callrouter.routing.config.ServerSettings;

/**
 * The TLS contexts of SIP over TLS (RFC 3261 section 26): one to accept carriers' connections
 * with the router's certificate, one to connect to handlers, whose certificate must chain to the
 * configured CA (or the JDK's trust store) and name the handler URI's host (RFC 5922 section 7,
 * checked as HTTPS does: subjectAltName DNS or IP entries). TLS 1.2 and 1.3 only, on the JDK's
 * own provider (no native library to match to the platform).
 * <p>
 * {@link #prepareReload} builds both contexts from the files again and swaps them: connections open
 * keep the context they started with, new ones take the new one.
 * <p>
 * The handshake's heavy steps (key agreement, signatures, certificate path checks: the engine's
 * delegated tasks) run on a thread of their own, not on the SIP loop, so carriers reconnecting
 * together do not stall the calls in progress.
 */
public final class SipTls implements AutoCloseable {

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private volatile Contexts contexts;
    /** One thread, started when a handshake needs it and ended after a minute without one. */
    private final ThreadPoolExecutor handshakes = new ThreadPoolExecutor(0, 1, 60, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), new DefaultThreadFactory("sip-tls-handshake", true));

    private SipTls(Contexts contexts) {
        this.contexts = contexts;
    }

    /**
     * Reads the certificate, key and CA files.
     *
     * @throws IllegalArgumentException naming the file that could not be used and why.
     */
    public static SipTls load(ServerSettings.Tls settings) {
        return new SipTls(Contexts.of(settings));
    }

    /**
     * Reads the files again (a renewed certificate, a new CA) and returns the swap that makes the
     * connections opened from then on use them: run it once the rest of the reload has succeeded.
     *
     * @throws IllegalArgumentException naming the file that could not be used; nothing changes.
     */
    public Runnable prepareReload(ServerSettings.Tls settings) {
        final Contexts next = Contexts.of(settings);
        return () -> contexts = next;
    }

    /** A handler for a connection a carrier opened to the router. */
    SslHandler serverHandler(ByteBufAllocator alloc) {
        return contexts.server.newHandler(alloc, handshakes);
    }

    /** A handler for a connection to {@code serverName}, whose certificate must name it. */
    SslHandler clientHandler(ByteBufAllocator alloc, String serverName, int port) {
        final SslHandler handler = contexts.client.newHandler(alloc, serverName, port, handshakes);
        final SSLEngine engine = handler.engine();
        final SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(parameters);
        return handler;
    }

    /** Ends the handshake thread (connections are closed by then). */
    @Override
    public void close() {
        handshakes.shutdownNow();
    }

    private record Contexts(SslContext server, SslContext client) {

        static Contexts of(ServerSettings.Tls settings) {
            final SslContext server;
            try {
                server = SslContextBuilder.forServer(settings.certificate().toFile(), settings.privateKey().toFile())
                        .sslProvider(SslProvider.JDK)
                        .protocols(PROTOCOLS)
                        .clientAuth(ClientAuth.NONE)
                        .build();
            } catch (SSLException | IllegalArgumentException e) {
                throw new IllegalArgumentException("cannot use certificate " + settings.certificate() + " with key "
                        + settings.privateKey() + " (PEM, the key unencrypted PKCS#8): " + reason(e), e);
            }
            final SslContextBuilder client = SslContextBuilder.forClient()
                    .sslProvider(SslProvider.JDK)
                    .protocols(PROTOCOLS)
                    .keyManager(settings.certificate().toFile(), settings.privateKey().toFile());
            if (settings.ca() != null) {
                client.trustManager(trustOnly(settings));
            }
            try {
                return new Contexts(server, client.build());
            } catch (SSLException e) {
                throw new IllegalArgumentException("cannot build the TLS client context: " + reason(e), e);
            }
        }

        /** A trust manager of the CA file's certificates alone. */
        private static TrustManagerFactory trustOnly(ServerSettings.Tls settings) {
            return PemTrust.trustOnly(settings.ca());
        }

        private static String reason(Throwable e) {
            return PemTrust.reason(e);
        }
    }
}
