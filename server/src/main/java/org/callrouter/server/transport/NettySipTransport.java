package org.callrouter.server.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import org.agrona.ErrorHandler;
import org.callrouter.sip.codec.InboundMessage;
import org.callrouter.sip.codec.SipDatagramDecoder;
import org.callrouter.sip.codec.SipKeepAlive;
import org.callrouter.sip.codec.SipLimits;
import org.callrouter.sip.codec.SipStreamDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;

/**
 * The router's SIP sockets on Netty: UDP, TCP and TLS listeners, outbound TCP and TLS
 * connections, and sending. Every channel lives on one event loop, the SIP loop, which is also
 * SIP worker 0's; the other workers' messages reach it through their {@code LoopSender}, so the
 * socket and connection state here is never shared between threads.
 * <p>
 * Inbound connections are bounded ({@link InboundConnections}). A TLS connection to a handler is
 * made only when its certificate is trusted and names the handler ({@link SipTls}): a message for
 * it never goes in clear; it fails, and the call fails over.
 * <p>
 * Writes are not flushed one by one: the first write of a loop iteration schedules a single
 * flush task, which Netty runs after the iteration's I/O, so a burst of datagrams read
 * together leaves in one batch ({@code sendmmsg} under epoll).
 */
public final class NettySipTransport implements SipSender, Backlog {

    private static final Logger LOG = LoggerFactory.getLogger(NettySipTransport.class);

    private static final int UDP_BUFFER_BYTES = 4 * 1024 * 1024;
    /** Datagrams one read of a UDP socket may take; a read that takes them all means more wait. */
    private static final int MAX_DATAGRAMS_PER_READ = 64;
    /**
     * How long every read must have been full before the loop counts as behind. A stall (a GC
     * pause, the JIT compiling the call path in the first seconds) fills reads for a while and
     * drains by itself: refusing calls then would turn a hiccup into failures. An overload does
     * not drain, and comes back: once one was seen, {@link #RELAPSE_AFTER_NS} applies for a
     * while, so the queue, and with it the wait of the calls accepted, stays short (the idea of
     * CoDel's interval and its memory of recent drops).
     */
    private static final long BACKLOG_AFTER_NS = 200_000_000;
    private static final long RELAPSE_AFTER_NS = 10_000_000;
    private static final long RELAPSE_WINDOW_NS = 5_000_000_000L;
    /**
     * A read that starts this long after a full one found the socket empty in between: the loop
     * caught up (behind, it reads again at once; shorter gaps happen under load, when the loop
     * is descheduled or runs its timers). Without it the state a full last read left would refuse
     * the first calls after the overload ended, whenever they come.
     */
    private static final long IDLE_GAP_NS = 50_000_000;
    private static final int TCP_IDLE_SECONDS = 600;
    private static final long SEND_FAILURE_LOG_INTERVAL_NS = 10_000_000_000L;
    private static final byte[] PONG = {'\r', '\n'};
    /** The stream transport (TCP or TLS) of a connection. */
    private static final AttributeKey<Transport> STREAM = AttributeKey.valueOf("sip-stream-transport");

    private final SipNetty netty;
    private final SipLimits limits;
    private volatile InboundSink sink = (inbound, source) -> { };
    private final ErrorHandler errors;
    private final EventLoop loop;
    private final List<SipSocket> listen;
    private final SipTls tls;
    private final InboundConnections inboundConnections;
    private volatile long tlsHandshakeFailures;
    private boolean warnedRefusal;
    /** Peers the router failed to shake hands with, warned about once until a handshake works. */
    private final Set<InetSocketAddress> tlsRefusedPeers = new HashSet<>();

    private final Map<Transport, List<Channel>> listeners = new java.util.EnumMap<>(Transport.class);
    private final List<SipSocket> bound = new ArrayList<>();
    /** Open connections by transport (TCP, TLS) and peer address: a TLS peer is never reached on a TCP one. */
    private final Map<Transport, Map<InetSocketAddress, Channel>> connections = new java.util.EnumMap<>(Transport.class);
    private final Map<Transport, Map<InetSocketAddress, ArrayDeque<Pending>>> connecting =
            new java.util.EnumMap<>(Transport.class);
    private final ArrayList<Channel> unflushed = new ArrayList<>();
    private final Runnable flushTask = this::flushAll;
    private boolean flushScheduled;
    private int datagramsThisRead;
    private final UdpSources udpSources = new UdpSources();
    /** When the current run of full reads began; 0 while reads are not full. */
    private long fullSinceNs;
    private long lastCaughtUpNs = Long.MIN_VALUE / 2;
    /** When the last full read ended. */
    private long lastFullReadNs;
    private long lastWarnedNs = Long.MIN_VALUE / 2;
    /** Read by every SIP worker (B2BUA admission), written by the reading loop. */
    private volatile boolean backlogged;
    private long udpSendFailures;
    private long lastSendFailureLogNs = Long.MIN_VALUE / 2;

    private final ChannelHandler udpDecoder;
    private final ChannelHandler inbound;

    /** A transport without TLS and without bounds on inbound connections (UDP sockets). */
    public NettySipTransport(SipNetty netty, List<SipSocket> listen, SipLimits limits, ErrorHandler errors) {
        this(netty, listen, limits, errors, null, new InboundConnections(Integer.MAX_VALUE, Integer.MAX_VALUE));
    }

    /**
     * @param netty       the event loop group (one SIP loop) and channel classes.
     * @param listen      the sockets to bind.
     * @param limits      message size limits for the decoders.
     * @param errors      receives what a handler throws.
     * @param tls         the TLS contexts, or null when the router speaks no TLS.
     * @param connections the bounds on inbound TCP and TLS connections.
     */
    public NettySipTransport(SipNetty netty, List<SipSocket> listen, SipLimits limits, ErrorHandler errors,
                             SipTls tls, InboundConnections connections) {
        this.netty = netty;
        this.listen = List.copyOf(listen);
        this.limits = limits;
        this.errors = errors;
        this.tls = tls;
        this.inboundConnections = connections;
        this.loop = netty.loop();
        this.udpDecoder = new SipDatagramDecoder(limits);
        this.inbound = new InboundHandler();
        for (Transport transport : Transport.values()) {
            if (transport.reliable()) {
                this.connections.put(transport, new HashMap<>());
                this.connecting.put(transport, new HashMap<>());
            }
        }
    }

    /**
     * Sets who receives inbound messages. Until it is set, what arrives is dropped: the sockets
     * can be bound (to learn their ports) before the layers above exist, and UDP peers resend.
     */
    public void sink(InboundSink sink) {
        this.sink = sink;
    }

    /**
     * Binds every listen address, not reading from them yet ({@link #serve}); throws with the
     * address that failed. Bound first, so that the layers above learn the real ports, and read
     * last, so that no message waits on a router still opening: until then the kernel keeps
     * datagrams and connections in the sockets' queues.
     */
    public void bind() {
        for (SipSocket address : listen) {
            if (address.transport() == Transport.TLS && tls == null) {
                close();
                throw new IllegalStateException("cannot listen on " + address + ": no TLS certificate configured");
            }
            final ChannelFuture bound = switch (address.transport()) {
                case UDP -> bindUdp(address.address());
                case TCP, TLS -> bindStream(address.transport(), address.address());
            };
            bound.awaitUninterruptibly();
            if (!bound.isSuccess()) {
                close();
                throw new IllegalStateException("cannot listen on " + address + ": " + bound.cause().getMessage(),
                        bound.cause());
            }
            listeners.computeIfAbsent(address.transport(), t -> new ArrayList<>()).add(bound.channel());
            this.bound.add(new SipSocket(address.transport(), (InetSocketAddress) bound.channel().localAddress()));
        }
    }

    /** Starts reading from every bound socket: datagrams, and connections to accept. */
    public void serve() {
        listeners.values().forEach(list -> list.forEach(channel -> channel.config().setAutoRead(true)));
    }

    /** The address a transport is bound to (the first of its kind), with the real port when 0 was asked. */
    public InetSocketAddress localAddress(Transport transport) {
        final List<Channel> channels = listeners.get(transport);
        return channels == null || channels.isEmpty() ? null : (InetSocketAddress) channels.get(0).localAddress();
    }

    /** The sockets bound, in configuration order, with their real ports. */
    public List<SipSocket> bound() {
        return List.copyOf(bound);
    }

    public EventLoop loop() {
        return loop;
    }

    /** The bounds on inbound connections and their counters (set bounds on the SIP loop). */
    public InboundConnections inboundConnections() {
        return inboundConnections;
    }

    /** TLS handshakes that failed, both ways (an untrusted handler certificate, a carrier's bad hello). */
    public long tlsHandshakeFailures() {
        return tlsHandshakeFailures;
    }

    @Override
    public boolean backlogged() {
        return backlogged;
    }

    @Override
    public void send(Destination destination, byte[] message, SendFailureListener onFailure) {
        if (destination.transport() == Transport.UDP) {
            final Channel channel = udpChannelFor(destination.address());
            if (channel == null) {
                fail(destination, onFailure, new IllegalStateException("no UDP socket for " + destination));
                return;
            }
            // Straight into the channel's pooled direct memory: a heap buffer would be wrapped,
            // then copied there by the transport anyway, with a second packet object.
            final DatagramPacket packet = new DatagramPacket(
                    channel.alloc().directBuffer(message.length).writeBytes(message), destination.address());
            if (onFailure == null) {
                // A refused datagram fails alone: the flush goes on with the rest of its batch
                // (Netty removes just the failed message and continues), and the failure reaches
                // exceptionCaught, which counts it as a send failure.
                channel.write(packet, channel.voidPromise());
            } else {
                // A request's transaction learns at once that its destination is refused
                // (RFC 3261 8.1.3.1: a transport error), instead of retransmitting into EINVAL.
                channel.write(packet).addListener(f -> {
                    if (!f.isSuccess()) {
                        onUdpSendFailure(f.cause());
                        onFailure.onSendFailure(destination, f.cause());
                    }
                });
            }
            markUnflushed(channel);
            return;
        }
        Channel connection = destination.connection();
        if (connection == null || !connection.isActive()) {
            connection = connections.get(destination.transport()).get(destination.address());
        }
        if (connection != null && connection.isActive()) {
            writeTcp(connection, destination, message, onFailure);
        } else {
            connect(destination, message, onFailure);
        }
    }

    /** Closes every channel; the event loop group is the caller's to shut down. */
    public void close() {
        listeners.values().forEach(list -> list.forEach(Channel::close));
        connections.values().forEach(open -> new ArrayList<>(open.values()).forEach(Channel::close));
    }

    private ChannelFuture bindUdp(InetSocketAddress address) {
        return new Bootstrap()
                .group(netty.group())
                .channel(netty.datagramChannel())
                .option(ChannelOption.SO_RCVBUF, UDP_BUFFER_BYTES)
                .option(ChannelOption.SO_SNDBUF, UDP_BUFFER_BYTES)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(limits.maxMessageBytes() + 1))
                .option(ChannelOption.MAX_MESSAGES_PER_READ, MAX_DATAGRAMS_PER_READ)
                .option(ChannelOption.AUTO_READ, false)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("sip-decoder", udpDecoder).addLast("sip-inbound", inbound);
                    }
                })
                .bind(address);
    }

    private ChannelFuture bindStream(Transport transport, InetSocketAddress address) {
        return new ServerBootstrap()
                .group(netty.group(), netty.group())
                .channel(netty.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(acceptedInitializer(transport))
                .bind(address);
    }

    /** Admits a connection a peer opened (or closes it at once, over a bound), then as {@link #addStream}. */
    private ChannelInitializer<Channel> acceptedInitializer(Transport transport) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                final InetAddress peer = ((InetSocketAddress) ch.remoteAddress()).getAddress();
                final InboundConnections.Refusal refusal = inboundConnections.opened(peer);
                if (refusal != InboundConnections.Refusal.NONE) {
                    refuse(ch, refusal);
                    return;
                }
                ch.closeFuture().addListener(f -> inboundConnections.closed(peer));
                if (transport == Transport.TLS) {
                    ch.pipeline().addLast("tls", tls.serverHandler(ch.alloc()));
                }
                addStream(ch, transport);
            }
        };
    }

    private void refuse(Channel ch, InboundConnections.Refusal refusal) {
        ch.close();
        if (!warnedRefusal) {
            warnedRefusal = true;
            LOG.warn("refused a connection to {} from {}: {} (logged once; sip_connections_refused_total "
                    + "counts them)", ch.localAddress(), ch.remoteAddress(), refusal == InboundConnections.Refusal.TOTAL
                    ? "server.sip.connections.max connections are open"
                    : "server.sip.connections.max_per_address connections are open from that address");
        } else {
            LOG.debug("refused a connection from {}: {}", ch.remoteAddress(), refusal);
        }
    }

    /** The SIP stream handlers, after the TLS handler when there is one. */
    private void addStream(Channel ch, Transport transport) {
        ch.attr(STREAM).set(transport);
        ch.pipeline()
                .addLast("idle", new IdleStateHandler(0, 0, TCP_IDLE_SECONDS, TimeUnit.SECONDS))
                .addLast("sip-decoder", new SipStreamDecoder(limits))
                .addLast("sip-inbound", inbound);
    }

    private Channel udpChannelFor(InetSocketAddress to) {
        final List<Channel> channels = listeners.get(Transport.UDP);
        if (channels == null) {
            return null;
        }
        final boolean v6 = to.getAddress() instanceof java.net.Inet6Address;
        for (Channel channel : channels) {
            final boolean channelV6 = ((InetSocketAddress) channel.localAddress()).getAddress() instanceof java.net.Inet6Address;
            if (channelV6 == v6) {
                return channel;
            }
        }
        return channels.get(0);
    }

    private void writeTcp(Channel connection, Destination destination, byte[] message, SendFailureListener onFailure) {
        if (onFailure == null) {
            connection.write(Unpooled.wrappedBuffer(message), connection.voidPromise());
        } else {
            connection.write(Unpooled.wrappedBuffer(message)).addListener(f -> {
                if (!f.isSuccess()) {
                    onFailure.onSendFailure(destination, f.cause());
                }
            });
        }
        markUnflushed(connection);
    }

    private void connect(Destination destination, byte[] message, SendFailureListener onFailure) {
        final Transport transport = destination.transport();
        final InetSocketAddress address = destination.address();
        if (transport == Transport.TLS && tls == null) {
            fail(destination, onFailure, new IllegalStateException("no TLS certificate configured for " + destination));
            return;
        }
        final Map<InetSocketAddress, ArrayDeque<Pending>> pending = connecting.get(transport);
        final ArrayDeque<Pending> queued = pending.get(address);
        if (queued != null) {
            queued.add(new Pending(destination, message, onFailure));
            return;
        }
        final ArrayDeque<Pending> queue = new ArrayDeque<>();
        queue.add(new Pending(destination, message, onFailure));
        pending.put(address, queue);
        new Bootstrap()
                .group(netty.group())
                .channel(netty.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (transport == Transport.TLS) {
                            // The handler URI's host, which its certificate must name; an address
                            // literal when the URI had one (or the destination came from a Contact).
                            final String name = destination.serverName() != null ? destination.serverName()
                                    : address.getAddress().getHostAddress();
                            ch.pipeline().addLast("tls", tls.clientHandler(ch.alloc(), name, address.getPort()));
                        }
                        addStream(ch, transport);
                    }
                })
                .connect(address)
                .addListener((ChannelFuture f) -> onConnected(transport, address, f));
    }

    private void onConnected(Transport transport, InetSocketAddress address, ChannelFuture future) {
        final ArrayDeque<Pending> queue = connecting.get(transport).remove(address);
        if (queue == null) {
            return;
        }
        if (future.isSuccess()) {
            final Channel channel = future.channel();
            for (Pending p : queue) {
                writeTcp(channel, p.destination, p.message, p.onFailure);
            }
        } else {
            for (Pending p : queue) {
                fail(p.destination, p.onFailure, future.cause());
            }
        }
    }

    private static void fail(Destination destination, SendFailureListener onFailure, Throwable cause) {
        if (onFailure != null) {
            onFailure.onSendFailure(destination, cause);
        }
    }

    private void markUnflushed(Channel channel) {
        if (!unflushed.contains(channel)) {
            unflushed.add(channel);
        }
        if (!flushScheduled) {
            flushScheduled = true;
            loop.execute(flushTask);
        }
    }

    private void flushAll() {
        flushScheduled = false;
        for (int i = 0, n = unflushed.size(); i < n; i++) {
            unflushed.get(i).flush();
        }
        unflushed.clear();
    }

    /**
     * Datagrams the kernel refused to send (an address it cannot reach, such as 0.0.0.1:
     * EINVAL). A peer's bad address, not a fault of the router: counted, and logged the first
     * time and then at most every {@link #SEND_FAILURE_LOG_INTERVAL_NS} with the count.
     */
    public long udpSendFailures() {
        return udpSendFailures;
    }

    private void onUdpSendFailure(Throwable cause) {
        udpSendFailures++;
        final long now = System.nanoTime();
        if (now - lastSendFailureLogNs > SEND_FAILURE_LOG_INTERVAL_NS) {
            lastSendFailureLogNs = now;
            LOG.warn("UDP datagram not sent ({} so far): {}", udpSendFailures, cause.toString());
        }
    }

    private record Pending(Destination destination, byte[] message, SendFailureListener onFailure) {
    }

    /** Hands decoded messages to the sink and keeps the TCP connection table. */
    @ChannelHandler.Sharable
    private final class InboundHandler extends SimpleChannelInboundHandler<InboundMessage> {

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            final Transport stream = ctx.channel().attr(STREAM).get();
            if (stream != null) {
                connections.get(stream).put((InetSocketAddress) ctx.channel().remoteAddress(), ctx.channel());
            }
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            final Transport stream = ctx.channel().attr(STREAM).get();
            final Object remote = ctx.channel().remoteAddress();
            if (stream != null && remote != null) {
                connections.get(stream).remove(remote, ctx.channel());
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (ctx.channel() instanceof io.netty.channel.socket.DatagramChannel) {
                if (datagramsThisRead >= MAX_DATAGRAMS_PER_READ) {
                    final long now = System.nanoTime();
                    lastFullReadNs = now;
                    if (fullSinceNs == 0) {
                        fullSinceNs = now;
                    }
                    final long threshold = now - lastCaughtUpNs < RELAPSE_WINDOW_NS ? RELAPSE_AFTER_NS : BACKLOG_AFTER_NS;
                    if (!backlogged && now - fullSinceNs >= threshold) {
                        backlogged = true;
                        // One line per overload, not per episode: under a sustained overload
                        // episodes come and go every few milliseconds.
                        if (now - lastWarnedNs > RELAPSE_WINDOW_NS * 2) {
                            LOG.warn("overloaded: the SIP loop is {} ms behind its UDP sockets; new calls are "
                                    + "refused with 503 until it catches up (see b2bua_overload_rejections_total)",
                                    (now - fullSinceNs) / 1_000_000);
                        }
                        lastWarnedNs = now;
                    }
                } else {
                    caughtUp(System.nanoTime());
                }
                datagramsThisRead = 0;
            }
            ctx.fireChannelReadComplete();
        }

        /** The reads are no longer full: the loop has caught up with its sockets. */
        private void caughtUp(long now) {
            if (backlogged) {
                lastCaughtUpNs = now;
                LOG.debug("SIP loop caught up after {} ms: new calls accepted again", (now - fullSinceNs) / 1_000_000);
                backlogged = false; // written only when it changes: it is volatile
            }
            fullSinceNs = 0;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, InboundMessage message) {
            final boolean stream = !(ctx.channel() instanceof io.netty.channel.socket.DatagramChannel);
            if (!stream && datagramsThisRead++ == 0 && fullSinceNs != 0) {
                final long now = System.nanoTime();
                if (now - lastFullReadNs > IDLE_GAP_NS) {
                    caughtUp(now);
                }
            }
            final Destination source = stream
                    ? new Destination(ctx.channel().attr(STREAM).get(), message.sender(), ctx.channel())
                    : udpSources.of(message.sender());
            try {
                sink.onInbound(message, source);
            } catch (RuntimeException | Error e) {
                errors.onError(e);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event == SipKeepAlive.PING) {
                // RFC 5626 4.4.1: a CRLF pong for each CRLFCRLF ping.
                ctx.writeAndFlush(Unpooled.wrappedBuffer(PONG));
            } else if (event instanceof IdleStateEvent) {
                ctx.close();
            } else if (event instanceof SslHandshakeCompletionEvent handshake && handshake.isSuccess()) {
                if (!tlsRefusedPeers.isEmpty()) {
                    tlsRefusedPeers.remove(ctx.channel().remoteAddress());
                }
            } else if (event instanceof SslHandshakeCompletionEvent handshake) {
                // The handler closes the connection; messages waiting on it fail, and their
                // transactions with them (the call fails over). Not an internal error.
                tlsHandshakeFailures++;
                final InetSocketAddress peer = (InetSocketAddress) ctx.channel().remoteAddress();
                // A handler whose certificate is refused is the operator's to fix: said once
                // until a handshake with it works again (every call and probe would repeat it).
                if (ctx.channel().parent() == null && tlsRefusedPeers.add(peer)) {
                    LOG.warn("TLS handshake with {} failed, its calls fail over: {}", peer,
                            handshake.cause().getMessage());
                } else {
                    LOG.debug("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(),
                            handshake.cause().getMessage());
                }
            } else {
                ctx.fireUserEventTriggered(event);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (ctx.channel() instanceof io.netty.channel.socket.DatagramChannel && cause instanceof java.io.IOException) {
                // A datagram written without a listener (a response, an ACK) that the kernel refused.
                onUdpSendFailure(cause);
                return;
            }
            final boolean stream = ctx.channel().attr(STREAM).get() != null;
            // A TLS failure is the peer's (reported with the handshake event), not the router's.
            if (!(stream && (cause instanceof SSLException || cause.getCause() instanceof SSLException))) {
                errors.onError(cause);
            }
            if (stream) {
                ctx.close();
            }
        }
    }
}
