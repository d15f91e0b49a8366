package org.callrouter.server.transport;

import java.net.InetSocketAddress;

import io.netty.channel.Channel;

/**
 * Where a message goes: a transport and an address, and for a stream transport the
 * connection to reuse when there is one (RFC 3261 18.2.2: a response goes back on the
 * connection its request came in on).
 *
 * @param transport  UDP or TCP.
 * @param address    the peer address, resolved.
 * @param connection the TCP connection to use, or null to use or open one to {@code address}.
 */
public record Destination(Transport transport, InetSocketAddress address, Channel connection) {

    /** A destination without a preferred connection. */
    public static Destination of(Transport transport, InetSocketAddress address) {
        return new Destination(transport, address, null);
    }

    @Override
    public String toString() {
        return transport + ":" + address.getAddress().getHostAddress() + ":" + address.getPort();
    }
}
