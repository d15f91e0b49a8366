package org.callrouter.server.transport;

import java.util.Locale;

/** The SIP transports the router speaks (RFC 3261 sections 18 and 26). */
public enum Transport {
    UDP(false, 5060),
    TCP(true, 5060),
    /** SIP over TLS over TCP: what a {@code sips:} URI means (RFC 3261 26.2.2). */
    TLS(true, 5061);

    private final boolean reliable;
    private final int defaultPort;

    Transport(boolean reliable, int defaultPort) {
        this.reliable = reliable;
        this.defaultPort = defaultPort;
    }

    /** The port a URI without one means (RFC 3263 4.2: 5061 for TLS, 5060 otherwise). */
    public int defaultPort() {
        return defaultPort;
    }

    /**
     * Reliable transports need no retransmissions and zero-length wait timers (RFC 3261 17.1.1.2);
     * they are the stream transports, whose responses go back on the request's connection (18.2.2).
     */
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
            case "TLS" -> TLS;
            default -> null;
        };
    }
}
