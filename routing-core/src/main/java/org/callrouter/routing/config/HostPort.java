package org.callrouter.routing.config;

/**
 * A host (name, IPv4 or IPv6 literal without brackets) and a port.
 *
 * @param host the host; IPv6 literals are stored without brackets
 * @param port 0..65535; 0 asks the operating system for a free port
 */
public record HostPort(String host, int port) {

    /**
     * Parses {@code host:port} or {@code [v6]:port}.
     *
     * @throws IllegalArgumentException with a message for the operator
     */
    public static HostPort parse(String text) {
        String host;
        String portText;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("expected [IPv6]:port, got \"" + text + "\"");
            }
            host = text.substring(1, close);
            portText = text.substring(close + 2);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("expected host:port, got \"" + text + "\"");
            }
            host = text.substring(0, colon);
            portText = text.substring(colon + 1);
            if (host.indexOf(':') >= 0) {
                throw new IllegalArgumentException("IPv6 addresses need brackets, e.g. [::1]:5060, got \"" + text + "\"");
            }
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("missing host in \"" + text + "\"");
        }
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port must be a number, got \"" + portText + "\"");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
        }
        return new HostPort(host, port);
    }

    /** {@code host:port}, with brackets around an IPv6 literal. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
