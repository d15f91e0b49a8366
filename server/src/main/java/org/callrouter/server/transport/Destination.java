package org.callrouter.server.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import io.netty.channel.Channel;

/**
 * Where a message goes: a transport and an address, and for a stream transport the
 * connection to reuse when there is one (RFC 3261 18.2.2: a response goes back on the
 * connection its request came in on).
 *
 * @param transport  UDP, TCP or TLS.
 * @param address    the peer address, resolved.
 * @param connection the TCP or TLS connection to use, or null to use or open one to {@code address}.
 * @param serverName for a TLS destination, the host its certificate must name (the URI host,
 *                   RFC 5922 section 7) and the SNI sent; null otherwise.
 */
public record Destination(Transport transport, InetSocketAddress address, Channel connection, String serverName) {

    /** A destination reached on an existing connection, or without a TLS server name. */
    public Destination(Transport transport, InetSocketAddress address, Channel connection) {
        this(transport, address, connection, null);
    }

    /** A destination without a preferred connection. */
    public static Destination of(Transport transport, InetSocketAddress address) {
        return new Destination(transport, address, null, null);
    }

    /** A TLS destination whose certificate must name {@code serverName}. */
    public static Destination tls(InetSocketAddress address, String serverName) {
        return new Destination(Transport.TLS, address, null, serverName);
    }

    @Override
    public String toString() {
        return transport + ":" + address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    /**
     * Why datagrams or connections to {@code address} cannot work, or null: the kernel refuses
     * 0.0.0.0/8 as a destination ({@code EINVAL}), and multicast, 240.0.0.0/4 (with the
     * broadcast address), {@code ::} and ff00::/8 are no SIP peer; port 0 is no port.
     */
    public static String refusal(InetSocketAddress address) {
        if (address.getPort() <= 0 || address.getPort() > 65_535) {
            return "has no usable port";
        }
        final InetAddress ip = address.getAddress();
        if (ip == null) {
            return "is not an address";
        }
        if (ip.isMulticastAddress()) {
            return "is a multicast address";
        }
        if (ip.isAnyLocalAddress()) {
            return "is the unspecified address";
        }
        final byte[] bytes = ip.getAddress();
        if (bytes.length == 4 && (bytes[0] == 0 || (bytes[0] & 0xF0) == 0xF0)) {
            return bytes[0] == 0 ? "is in 0.0.0.0/8, which the kernel does not send to"
                    : "is in the reserved 240.0.0.0/4 (or the broadcast address)";
        }
        return null;
    }
}
