package org.callrouter.server.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code X-Signature} of a webhook: {@code sha256=} and the lowercase hex HMAC-SHA256
 * (RFC 2104, FIPS 180-4) of the exact body bytes, keyed with the webhook's {@code secret}
 * (its UTF-8 bytes). A receiver recomputes it over the body it got and compares in constant time.
 */
public final class Signature {

    /** The header carrying the signature. */
    public static final String HEADER = "X-Signature";
    private static final String PREFIX = "sha256=";
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Signature() {
    }

    /** {@code sha256=<hex>} of {@code body} under {@code secret}. */
    public static String sign(String secret, byte[] body) {
        final Mac mac;
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every JDK has HmacSHA256 and accepts any non-empty key", e);
        }
        final byte[] digest = mac.doFinal(body);
        final char[] out = new char[PREFIX.length() + 2 * digest.length];
        PREFIX.getChars(0, PREFIX.length(), out, 0);
        for (int i = 0; i < digest.length; i++) {
            out[PREFIX.length() + 2 * i] = HEX[(digest[i] >> 4) & 0xF];
            out[PREFIX.length() + 2 * i + 1] = HEX[digest[i] & 0xF];
        }
        return new String(out);
    }
}
