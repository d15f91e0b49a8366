package org.callrouter.server.callback;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Callback ids: {@code cb} and 20 hex digits (80 bits) from {@link SecureRandom}, so that an id
 * (which {@code DELETE /v1/callbacks/{id}} takes) cannot be guessed from another.
 */
final class CallbackIds {

    private static final HexFormat HEX = HexFormat.of();

    private final SecureRandom random = new SecureRandom();

    String next() {
        final byte[] bytes = new byte[10];
        random.nextBytes(bytes);
        return "cb" + HEX.formatHex(bytes);
    }
}
