package org.callrouter.routing.pool;

import java.security.SecureRandom;

/** Session ids: 128 bits from {@link SecureRandom}, written as 32 lowercase hex characters. */
final class SessionIds {

    static final int LENGTH = 32;

    private final SecureRandom random = new SecureRandom();

    /** A new id's two halves. */
    long[] next() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = high << 8 | (bytes[i] & 0xFF);
            low = low << 8 | (bytes[8 + i] & 0xFF);
        }
        return new long[] {high, low};
    }

    static String text(long high, long low) {
        return hex(high) + hex(low);
    }

    private static String hex(long half) {
        String text = Long.toHexString(half);
        return "0".repeat(16 - text.length()) + text;
    }

    /** Whether {@code text} has the form of an id (it may still name no session). */
    static boolean isWellFormed(String text) {
        if (text == null || text.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }
}
