package org.callrouter.server.transaction;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Identifiers the router mints: Via branches (RFC 3261 8.1.1.7, magic cookie first), tags
 * (19.3) and Call-IDs (8.1.1.4). Random 64-bit values in hex: unique enough and cheap.
 */
public final class BranchIds {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private BranchIds() {
    }

    /** A new branch parameter, {@code z9hG4bK} and 16 hex digits. */
    public static String branch() {
        return "z9hG4bK" + hex(ThreadLocalRandom.current().nextLong());
    }

    /** A new From/To tag: 16 hex digits. */
    public static String tag() {
        return hex(ThreadLocalRandom.current().nextLong());
    }

    /** 16 lowercase hex digits of {@code value}. */
    public static String hex(long value) {
        final char[] out = new char[16];
        for (int i = 15; i >= 0; i--) {
            out[i] = HEX[(int) (value & 0xF)];
            value >>>= 4;
        }
        return new String(out);
    }
}
