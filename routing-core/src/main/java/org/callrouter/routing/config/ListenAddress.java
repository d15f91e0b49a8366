package org.callrouter.routing.config;

import java.util.Locale;

/**
 * One SIP listening socket: {@code udp:127.0.0.1:5060}, {@code tcp:[::1]:5060},
 * {@code tls:127.0.0.1:5061}.
 *
 * @param transport UDP, TCP or TLS (RFC 3261 sections 18 and 26)
 * @param address   host and port to bind
 */
public record ListenAddress(Transport transport, HostPort address) {

    /** The SIP transports the router listens on. */
    public enum Transport { UDP, TCP, TLS }

    /**
     * Parses {@code transport:host:port}.
     *
     * @throws IllegalArgumentException with a message for the operator
     */
    public static ListenAddress parse(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("expected transport:host:port such as udp:127.0.0.1:5060, got \"" + text + "\"");
        }
        String transport = text.substring(0, colon).toLowerCase(Locale.ROOT);
        Transport parsed = switch (transport) {
            case "udp" -> Transport.UDP;
            case "tcp" -> Transport.TCP;
            case "tls" -> Transport.TLS;
            default -> throw new IllegalArgumentException("transport must be udp, tcp or tls, got \"" + text.substring(0, colon) + "\"");
        };
        return new ListenAddress(parsed, HostPort.parse(text.substring(colon + 1)));
    }

    @Override
    public String toString() {
        return transport.name().toLowerCase(Locale.ROOT) + ":" + address;
    }
}
