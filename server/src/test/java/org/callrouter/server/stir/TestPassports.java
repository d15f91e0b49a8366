package org.callrouter.server.stir;

import java.net.URI;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Signs PASSporTs the way a SHAKEN authentication service does (RFC 8225, RFC 8588): ES256 with
 * an EC P-256 key, {@code ppt=shaken}, {@code x5u} naming the certificate, and writes them as
 * {@code Identity} header values (RFC 8224 4.1).
 */
public final class TestPassports {

    /** The {@code origid} of every PASSporT signed here. */
    public static final String ORIGID = "123e4567-e89b-12d3-a456-426655440000";

    private final PrivateKey key;
    private final String x5u;

    private TestPassports(PrivateKey key, String x5u) {
        this.key = key;
        this.x5u = x5u;
    }

    /** A signer with {@code key} (a test certificate's) and the URL its certificate is served at. */
    public static TestPassports of(PrivateKey key, String x5u) {
        return new TestPassports(key, x5u);
    }

    /** A signer with a fresh key no certificate names. */
    public static TestPassports newKey(String x5u) {
        try {
            final KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return new TestPassports(generator.generateKeyPair().getPrivate(), x5u);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An Identity header value: a SHAKEN PASSporT from {@code orig} to {@code dest}, issued at {@code iat}. */
    public String identity(String attest, String orig, String dest, long iatSeconds) {
        return sign("shaken", attest, orig, dest, iatSeconds);
    }

    private String sign(String ppt, String attest, String orig, String dest, long iatSeconds) {
        final JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256)
                .type(new JOSEObjectType("passport"))
                .customParam("ppt", ppt)
                .x509CertURL(URI.create(x5u))
                .build();
        final SignedJWT jwt = new SignedJWT(header, claims(attest, orig, dest, iatSeconds));
        try {
            jwt.sign(new ECDSASigner((java.security.interfaces.ECPrivateKey) key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize() + ";info=<" + x5u + ">;alg=ES256;ppt=" + ppt;
    }

    /** A diversion PASSporT (RFC 8946), which is not the SHAKEN one. */
    public static String divIdentity(String x5u, long iatSeconds) {
        return newKey(x5u).sign("div", null, "18005550199", "18005550100", iatSeconds);
    }

    /** A PASSporT signed with HS256 (a shared secret), which RFC 8225 does not allow. */
    public static String hs256Identity(String x5u, long iatSeconds) {
        final byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        final JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS256)
                .customParam("ppt", "shaken").x509CertURL(URI.create(x5u)).build();
        final SignedJWT jwt = new SignedJWT(header, claims("A", "14155550111", "18005550100", iatSeconds));
        try {
            jwt.sign(new MACSigner(secret));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize() + ";info=<" + x5u + ">;alg=HS256;ppt=shaken";
    }

    private static JWTClaimsSet claims(String attest, String orig, String dest, long iatSeconds) {
        final JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .claim("orig", Map.of("tn", orig))
                .claim("dest", Map.of("tn", List.of(dest)))
                .issueTime(new Date(iatSeconds * 1000))
                .claim("origid", ORIGID);
        if (attest != null) {
            claims.claim("attest", attest);
        }
        return claims.build();
    }
}
