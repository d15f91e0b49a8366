package org.callrouter.server.transport;

import java.net.InetSocketAddress;
import java.util.Locale;

import org.callrouter.routing.config.ListenAddress;

/** A SIP socket to bind or bound: a transport and an address. */
public record SipSocket(Transport transport, InetSocketAddress address) {

    /** The socket a {@code server.sip.listen} entry asks for. */
    public static SipSocket of(ListenAddress listen) {
        final Transport transport = switch (listen.transport()) {
            case UDP -> Transport.UDP;
            case TCP -> Transport.TCP;
            case TLS -> Transport.TLS;
        };
        return new SipSocket(transport, new InetSocketAddress(listen.address().host(), listen.address().port()));
    }

    @Override
    public String toString() {
        final String host = address.getAddress().getHostAddress();
        return transport.name().toLowerCase(Locale.ROOT) + ":" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host)
                + ":" + address.getPort();
    }
}
