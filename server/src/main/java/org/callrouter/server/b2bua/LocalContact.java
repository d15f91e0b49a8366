package org.callrouter.server.b2bua;

import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.Map;

import io.netty.util.NetUtil;
import org.callrouter.server.transaction.BranchIds;
import org.callrouter.server.transport.Transport;

/**
 * How the router names itself in the messages it originates: the Via sent-by and the Contact
 * for each transport it listens on (RFC 3261 8.1.1.7, 8.1.1.8), using the advertised host when
 * one is configured (a public address in front of a private one).
 */
public final class LocalContact {

    private final Map<Transport, Entry> entries = new EnumMap<>(Transport.class);
    private final String host;

    /**
     * @param advertisedHost host to publish, or null to publish each socket's own address.
     * @param bound          the bound socket per transport.
     */
    public LocalContact(String advertisedHost, Map<Transport, InetSocketAddress> bound) {
        String firstHost = null;
        for (Map.Entry<Transport, InetSocketAddress> e : bound.entrySet()) {
            final String h = advertisedHost != null ? bracketed(advertisedHost) : hostText(e.getValue());
            if (firstHost == null) {
                firstHost = h;
            }
            entries.put(e.getKey(), new Entry(e.getKey(), h, e.getValue().getPort()));
        }
        this.host = firstHost == null ? "127.0.0.1" : firstHost;
    }

    /** The host the router calls itself, for Call-IDs and From URIs. */
    public String host() {
        return host;
    }

    /** A top Via value with a new branch: {@code SIP/2.0/UDP host:port;branch=z9hG4bK...;rport}. */
    public String newVia(Transport transport) {
        return entry(transport).viaPrefix + BranchIds.branch() + ";rport";
    }

    /** The Via sent-by ({@code host:port}) for {@code transport}, or null when the router does not listen on it. */
    public String sentBy(Transport transport) {
        final Entry entry = entries.get(transport);
        return entry == null ? null : entry.sentBy;
    }

    /** The Contact value for dialogs on {@code transport}. */
    public String contact(Transport transport) {
        return entry(transport).contact;
    }

    /** True when the router listens on {@code transport}. */
    public boolean supports(Transport transport) {
        return entries.containsKey(transport);
    }

    private Entry entry(Transport transport) {
        final Entry entry = entries.get(transport);
        if (entry == null) {
            throw new IllegalStateException("the router does not listen on " + transport);
        }
        return entry;
    }

    /** An IPv6 literal as {@code advertised_host} may give it ({@code 2001:db8::1}), in brackets as a sent-by and URI host need it. */
    private static String bracketed(String host) {
        return host.indexOf(':') >= 0 && host.charAt(0) != '[' ? "[" + host + "]" : host;
    }

    /** An IPv6 address in brackets and in its RFC 5952 form ({@code [::1]}, not {@code [0:0:0:0:0:0:0:1]}). */
    private static String hostText(InetSocketAddress address) {
        final String h = NetUtil.toAddressString(address.getAddress());
        return h.indexOf(':') >= 0 ? "[" + h + "]" : h;
    }

    private static final class Entry {
        final String sentBy;
        final String viaPrefix;
        final String contact;

        Entry(Transport transport, String host, int port) {
            this.sentBy = host + ":" + port;
            this.viaPrefix = "SIP/2.0/" + transport.name() + " " + sentBy + ";branch=";
            // Over TLS the Contact is a sips: URI: a dialog started with a sips: Request-URI
            // needs one (RFC 3261 12.1.1), and it keeps the peer's requests to us on TLS.
            this.contact = switch (transport) {
                case UDP -> "<sip:" + host + ":" + port + ">";
                case TCP -> "<sip:" + host + ":" + port + ";transport=tcp>";
                case TLS -> "<sips:" + host + ":" + port + ">";
            };
        }
    }
}
