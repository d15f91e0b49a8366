package org.callrouter.loadtest.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code HOST:PORT} (IPv6 as {@code [::1]:5060}) to a resolved socket address; a bare host gets {@code defaultPort}. */
final class HostPort {

    private HostPort() {
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    static InetSocketAddress parse(String text, int defaultPort) {
        String host = text;
        int port = defaultPort;
        int colon = text.lastIndexOf(':');
        boolean bracketed = text.startsWith("[");
        if (bracketed ? text.indexOf("]:") > 0 : colon > 0 && text.indexOf(':') == colon) {
            host = text.substring(0, colon);
            String p = text.substring(colon + 1);
            try {
                port = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "': port '" + p + "' is not a number", e);
            }
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("'" + text + "': port " + port + " is outside 0..65535");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' has no host");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "': host '" + host + "' does not resolve", e);
        }
    }

    /** picocli converter for a {@code HOST:PORT} that defaults to port 5060. */
    static final class Converter implements ITypeConverter<InetSocketAddress> {
        @Override
        public InetSocketAddress convert(String value) {
            try {
                return parse(value, 5060);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
