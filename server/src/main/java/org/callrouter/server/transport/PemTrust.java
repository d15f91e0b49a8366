package org.callrouter.server.transport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates of a PEM file as trust: the CA file of SIP over TLS, the STIR/SHAKEN trust
 * anchors and the CA of {@code x5u} servers.
 */
public final class PemTrust {

    private PemTrust() {
    }

    /**
     * Every certificate of a PEM file, in file order.
     *
     * @throws IllegalArgumentException naming the file when it cannot be read or holds none
     */
    public static List<X509Certificate> certificates(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            final List<X509Certificate> out = new ArrayList<>();
            for (java.security.cert.Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new IllegalArgumentException("no certificate in CA file " + file);
            }
            return out;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read CA file " + file + ": " + reason(e), e);
        }
    }

    /** A trust manager factory trusting the file's certificates alone. */
    public static TrustManagerFactory trustOnly(Path file) {
        final List<X509Certificate> certificates = certificates(file);
        try {
            final KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (X509Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            final TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read CA file " + file + ": " + reason(e), e);
        }
    }

    /** The message of {@code e}, with its root cause's when they differ. */
    public static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root.getMessage() + ")";
    }
}
