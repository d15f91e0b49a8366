package org.callrouter.server.resolve;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

import io.netty.channel.AddressedEnvelope;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramChannel;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProvider;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.NoopAuthoritativeDnsServerCache;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.NoopDnsCnameCache;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.concurrent.Future;
import org.callrouter.routing.config.HostPort;
import org.callrouter.routing.config.ServerSettings;
import org.callrouter.sip.uri.SipUri;
import org.callrouter.server.transport.Destination;
import org.callrouter.server.transport.Transport;

/**
 * Locates SIP servers (RFC 3263 section 4) with Netty's DNS client on the SIP event loop, so
 * nothing ever blocks it: every answer arrives on the loop as a future's completion.
 * <ul>
 *   <li>a port in the URI: A (then AAAA) records of the host, with the URI's transport or UDP
 *       (TLS for {@code sips:});</li>
 *   <li>a transport but no port: SRV {@code _sip._udp}, {@code _sip._tcp} or {@code _sips._tcp}
 *       of the host, else its addresses on 5060 (5061 for TLS);</li>
 *   <li>neither: NAPTR records (services {@code SIP+D2U}, {@code SIP+D2T}, {@code SIPS+D2T} of the
 *       transports the router has sockets for), each leading to SRV; no NAPTR: SRV for each
 *       supported transport, UDP first; no SRV either: the host's addresses on 5060.</li>
 * </ul>
 * SRV targets come in RFC 2782 order (priority, then weighted random), each target's addresses
 * after it: the caller tries the next on a transaction timeout or a 503 (RFC 3263 4.3). The
 * answer lives as long as the smallest TTL of the records it used (at most
 * {@code max_ttl_seconds}); a name that did not resolve is asked again after
 * {@code negative_ttl_seconds}. Netty's own caches are off: this answer is the cache.
 */
public final class SipResolver implements AutoCloseable {

    private static final int SIP_PORT = 5060;
    private static final int SIPS_PORT = 5061;

    private final DnsNameResolver dns;
    private final Set<Transport> supported;
    private final RandomGenerator random;
    private final LongSupplier monoMs;
    private final long maxTtlMs;
    private final long negativeTtlMs;

    SipResolver(DnsNameResolver dns, Set<Transport> supported, RandomGenerator random, LongSupplier monoMs,
                ServerSettings.Dns settings) {
        this.dns = dns;
        this.supported = Set.copyOf(supported);
        this.random = random;
        this.monoMs = monoMs;
        this.maxTtlMs = settings.maxTtlSeconds() * 1000L;
        this.negativeTtlMs = settings.negativeTtlSeconds() * 1000L;
    }

    /**
     * A resolver whose queries go out from {@code loop} to {@code settings.servers()} (the
     * system's name servers when that is empty).
     *
     * @param supported the transports the router can send on; other SRV/NAPTR services are ignored
     */
    public static SipResolver open(EventLoop loop, Class<? extends DatagramChannel> channel,
                                   ServerSettings.Dns settings, Set<Transport> supported, LongSupplier monoMs) {
        final DnsServerAddressStreamProvider servers;
        if (settings.servers().isEmpty()) {
            servers = DnsServerAddressStreamProviders.platformDefault();
        } else {
            final List<InetSocketAddress> addresses = new ArrayList<>();
            for (HostPort server : settings.servers()) {
                addresses.add(new InetSocketAddress(server.host(), server.port()));
            }
            servers = new SequentialDnsServerAddressStreamProvider(addresses);
        }
        final DnsNameResolver dns = new DnsNameResolverBuilder(loop)
                .datagramChannelType(channel)
                .nameServerProvider(servers)
                .resolveCache(NoopDnsCache.INSTANCE)
                .cnameCache(NoopDnsCnameCache.INSTANCE)
                .authoritativeDnsServerCache(NoopAuthoritativeDnsServerCache.INSTANCE)
                .queryTimeoutMillis(settings.queryTimeoutMs())
                .resolvedAddressTypes(ResolvedAddressTypes.IPV4_PREFERRED)
                .recursionDesired(true)
                .searchDomains(List.of())
                .build();
        return new SipResolver(dns, supported, RandomGenerator.of("L64X128MixRandom"), monoMs, settings);
    }

    /**
     * Resolves a URI whose host is a name; completes on the event loop, never exceptionally
     * (a failure is a {@link Resolution.State#FAILED} answer with its reason).
     */
    public CompletableFuture<Resolution> resolve(SipUri uri) {
        final String host = uri.host().toLowerCase(Locale.ROOT);
        final Transport given = uri.param("transport") == null ? null : Transport.fromToken(uri.param("transport"));
        final Lookup lookup = new Lookup(host);
        final CompletableFuture<List<Destination>> destinations;
        if (uri.secure() && (defaultTransport(uri) == null || !supported.contains(defaultTransport(uri)))) {
            return CompletableFuture.completedFuture(Resolution.failed(
                    host + ": a sips: URI needs a TLS socket, and the router has none", monoMs.getAsLong() + negativeTtlMs));
        }
        if (uri.param("transport") != null && (given == null || !supported.contains(given))) {
            return CompletableFuture.completedFuture(Resolution.failed(
                    host + ": transport " + uri.param("transport") + " is not one the router sends on",
                    monoMs.getAsLong() + negativeTtlMs));
        }
        if (uri.port() > 0) {
            destinations = lookup.addresses(host, uri.port(), given != null ? given : defaultTransport(uri));
        } else if (given != null) {
            destinations = lookup.srvOrAddresses(List.of(new Service(given, srvName(uri, given, host))), uri);
        } else {
            destinations = lookup.naptr(uri);
        }
        return destinations.handle((found, error) -> {
            final long now = monoMs.getAsLong();
            if (error != null) {
                return Resolution.failed(reason(error), now + negativeTtlMs);
            }
            if (found.isEmpty()) {
                return Resolution.failed(host + ": no usable records", now + negativeTtlMs);
            }
            return Resolution.resolved(found, now + Math.min(maxTtlMs, lookup.minTtlSeconds * 1000L));
        });
    }

    @Override
    public void close() {
        dns.close();
    }

    private Transport defaultTransport(SipUri uri) {
        return uri.secure() ? Transport.TLS : Transport.UDP;
    }

    private static String srvName(SipUri uri, Transport transport, String host) {
        return (uri.secure() ? "_sips._" : "_sip._") + (transport == Transport.UDP ? "udp." : "tcp.") + host;
    }

    private static String reason(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && (cause instanceof java.util.concurrent.CompletionException
                || cause instanceof java.util.concurrent.ExecutionException)) {
            cause = cause.getCause();
        }
        return cause instanceof DnsFailure ? cause.getMessage() : "DNS query failed: " + cause;
    }

    /** An SRV service to look up and the transport it stands for. */
    private record Service(Transport transport, String srvName) {
    }

    /** A name that did not resolve, with the reason the record and the log show. */
    private static final class DnsFailure extends RuntimeException {
        DnsFailure(String message) {
            super(message, null, false, false);
        }
    }

    /** One resolution's queries: it remembers the smallest TTL seen. */
    private final class Lookup {
        final String host;
        long minTtlSeconds = Long.MAX_VALUE;

        Lookup(String host) {
            this.host = host;
        }

        CompletableFuture<List<Destination>> naptr(SipUri uri) {
            return query(host, DnsRecordType.NAPTR, true, RData::naptr).thenCompose(found -> {
                final List<NaptrRecord> naptrs = new ArrayList<>(found);
                naptrs.sort(Comparator.comparingInt(NaptrRecord::order).thenComparingInt(NaptrRecord::preference));
                final List<Service> services = new ArrayList<>();
                for (NaptrRecord n : naptrs) {
                    final Transport t = naptrTransport(n, uri.secure());
                    if (t != null && n.flags().equalsIgnoreCase("s") && supported.contains(t)) {
                        services.add(new Service(t, n.replacement()));
                        ttl(n.ttlSeconds());
                    }
                }
                if (services.isEmpty()) {
                    // RFC 3263 4.1: no NAPTR, so SRV for each transport we support.
                    for (Transport t : uri.secure() ? new Transport[] {Transport.TLS}
                            : new Transport[] {Transport.UDP, Transport.TCP}) {
                        if (t != null && supported.contains(t)) {
                            services.add(new Service(t, srvName(uri, t, host)));
                        }
                    }
                }
                return srvOrAddresses(services, uri);
            });
        }

        CompletableFuture<List<Destination>> srvOrAddresses(List<Service> services, SipUri uri) {
            final List<CompletableFuture<List<SrvRecord>>> queries = new ArrayList<>();
            for (Service s : services) {
                queries.add(query(s.srvName(), DnsRecordType.SRV, false, RData::srv));
            }
            return CompletableFuture.allOf(queries.toArray(CompletableFuture[]::new)).thenCompose(done -> {
                final List<CompletableFuture<List<Destination>>> targets = new ArrayList<>();
                for (int i = 0; i < services.size(); i++) {
                    final Transport transport = services.get(i).transport();
                    for (SrvRecord srv : SrvOrder.order(queries.get(i).join(), random)) {
                        ttl(srv.ttlSeconds());
                        targets.add(addresses(srv.target(), srv.port(), transport)
                                .exceptionally(unresolvedTarget -> List.of()));
                    }
                }
                if (targets.isEmpty()) {
                    // RFC 3263 4.2: no SRV records: the host itself, on the transport's default port.
                    final Transport t = services.isEmpty() ? defaultTransport(uri) : services.get(0).transport();
                    if (t == null || !supported.contains(t)) {
                        return CompletableFuture.failedFuture(new DnsFailure(host + ": no SRV records"));
                    }
                    return addresses(host, t == Transport.UDP || t == Transport.TCP ? SIP_PORT : SIPS_PORT, t);
                }
                return CompletableFuture.allOf(targets.toArray(CompletableFuture[]::new)).thenApply(all -> {
                    final List<Destination> out = new ArrayList<>();
                    for (CompletableFuture<List<Destination>> target : targets) {
                        out.addAll(target.join());
                    }
                    return out;
                });
            });
        }

        /** A then, when the name has none, AAAA records of {@code name}. */
        CompletableFuture<List<Destination>> addresses(String name, int port, Transport transport) {
            return query(name, DnsRecordType.A, true, SipResolver::address).thenCompose(a -> a.isEmpty()
                    ? query(name, DnsRecordType.AAAA, true, SipResolver::address) : CompletableFuture.completedFuture(a))
                    .thenApply(addresses -> {
                        if (addresses.isEmpty()) {
                            throw new DnsFailure(name + ": no address records");
                        }
                        final List<Destination> out = new ArrayList<>();
                        for (InetAddress address : addresses) {
                            final InetSocketAddress to = new InetSocketAddress(address, port);
                            if (Destination.refusal(to) != null) {
                                continue; // a record pointing at 0.0.0.0/8, multicast...: nothing can be sent there
                            }
                            // RFC 5922 7: a TLS peer's certificate must name the URI's host, not the SRV target.
                            out.add(transport == Transport.TLS ? Destination.tls(to, host) : Destination.of(transport, to));
                        }
                        return out;
                    });
        }

        /**
         * The answer records of {@code type} for {@code name}, read by {@code parse} while the
         * response is held (it is released here, so no buffer escapes). NXDOMAIN fails the future
         * when {@code nxdomainFails}; an empty answer (NODATA) is an empty list.
         */
        <T> CompletableFuture<List<T>> query(String name, DnsRecordType type, boolean nxdomainFails,
                                            Function<DnsRecord, T> parse) {
            final CompletableFuture<List<T>> out = new CompletableFuture<>();
            final Future<AddressedEnvelope<DnsResponse, InetSocketAddress>> sent =
                    dns.query(new DefaultDnsQuestion(name + ".", type));
            sent.addListener(f -> {
                if (!f.isSuccess()) {
                    out.completeExceptionally(new DnsFailure(name + " " + type.name() + ": no answer ("
                            + f.cause().getMessage() + ")"));
                    return;
                }
                @SuppressWarnings("unchecked")
                final AddressedEnvelope<DnsResponse, InetSocketAddress> envelope =
                        (AddressedEnvelope<DnsResponse, InetSocketAddress>) f.getNow();
                try {
                    final DnsResponse response = envelope.content();
                    final DnsResponseCode code = response.code();
                    if (code == DnsResponseCode.NXDOMAIN) {
                        if (nxdomainFails) {
                            out.completeExceptionally(new DnsFailure(name + ": NXDOMAIN"));
                        } else {
                            out.complete(List.of());
                        }
                        return;
                    }
                    if (code != DnsResponseCode.NOERROR) {
                        out.completeExceptionally(new DnsFailure(name + " " + type.name() + ": " + code));
                        return;
                    }
                    final List<T> records = new ArrayList<>();
                    for (int i = 0, n = response.count(DnsSection.ANSWER); i < n; i++) {
                        final DnsRecord record = response.recordAt(DnsSection.ANSWER, i);
                        if (record.type().equals(type)) {
                            records.add(parse.apply(record));
                            ttl(record.timeToLive());
                        }
                    }
                    out.complete(records);
                } catch (RuntimeException e) {
                    out.completeExceptionally(new DnsFailure(name + " " + type.name() + ": bad answer: "
                            + e.getMessage()));
                } finally {
                    envelope.release();
                }
            });
            return out;
        }

        void ttl(long seconds) {
            minTtlSeconds = Math.min(minTtlSeconds, seconds);
        }
    }

    private static InetAddress address(DnsRecord record) {
        if (!(record instanceof DnsRawRecord raw)) {
            throw new IllegalArgumentException("not a raw record: " + record);
        }
        final byte[] bytes = new byte[raw.content().readableBytes()];
        raw.content().getBytes(raw.content().readerIndex(), bytes);
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("address record of " + bytes.length + " bytes");
        }
    }

    private static Transport naptrTransport(NaptrRecord naptr, boolean secure) {
        return switch (naptr.service().toUpperCase(Locale.ROOT)) {
            case "SIP+D2U" -> secure ? null : Transport.UDP;
            case "SIP+D2T" -> secure ? null : Transport.TCP;
            case "SIPS+D2T" -> Transport.TLS;
            default -> null;
        };
    }
}
