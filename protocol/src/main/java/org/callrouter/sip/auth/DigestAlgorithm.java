package org.callrouter.sip.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.charset.StandardCharsets;

/**
 * The digest algorithms of RFC 7616 section 6.1 that SIP uses (RFC 8760), weakest first: a
 * client offered several picks the last one it supports.
 */
public enum DigestAlgorithm {
    MD5("MD5", "MD5", false),
    MD5_SESS("MD5-sess", "MD5", true),
    SHA_256("SHA-256", "SHA-256", false),
    SHA_256_SESS("SHA-256-sess", "SHA-256", true),
    SHA_512_256("SHA-512-256", "SHA-512/256", false),
    SHA_512_256_SESS("SHA-512-256-sess", "SHA-512/256", true);

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final String token;
    private final String javaName;
    private final boolean session;

    DigestAlgorithm(String token, String javaName, boolean session) {
        this.token = token;
        this.javaName = javaName;
        this.session = session;
    }

    /** The name as written in the {@code algorithm} parameter. */
    public String token() {
        return token;
    }

    /** Whether this is a {@code -sess} variant (RFC 7616 3.4.2: A1 takes the nonces too). */
    public boolean session() {
        return session;
    }

    /**
     * The algorithm a challenge's {@code algorithm} parameter names, case-insensitively; an
     * absent parameter means MD5 (RFC 7616 3.3). Null when we do not support it.
     */
    public static DigestAlgorithm byToken(String token) {
        if (token == null) {
            return MD5;
        }
        for (DigestAlgorithm a : values()) {
            if (a.token.equalsIgnoreCase(token.trim())) {
                return a;
            }
        }
        return null;
    }

    /** {@code H(data)}: the lowercase hex digest of the UTF-8 bytes of {@code data}. */
    public String hash(String data) {
        final byte[] digest;
        try {
            digest = MessageDigest.getInstance(javaName).digest(data.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            // Java SE requires MD5 and SHA-256; the JDK's SUN provider also has SHA-512/256.
            throw new IllegalStateException(javaName + " is missing from this Java runtime", e);
        }
        final char[] out = new char[digest.length * 2];
        for (int i = 0; i < digest.length; i++) {
            out[2 * i] = HEX[(digest[i] >> 4) & 0xF];
            out[2 * i + 1] = HEX[digest[i] & 0xF];
        }
        return new String(out);
    }
}
