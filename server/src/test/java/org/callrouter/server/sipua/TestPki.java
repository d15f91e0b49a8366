package org.callrouter.server.sipua;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made when a test runs (none are committed, so none expire): a self-signed CA and
 * the leaves it issues, as PEM files for the router and PKCS#12 stores for jain-sip-ri peers.
 * EC P-256 keys (quick to make); valid from an hour ago for a day.
 */
public final class TestPki {

    /** Password of every PKCS#12 store this class writes (test material only). */
    public static final String STORE_PASSWORD = "changeit";

    private static final AtomicLong SERIALS = new AtomicLong(System.nanoTime());

    private TestPki() {
    }

    /** A certificate authority that issues leaves. */
    public static final class Authority {
        private final KeyPair keys;
        private final X509Certificate certificate;

        private Authority(KeyPair keys, X509Certificate certificate) {
            this.keys = keys;
            this.certificate = certificate;
        }

        public X509Certificate certificate() {
            return certificate;
        }

        /**
         * A leaf for TLS servers and clients naming {@code names}: each an IPv4 literal (an IP
         * subjectAltName) or a host name (a DNS one).
         */
        public Leaf issue(String commonName, String... names) {
            final KeyPair leafKeys = ecKeys();
            try {
                final List<GeneralName> alt = new ArrayList<>();
                for (String name : names) {
                    alt.add(new GeneralName(name.matches("[0-9.]+") ? GeneralName.iPAddress : GeneralName.dNSName, name));
                }
                final X509v3CertificateBuilder builder = builder(new X500Name("CN=" + commonName),
                        new X500Name(certificate.getSubjectX500Principal().getName()), leafKeys)
                        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                        .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                                new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                        .addExtension(Extension.subjectAlternativeName, false,
                                new GeneralNames(alt.toArray(GeneralName[]::new)));
                return new Leaf(leafKeys, sign(builder, keys), certificate);
            } catch (CertIOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Writes the CA certificate as PEM. */
        public Path writePem(Path file) {
            return write(file, pem("CERTIFICATE", encoded(certificate)));
        }

        /** Writes a PKCS#12 trust store holding the CA certificate. */
        public Path writeTrustStore(Path file) {
            try {
                final KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setCertificateEntry("ca", certificate);
                return store(store, file);
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A leaf certificate, its key and the CA that issued it. */
    public static final class Leaf {
        private final KeyPair keys;
        private final X509Certificate certificate;
        private final X509Certificate issuer;

        private Leaf(KeyPair keys, X509Certificate certificate, X509Certificate issuer) {
            this.keys = keys;
            this.certificate = certificate;
            this.issuer = issuer;
        }

        /** The leaf's private key (a test's STIR signer signs PASSporTs with it). */
        public java.security.PrivateKey privateKey() {
            return keys.getPrivate();
        }

        public X509Certificate certificate() {
            return certificate;
        }

        /** Writes the chain (leaf, then CA) as PEM. */
        public Path writeCertificatePem(Path file) {
            return write(file, pem("CERTIFICATE", encoded(certificate)) + pem("CERTIFICATE", encoded(issuer)));
        }

        /** Writes the key as unencrypted PKCS#8 PEM ({@code BEGIN PRIVATE KEY}). */
        public Path writeKeyPem(Path file) {
            return write(file, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        }

        /** Writes a PKCS#12 key store with the key and chain. */
        public Path writeKeyStore(Path file) {
            try {
                final KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("leaf", keys.getPrivate(), STORE_PASSWORD.toCharArray(),
                        new Certificate[] {certificate, issuer});
                return store(store, file);
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A new self-signed CA. */
    public static Authority authority(String commonName) {
        final KeyPair keys = ecKeys();
        final X500Name name = new X500Name("CN=" + commonName);
        try {
            final X509v3CertificateBuilder builder = builder(name, name, keys)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new Authority(keys, sign(builder, keys));
        } catch (CertIOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509v3CertificateBuilder builder(X500Name subject, X500Name issuer, KeyPair subjectKeys) {
        final Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIALS.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject,
                subjectKeys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuerKeys) {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair ecKeys() {
        try {
            final KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, text, StandardCharsets.US_ASCII);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path store(KeyStore store, Path file) throws IOException, GeneralSecurityException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, STORE_PASSWORD.toCharArray());
        }
        return file;
    }
}
