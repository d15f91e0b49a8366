package org.callrouter.server.stir;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLContext;

import org.callrouter.routing.config.ServerSettings;
import org.callrouter.server.transport.PemTrust;

/**
 * The signing certificates of PASSporTs, fetched from their {@code x5u} URL over HTTPS (RFC 8224
 * 7.4, ATIS-1000074 5.3.1): at most one fetch per URL at a time, bounded in time
 * ({@code fetch_timeout_ms}) and size ({@link #MAX_BODY_BYTES}), the chain checked against the
 * trust anchors once per fetch, and the outcome kept {@code cache_seconds} (a failure
 * {@code failure_cache_seconds}, so a dead URL is not asked on every call). Nothing here blocks
 * a caller: {@link #key} answers with a future.
 */
final class SigningCertificates {

    /** A certificate chain is a few kilobytes; more is not a certificate file. */
    static final int MAX_BODY_BYTES = 64 * 1024;
    /** URLs remembered at once; past it, expired entries go, then any one. */
    static final int MAX_ENTRIES = 10_000;

    private final ServerSettings.Stir settings;
    private final Clock clock;
    private final HttpClient http;
    private final Set<TrustAnchor> anchors;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    /** A URL's fetch, in flight or done, and until when its outcome stands. */
    private static final class Entry {
        final CompletableFuture<SigningKey> key;
        volatile long expiresAtMs = Long.MAX_VALUE;

        Entry(CompletableFuture<SigningKey> key) {
            this.key = key;
        }
    }

    /**
     * @throws IllegalArgumentException when the trust anchors or the CA file cannot be read
     */
    SigningCertificates(ServerSettings.Stir settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.anchors = new HashSet<>();
        for (X509Certificate anchor : PemTrust.certificates(settings.trustAnchors())) {
            anchors.add(new TrustAnchor(anchor, null));
        }
        final HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofMillis(settings.fetchTimeoutMs()));
        if (settings.ca() != null) {
            try {
                final SSLContext tls = SSLContext.getInstance("TLS");
                tls.init(null, PemTrust.trustOnly(settings.ca()).getTrustManagers(), null);
                builder.sslContext(tls);
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("cannot use " + settings.ca() + ": " + PemTrust.reason(e), e);
            }
        }
        this.http = builder.build();
    }

    /** The signing key at {@code x5u}: cached, or being fetched. */
    CompletableFuture<SigningKey> key(URI x5u) {
        final String url = x5u.toString();
        final long now = clock.millis();
        final Entry cached = entries.get(url);
        if (cached != null && cached.expiresAtMs > now) {
            return cached.key;
        }
        if (cached == null && entries.size() >= MAX_ENTRIES) {
            makeRoom(now);
        }
        final Entry fresh = new Entry(new CompletableFuture<>());
        final Entry won = cached == null ? entries.putIfAbsent(url, fresh)
                : entries.replace(url, cached, fresh) ? null : entries.get(url);
        if (won != null) {
            return won.key;
        }
        CompletableFuture<SigningKey> fetched;
        try {
            fetched = fetch(x5u);
        } catch (RuntimeException e) {
            fetched = CompletableFuture.failedFuture(e);
        }
        fetched.whenComplete((key, error) -> {
            final SigningKey outcome = error == null ? key
                    : new SigningKey(null, Verification.unknown(fetchFailure(url, error)));
            fresh.expiresAtMs = clock.millis() + (outcome.key() != null ? settings.cacheSeconds()
                    : settings.failureCacheSeconds()) * 1000L;
            fresh.key.complete(outcome);
        });
        return fresh.key;
    }

    private void makeRoom(long now) {
        entries.values().removeIf(e -> e.expiresAtMs <= now);
        if (entries.size() >= MAX_ENTRIES) {
            final var first = entries.keys().nextElement();
            entries.remove(first);
        }
    }

    private CompletableFuture<SigningKey> fetch(URI x5u) {
        final HttpRequest request = HttpRequest.newBuilder(x5u)
                .timeout(Duration.ofMillis(settings.fetchTimeoutMs()))
                .header("Accept", "application/pkix-cert, application/x-pem-file, */*")
                .GET().build();
        return http.sendAsync(request, response -> new LimitedBody(MAX_BODY_BYTES))
                .orTimeout(settings.fetchTimeoutMs(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .thenApply(response -> {
                    if (response.statusCode() != 200) {
                        return new SigningKey(null, Verification.unknown("x5u " + x5u + " answered "
                                + response.statusCode()));
                    }
                    return signingKey(x5u, response.body());
                });
    }

    /** The chain's leaf key once the chain is checked against the trust anchors (PKIX, no revocation). */
    private SigningKey signingKey(URI x5u, byte[] pem) {
        final List<X509Certificate> chain = new ArrayList<>();
        try {
            for (java.security.cert.Certificate c : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem))) {
                chain.add((X509Certificate) c);
            }
        } catch (GeneralSecurityException e) {
            return new SigningKey(null, Verification.invalid("x5u " + x5u + " is not a certificate: "
                    + PemTrust.reason(e)));
        }
        if (chain.isEmpty()) {
            return new SigningKey(null, Verification.invalid("x5u " + x5u + " holds no certificate"));
        }
        try {
            final PKIXParameters pkix = new PKIXParameters(anchors);
            pkix.setRevocationEnabled(false);
            pkix.setDate(new Date(clock.millis()));
            CertPathValidator.getInstance("PKIX").validate(
                    CertificateFactory.getInstance("X.509").generateCertPath(trimAnchor(chain)), pkix);
        } catch (GeneralSecurityException e) {
            return new SigningKey(null, Verification.invalid("certificate at " + x5u
                    + " does not chain to the trust anchors: " + e.getMessage()));
        }
        if (!(chain.get(0).getPublicKey() instanceof ECPublicKey key)) {
            return new SigningKey(null, Verification.invalid("certificate at " + x5u + " has no EC key"));
        }
        return new SigningKey(key, null);
    }

    /** A served chain may end with its root; the validator wants the path without the anchor. */
    private List<X509Certificate> trimAnchor(List<X509Certificate> chain) {
        final X509Certificate last = chain.get(chain.size() - 1);
        if (chain.size() > 1) {
            for (TrustAnchor anchor : anchors) {
                if (anchor.getTrustedCert().equals(last)) {
                    return chain.subList(0, chain.size() - 1);
                }
            }
        }
        return chain;
    }

    private static String fetchFailure(String url, Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause != cause.getCause()
                && (cause instanceof java.util.concurrent.CompletionException
                || cause instanceof java.util.concurrent.ExecutionException)) {
            cause = cause.getCause();
        }
        if (cause instanceof TimeoutException || cause instanceof java.net.http.HttpTimeoutException) {
            return "x5u " + url + " fetch timed out";
        }
        return "x5u " + url + " fetch failed: " + PemTrust.reason(cause);
    }

    /** The whole body, or a failure past {@code limit} bytes (the connection is then let go). */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final int limit;
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        private Flow.Subscription subscription;

        LimitedBody(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                if (out.size() + buffer.remaining() > limit) {
                    subscription.cancel();
                    body.completeExceptionally(new IllegalStateException("body over " + limit + " bytes"));
                    return;
                }
                final byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                out.writeBytes(bytes);
            }
        }

        @Override
        public void onError(Throwable error) {
            body.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            body.complete(out.toByteArray());
        }
    }
}
