package org.callrouter.server.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code X-Callrouter-Signature} of a webhook: {@code t=<unix seconds>,v1=<hex>}, where
 * {@code <hex>} is the lowercase hex HMAC-SHA256 (RFC 2104, FIPS 180-4) of
 * {@code <t>.<body bytes>} keyed with the webhook's {@code secret} (its UTF-8 bytes). The
 * timestamp is taken when each try is sent, so a receiver that refuses a {@code t} more than
 * {@link #TOLERANCE_SECONDS} from its clock refuses a replayed request, and a changed
 * {@code t} breaks the HMAC. {@link #verify} is what a receiver does (also in
 * {@code config/examples/verify-webhook.py}).
 */
public final class Signature {

    /** The header carrying the signature. */
    public static final String HEADER = "X-Callrouter-Signature";
    /** How far a receiver should accept {@code t} from its own clock, either way. */
    public static final long TOLERANCE_SECONDS = 300;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Signature() {
    }

    /** {@code t=<timestampSeconds>,v1=<hex>} of {@code body} under {@code secret}. */
    public static String sign(String secret, long timestampSeconds, byte[] body) {
        return "t=" + timestampSeconds + ",v1=" + hex(hmac(secret, timestampSeconds, body));
    }

    /**
     * Whether {@code header} signs {@code body} under {@code secret} with a timestamp within
     * {@link #TOLERANCE_SECONDS} of {@code nowSeconds}; the HMAC is compared in constant time.
     */
    public static boolean verify(String secret, String header, byte[] body, long nowSeconds) {
        if (header == null) {
            return false;
        }
        long t = -1;
        String v1 = null;
        for (String field : header.split(",")) {
            if (field.startsWith("t=") && field.length() > 2 && field.substring(2).chars().allMatch(Character::isDigit)
                    && field.length() < 20) {
                t = Long.parseLong(field.substring(2));
            } else if (field.startsWith("v1=")) {
                v1 = field.substring(3);
            }
        }
        if (t < 0 || v1 == null || Math.abs(nowSeconds - t) > TOLERANCE_SECONDS) {
            return false;
        }
        return MessageDigest.isEqual(hex(hmac(secret, t, body)).getBytes(StandardCharsets.US_ASCII),
                v1.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] hmac(String secret, long timestampSeconds, byte[] body) {
        final Mac mac;
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every JDK has HmacSHA256 and accepts any non-empty key", e);
        }
        mac.update((timestampSeconds + ".").getBytes(StandardCharsets.US_ASCII));
        return mac.doFinal(body);
    }

    private static String hex(byte[] digest) {
        final char[] out = new char[2 * digest.length];
        for (int i = 0; i < digest.length; i++) {
            out[2 * i] = HEX[(digest[i] >> 4) & 0xF];
            out[2 * i + 1] = HEX[digest[i] & 0xF];
        }
        return new String(out);
    }
}
