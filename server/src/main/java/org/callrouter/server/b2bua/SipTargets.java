package org.callrouter.server.b2bua;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

import org.callrouter.sip.uri.SipUri;
import org.callrouter.sip.uri.Uri;
import org.callrouter.server.resolve.Resolution;
import org.callrouter.server.resolve.SipResolver;
import org.callrouter.server.transport.Destination;
import org.callrouter.server.transport.Transport;

/**
 * Turns SIP URIs into destinations. Handler URIs go through RFC 3263 ({@link SipResolver}:
 * NAPTR, SRV, A/AAAA with their TTLs) when their host is a name, and are kept here, so the SIP
 * loop never waits on DNS: {@link #lookup} answers from this cache and, once an answer's TTL
 * has run out, starts one refresh while calls go on using the expired answer until the new one
 * comes (serve-stale, for at most {@code server.dns.query_timeout_ms} or so). A URI learnt from
 * a peer (a Contact) is used only when its host is an address literal.
 */
public final class SipTargets {

    /** One handler URI's answer and whether a refresh is under way. */
    private static final class Entry {
        final SipUri uri;
        volatile Resolution resolution;
        final AtomicBoolean refreshing = new AtomicBoolean();

        Entry(SipUri uri, Resolution resolution) {
            this.uri = uri;
            this.resolution = resolution;
        }
    }

    private final SipResolver resolver;
    private final LongSupplier monoMs;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    /** Address literals only: a host name fails (the warm-up, tests without DNS). */
    public SipTargets() {
        this(null, () -> 0);
    }

    /** Host names through {@code resolver}; TTLs counted on {@code monoMs}. */
    public SipTargets(SipResolver resolver, LongSupplier monoMs) {
        this.resolver = resolver;
        this.monoMs = monoMs;
    }

    /**
     * Starts resolving configured handler URIs (address literals at once, names through DNS);
     * the future completes when every answer is in, resolved or failed. Call it when a
     * configuration loads, from any thread; waiting for it is optional.
     *
     * @throws IllegalArgumentException when a URI is not sip:/sips:, or its host is an address
     *                                  no message can be sent to.
     */
    public CompletableFuture<Void> prepare(List<String> uriTexts) {
        final List<CompletableFuture<Resolution>> pending = new ArrayList<>();
        for (String text : uriTexts) {
            final Uri uri = Uri.parse(text);
            if (!(uri instanceof SipUri sip)) {
                throw new IllegalArgumentException("'" + text + "' is not a sip: URI");
            }
            final String refused = refusal(uri);
            if (refused != null) {
                throw new IllegalArgumentException("'" + text + "': " + refused);
            }
            final Entry known = entries.get(text);
            if (known != null && !known.resolution.expired(monoMs.getAsLong())) {
                continue;
            }
            final Destination literal = literal(uri);
            if (literal != null) {
                entries.put(text, new Entry(sip, Resolution.resolved(List.of(literal), Long.MAX_VALUE)));
            } else if (resolver == null) {
                entries.put(text, new Entry(sip, Resolution.failed(sip.host() + ": no DNS resolver", Long.MAX_VALUE)));
            } else {
                final Entry entry = entries.computeIfAbsent(text, t -> new Entry(sip,
                        Resolution.failed(sip.host() + ": not resolved yet", 0)));
                pending.add(refresh(entry));
            }
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new));
    }

    /**
     * Where a handler URI leads now, for the SIP loop: never waits. An expired answer is
     * returned as it is and a refresh starts (one at a time per URI); a URI never prepared is
     * failed.
     */
    public Resolution lookup(String uriText) {
        final Entry entry = entries.get(uriText);
        if (entry == null) {
            return Resolution.failed(uriText + " was never resolved", 0);
        }
        final Resolution now = entry.resolution;
        if (now.expired(monoMs.getAsLong()) && resolver != null) {
            refresh(entry);
        }
        return now;
    }

    /** The first destination of a handler URI ({@link #lookup}), or null. */
    public Destination cached(String uriText) {
        final Resolution r = lookup(uriText);
        return r.resolved() ? r.destinations().get(0) : null;
    }

    private CompletableFuture<Resolution> refresh(Entry entry) {
        if (!entry.refreshing.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(entry.resolution);
        }
        return resolver.resolve(entry.uri).whenComplete((answer, error) -> {
            if (answer != null) {
                entry.resolution = answer;
            }
            entry.refreshing.set(false);
        });
    }

    /**
     * The destination of a URI a peer gave us (a Contact or Route), when its host is an IP
     * literal; null otherwise, and the caller falls back to where the peer's messages came from.
     * A TLS destination carries the URI host, which the peer's certificate must name (RFC 5922
     * section 7).
     */
    public static Destination literal(Uri uri) {
        final InetSocketAddress address = literalAddress(uri);
        if (address == null || Destination.refusal(address) != null) {
            return null;
        }
        final SipUri sip = (SipUri) uri;
        final Transport transport = transportOf(sip);
        return transport == Transport.TLS ? Destination.tls(address, stripBrackets(sip.host()))
                : Destination.of(transport, address);
    }

    /**
     * Why a URI a peer gave us (a Contact, a Record-Route) names an address no message can be
     * sent to, or null when it is usable or not an address literal (a host name: the peer's
     * source address is used then).
     */
    public static String refusal(Uri uri) {
        final InetSocketAddress address = literalAddress(uri);
        final String why = address == null ? null : Destination.refusal(address);
        return why == null ? null : ((SipUri) uri).host() + ":" + address.getPort() + " " + why;
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
            return new InetSocketAddress(InetAddress.getByName(host), sip.port() > 0 ? sip.port() : transportOf(sip).defaultPort());
        } catch (UnknownHostException e) {
            return null;
        }
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
