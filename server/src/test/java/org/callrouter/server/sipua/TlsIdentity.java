package org.callrouter.server.sipua;

import java.nio.file.Path;

/**
 * What a peer listening on TLS presents and trusts (jain-sip-ri's {@code javax.net.ssl.*} stack
 * properties): PKCS#12 stores written by {@link TestPki}, with {@link TestPki#STORE_PASSWORD}.
 *
 * @param keyStore   the peer's key and certificate chain.
 * @param trustStore the CA certificates it accepts from the router.
 */
public record TlsIdentity(Path keyStore, Path trustStore) {

    /** Writes the stores of {@code leaf} (trusting {@code trusted}) into {@code dir} under {@code name}. */
    public static TlsIdentity write(Path dir, String name, TestPki.Leaf leaf, TestPki.Authority trusted) {
        return new TlsIdentity(leaf.writeKeyStore(dir.resolve(name + "-keys.p12")),
                trusted.writeTrustStore(dir.resolve(name + "-trust.p12")));
    }
}
