package org.callrouter.loadtest.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import org.callrouter.sip.header.Via;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.sip.uri.SipUri;
import org.callrouter.sip.uri.Uri;

/**
 * Where SIP messages go: the next hop of a SIP URI (RFC 3263 without DNS SRV: the host and port,
 * 5060 by default) and the address a response to a UDP request goes to (RFC 3261 18.2.2 with
 * RFC 3581 rport). Host names are resolved once and cached; routers put IP addresses in Contact
 * and Record-Route, so a lookup on the event loop is rare.
 */
public final class SipAddresses {

    /** The port a SIP URI without one means (RFC 3261 19.1.2). */
    public static final int DEFAULT_PORT = 5060;

    private final Map<String, InetAddress> resolved = new HashMap<>();

    /**
     * The address to send a request for {@code uri} to.
     *
     * @throws IllegalArgumentException when the URI is not a SIP URI or its host does not resolve
     */
    public InetSocketAddress nextHop(Uri uri) {
        if (!(uri instanceof SipUri sip)) {
            throw new IllegalArgumentException("not a SIP URI: " + uri);
        }
        String host = sip.host();
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        InetAddress address = resolved.get(host);
        if (address == null) {
            try {
                address = InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("host of " + uri + " does not resolve", e);
            }
            resolved.put(host, address);
        }
        return new InetSocketAddress(address, sip.port() > 0 ? sip.port() : DEFAULT_PORT);
    }

    /**
     * Where the response to {@code request}, received over UDP from {@code sender}, goes (RFC 3261
     * 18.2.2): the source address (which {@code received} records), at the source port when the
     * top Via asked for {@code rport} (RFC 3581), else at the Via's port (default 5060).
     */
    public static InetSocketAddress responseAddress(SipRequest request, InetSocketAddress sender) {
        Via via = request.topVia();
        if (via.hasRport()) {
            return sender;
        }
        int port = via.port() > 0 ? via.port() : DEFAULT_PORT;
        return port == sender.getPort() ? sender : new InetSocketAddress(sender.getAddress(), port);
    }
}
