package org.callrouter.server.leads;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Ids the store makes: a letter ({@code L} lead, {@code S} sale, {@code A} audit entry) and
 * 20 hex digits (80 bits) from {@link SecureRandom}, so ids cannot be guessed from each other.
 */
final class LeadIds {

    private static final HexFormat HEX = HexFormat.of();

    private final SecureRandom random = new SecureRandom();

    String lead() {
        return next('L');
    }

    String sale() {
        return next('S');
    }

    String audit() {
        return next('A');
    }

    private synchronized String next(char prefix) {
        byte[] bytes = new byte[10];
        random.nextBytes(bytes);
        return prefix + HEX.formatHex(bytes);
    }
}
