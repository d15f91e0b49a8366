package org.callrouter.server.transport;

import java.net.InetSocketAddress;

/**
 * A socket the router listens on, written {@code transport:host:port} in the configuration
 * ({@code udp:127.0.0.1:5060}, {@code tcp:[::1]:5060}).
 */
public record ListenAddress(Transport transport, InetSocketAddress address) {

    /**
     * Parses {@code transport:host:port}.
     *
     * @throws IllegalArgumentException with a message naming the part that is wrong.
     */
    public static ListenAddress parse(String text) {
        final int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("'" + text + "' is not transport:host:port");
        }
        final Transport transport = Transport.fromToken(text.substring(0, colon));
        if (transport == null) {
            throw new IllegalArgumentException("'" + text + "': transport must be udp or tcp");
        }
        final String hostPort = text.substring(colon + 1);
        final int portColon = hostPort.lastIndexOf(':');
        if (portColon <= 0) {
            throw new IllegalArgumentException("'" + text + "' has no port");
        }
        String host = hostPort.substring(0, portColon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        final int port;
        try {
            port = Integer.parseInt(hostPort.substring(portColon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "': port is not a number");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("'" + text + "': port must be 0..65535");
        }
        return new ListenAddress(transport, new InetSocketAddress(host, port));
    }

    @Override
    public String toString() {
        final String host = address.getAddress().getHostAddress();
        final String shown = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return transport.name().toLowerCase(java.util.Locale.ROOT) + ":" + shown + ":" + address.getPort();
    }
}
