package org.callrouter.server.transport;

import java.util.Locale;

/** The SIP transports the router speaks (RFC 3261 section 18). */
public enum Transport {
    UDP(false),
    TCP(true);

    private final boolean reliable;

    Transport(boolean reliable) {
        this.reliable = reliable;
    }

    /** Reliable transports need no retransmissions and zero-length wait timers (RFC 3261 17.1.1.2). */
    public boolean reliable() {
        return reliable;
    }

    /** Parses a Via or URI transport token, case-insensitively; null when unknown. */
    public static Transport fromToken(String token) {
        if (token == null) {
            return null;
        }
        return switch (token.toUpperCase(Locale.ROOT)) {
            case "UDP" -> UDP;
            case "TCP" -> TCP;
            default -> null;
        };
    }
}
