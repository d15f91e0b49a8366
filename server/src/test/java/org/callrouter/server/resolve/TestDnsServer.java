package org.callrouter.server.resolve;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;

/**
 * A small authoritative DNS server on a loopback UDP port for tests: real DNS wire format
 * (Netty's codec-dns), serving the A, SRV and NAPTR records a test puts in it with the TTLs it
 * chooses, NXDOMAIN for names it has none of (NODATA for a name that has records of other
 * types, or only names below it), and counting the queries per name and type so a test can see what was asked when.
 */
public final class TestDnsServer implements AutoCloseable {

    /** One record's type, TTL and RDATA. */
    private record Entry(DnsRecordType type, long ttlSeconds, byte[] rdata) {
    }

    private final Map<String, List<Entry>> zone = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> queries = new ConcurrentHashMap<>();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;

    private TestDnsServer() {
        channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .handler(new ChannelInitializer<NioDatagramChannel>() {
                    @Override
                    protected void initChannel(NioDatagramChannel ch) {
                        ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
                                new Responder());
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).syncUninterruptibly().channel();
    }

    /** Starts a server on a free loopback port. */
    public static TestDnsServer start() {
        return new TestDnsServer();
    }

    /** {@code 127.0.0.1:port}, for {@code server.dns.servers}. */
    public String hostPort() {
        final InetSocketAddress local = (InetSocketAddress) channel.localAddress();
        return local.getAddress().getHostAddress() + ":" + local.getPort();
    }

    public TestDnsServer a(String name, long ttlSeconds, String address) {
        try {
            return add(name, DnsRecordType.A, ttlSeconds, InetAddress.getByName(address).getAddress());
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }

    public TestDnsServer srv(String name, long ttlSeconds, int priority, int weight, int port, String target) {
        final ByteBuf b = Unpooled.buffer();
        b.writeShort(priority).writeShort(weight).writeShort(port);
        writeName(b, target);
        return add(name, DnsRecordType.SRV, ttlSeconds, bytes(b));
    }

    /** A NAPTR record with flag {@code s} leading to {@code replacement} (RFC 3263 8.3). */
    public TestDnsServer naptr(String name, long ttlSeconds, int order, int preference, String service,
                               String replacement) {
        final ByteBuf b = Unpooled.buffer();
        b.writeShort(order).writeShort(preference);
        writeString(b, "s");
        writeString(b, service);
        writeString(b, "");
        writeName(b, replacement);
        return add(name, DnsRecordType.NAPTR, ttlSeconds, bytes(b));
    }

    /** Removes every record of {@code name} (it becomes NXDOMAIN). */
    public TestDnsServer remove(String name) {
        zone.remove(key(name));
        return this;
    }

    /** Queries received for {@code name} and {@code type} so far. */
    public int queries(String name, DnsRecordType type) {
        final AtomicInteger n = queries.get(key(name) + " " + type.name());
        return n == null ? 0 : n.get();
    }

    /** Every query received so far. */
    public int queries() {
        return queries.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private TestDnsServer add(String name, DnsRecordType type, long ttlSeconds, byte[] rdata) {
        zone.computeIfAbsent(key(name), k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                .add(new Entry(type, ttlSeconds, rdata));
        return this;
    }

    private static String key(String name) {
        final String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    private static byte[] bytes(ByteBuf b) {
        final byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        b.release();
        return out;
    }

    private static void writeString(ByteBuf b, String s) {
        final byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
        b.writeByte(bytes.length).writeBytes(bytes);
    }

    /** An uncompressed name (RFC 2782, RFC 3403: no compression in these fields). */
    private static void writeName(ByteBuf b, String name) {
        for (String label : key(name).split("\\.")) {
            if (!label.isEmpty()) {
                writeString(b, label);
            }
        }
        b.writeByte(0);
    }

    private final class Responder extends SimpleChannelInboundHandler<DatagramDnsQuery> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
            final DnsQuestion question = query.recordAt(DnsSection.QUESTION);
            final String name = key(question.name());
            queries.computeIfAbsent(name + " " + question.type().name(), k -> new AtomicInteger()).incrementAndGet();
            final DatagramDnsResponse response = new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
            response.setRecursionAvailable(true).setAuthoritativeAnswer(true);
            response.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(question.name(), question.type()));
            final List<Entry> records = zone.get(name);
            if (records == null && zone.keySet().stream().noneMatch(n -> n.endsWith("." + name))) {
                response.setCode(DnsResponseCode.NXDOMAIN);
            } else {
                final List<Entry> matching = new ArrayList<>();
                for (Entry e : records == null ? List.<Entry>of() : records) {
                    if (e.type().equals(question.type())) {
                        matching.add(e);
                    }
                }
                for (Entry e : matching) {
                    response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(question.name(), e.type(),
                            e.ttlSeconds(), Unpooled.wrappedBuffer(e.rdata())));
                }
            }
            ctx.writeAndFlush(response);
        }
    }
}
