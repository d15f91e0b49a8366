package org.callrouter.server.b2bua;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ConcurrentHashMap;

import org.callrouter.sip.uri.SipUri;
import org.callrouter.sip.uri.Uri;
import org.callrouter.server.transport.Destination;
import org.callrouter.server.transport.Transport;

/**
 * Turns SIP URIs into destinations (RFC 3263 without DNS SRV/NAPTR: the host's address, the
 * URI port or the transport's default, TLS for {@code sips:}, else the {@code transport}
 * parameter or UDP). A TLS destination carries the URI host, which the peer's certificate must
 * name (RFC 5922 section 7). Handler URIs are resolved when the
 * configuration loads, so the SIP loop never waits on DNS; a URI learnt from a peer (a Contact)
 * is used only when its host is an address literal.
 */
public final class SipTargets {

    private final ConcurrentHashMap<String, Destination> resolved = new ConcurrentHashMap<>();

    /**
     * Resolves a configured handler URI, blocking on DNS for host names: call it when loading
     * the configuration, then {@link #cached} on the SIP loop.
     *
     * @throws IllegalArgumentException when the URI is not sip:/sips: or the host does not resolve.
     */
    public Destination resolve(String uriText, Uri uri) {
        final Destination known = resolved.get(uriText);
        if (known != null) {
            return known;
        }
        if (!(uri instanceof SipUri sip)) {
            throw new IllegalArgumentException("'" + uriText + "' is not a sip: URI");
        }
        final InetAddress address;
        try {
            address = InetAddress.getByName(stripBrackets(sip.host()));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + uriText + "': host " + sip.host() + " does not resolve", e);
        }
        final Destination destination = destination(sip, address);
        resolved.put(uriText, destination);
        return destination;
    }

    /** A destination resolved earlier by {@link #resolve}, or null. */
    public Destination cached(String uriText) {
        return resolved.get(uriText);
    }

    /**
     * The destination of a URI a peer gave us (a Contact or Route), when its host is an IP
     * literal; null otherwise, and the caller falls back to where the peer's messages came from.
     */
    public static Destination literal(Uri uri) {
        if (!(uri instanceof SipUri sip)) {
            return null;
        }
        final String host = stripBrackets(sip.host());
        if (!isAddressLiteral(host)) {
            return null;
        }
        try {
            return destination(sip, InetAddress.getByName(host));
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static Destination destination(SipUri uri, InetAddress address) {
        final Transport transport = transportOf(uri);
        final InetSocketAddress to = new InetSocketAddress(address, uri.port() > 0 ? uri.port() : transport.defaultPort());
        return transport == Transport.TLS ? Destination.tls(to, stripBrackets(uri.host())) : Destination.of(transport, to);
    }

    /** RFC 3261 26.2.2: a {@code sips:} URI is reached over TLS, whatever its transport parameter says. */
    static Transport transportOf(SipUri uri) {
        if (uri.secure()) {
            return Transport.TLS;
        }
        final Transport t = Transport.fromToken(uri.param("transport"));
        return t == null ? Transport.UDP : t;
    }

    private static boolean isAddressLiteral(String host) {
        if (host.indexOf(':') >= 0) {
            return true;
        }
        for (int i = 0; i < host.length(); i++) {
            final char c = host.charAt(i);
            if ((c < '0' || c > '9') && c != '.') {
                return false;
            }
        }
        return !host.isEmpty();
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
