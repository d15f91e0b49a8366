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
 * URI port or 5060, the {@code transport} parameter or UDP). Handler URIs are resolved when the
 * configuration loads, so the SIP loop never waits on DNS; a URI learnt from a peer (a Contact)
 * is used only when its host is an address literal.
 */
public final class SipTargets {

    private static final int DEFAULT_PORT = 5060;

    private final ConcurrentHashMap<String, Destination> resolved = new ConcurrentHashMap<>();

    /**
     * Resolves a configured handler URI, blocking on DNS for host names: call it when loading
     * the configuration, then {@link #cached} on the SIP loop.
     *
     * @throws IllegalArgumentException when the URI is not sip:/sips:, the host does not resolve, or
     *                                  its address is one no message can be sent to.
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
        final InetSocketAddress socketAddress = new InetSocketAddress(address, sip.port() > 0 ? sip.port() : DEFAULT_PORT);
        final String unusable = unreachable(socketAddress);
        if (unusable != null) {
            throw new IllegalArgumentException("'" + uriText + "': " + address.getHostAddress() + ":"
                    + socketAddress.getPort() + " " + unusable);
        }
        final Destination destination = Destination.of(transportOf(sip), socketAddress);
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
        final InetSocketAddress address = literalAddress(uri);
        return address == null || unreachable(address) != null ? null : Destination.of(transportOf((SipUri) uri), address);
    }

    /**
     * Why a URI a peer gave us (a Contact, a Record-Route) names an address no message can be
     * sent to, or null when it is usable or not an address literal (a host name: the peer's
     * source address is used then).
     */
    public static String refusal(Uri uri) {
        final InetSocketAddress address = literalAddress(uri);
        final String why = address == null ? null : unreachable(address);
        return why == null ? null : ((SipUri) uri).host() + ":" + address.getPort() + " " + why;
    }

    /**
     * Why datagrams or connections to {@code address} cannot work, or null: the kernel refuses
     * 0.0.0.0/8 as a destination ({@code EINVAL}), and multicast, 240.0.0.0/4 (with the
     * broadcast address), {@code ::} and ff00::/8 are no SIP peer; port 0 is no port.
     */
    static String unreachable(InetSocketAddress address) {
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

    /** The address of a sip:/sips: URI whose host is an IP literal, or null. */
    private static InetSocketAddress literalAddress(Uri uri) {
        if (!(uri instanceof SipUri sip)) {
            return null;
        }
        final String host = stripBrackets(sip.host());
        if (!isAddressLiteral(host)) {
            return null;
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), sip.port() > 0 ? sip.port() : DEFAULT_PORT);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    static Transport transportOf(SipUri uri) {
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
