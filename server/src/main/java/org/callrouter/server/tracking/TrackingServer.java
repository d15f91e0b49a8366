package org.callrouter.server.tracking;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.github.bucket4j.TimeMeter;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.agrona.ErrorHandler;
import org.callrouter.routing.config.Cidr;
import org.callrouter.routing.config.HostPort;
import org.callrouter.routing.config.RouterConfig;
import org.callrouter.routing.config.ServerSettings;
import org.callrouter.routing.pool.PoolSessions;
import org.callrouter.routing.pool.SharedPoolSessions;
import org.callrouter.server.transport.InboundConnections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public tracking listener ({@code server.tracking.listen}): HTTP/1.1 on Netty, apart from
 * the admin API (its own socket, event loop and routes; nothing of the admin side is reachable
 * here). Everything a client can make grow is bounded, and every refusal is a JSON
 * {@code {"error": ...}}:
 *
 * <table>
 *   <caption>bounds</caption>
 *   <tr><td>request line</td><td>{@value #MAX_INITIAL_LINE} bytes</td><td>400</td></tr>
 *   <tr><td>header block</td><td>{@value #MAX_HEADER_BYTES} bytes</td><td>400</td></tr>
 *   <tr><td>body</td><td>{@code max_body_bytes}</td><td>413, connection closed</td></tr>
 *   <tr><td>connections</td><td>{@value #MAX_CONNECTIONS}, {@value #MAX_CONNECTIONS_PER_ADDRESS} per address</td><td>closed when accepted</td></tr>
 *   <tr><td>an idle connection</td><td>{@value #IDLE_SECONDS} s without a byte</td><td>closed</td></tr>
 *   <tr><td>a request trickling in</td><td>{@value #REQUEST_SECONDS} s from its first byte</td><td>closed</td></tr>
 * </table>
 *
 * <p>One event-loop thread does everything, the {@link TrackingApi} included, with no worker
 * pool: each request is at most tens of microseconds of work in memory ({@code PoolSessions} and
 * the Bucket4j buckets never wait for I/O; with a cluster, a session request's Redis step is
 * asynchronous and its answer is written on the loop when it completes). Workers would add a thread hop and a queue to bound
 * without adding throughput: the creations of one pool serialise on the pool's lock anyway, and a
 * small machine's other core belongs to the SIP loop. One thread also confines the rate-limit
 * buckets and the connection counts, without locks. A request never waits for another: what
 * cannot be answered now is refused now.
 */
public final class TrackingServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrackingServer.class);
    static final int MAX_INITIAL_LINE = 4096;
    static final int MAX_HEADER_BYTES = 8192;
    static final int IDLE_SECONDS = 30;
    static final int REQUEST_SECONDS = 10;
    static final int MAX_CONNECTIONS = 10_000;
    static final int MAX_CONNECTIONS_PER_ADDRESS = 256;
    private static final AsciiString JSON = AsciiString.cached(TrackingResponse.JSON);

    /** What a reload may change for new connections and requests. */
    private record Bounds(int maxBodyBytes, List<Cidr> trustedProxies) {
    }

    private final EventLoopGroup group;
    private final InboundConnections connections = new InboundConnections(MAX_CONNECTIONS,
            MAX_CONNECTIONS_PER_ADDRESS);
    private volatile Bounds bounds;
    private Channel channel;
    /** The API behind the listener when started on a configuration (null: a test's stand-in). */
    private TrackingApi api;

    private TrackingServer(EventLoopGroup group, Bounds bounds) {
        this.group = group;
        this.bounds = bounds;
    }

    /**
     * Binds {@code listen} and answers each request with {@code api} on the listener's event loop.
     *
     * @throws IllegalStateException when the address cannot be bound.
     */
    static TrackingServer start(HostPort listen, int maxBodyBytes, List<Cidr> trustedProxies,
                                BiFunction<TrackingRequest, Executor, CompletionStage<TrackingResponse>> api,
                                TrackingStats stats,
                                ErrorHandler errors) {
        final boolean epoll = Epoll.isAvailable();
        final IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        final Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class
                : NioServerSocketChannel.class;
        final TrackingServer server = new TrackingServer(new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("tracking-loop", true), io),
                new Bounds(maxBodyBytes, List.copyOf(trustedProxies)));
        final Answerer answerer = new Answerer(api, stats, errors, () -> server.bounds.trustedProxies());
        try {
            server.channel = new ServerBootstrap()
                    .group(server.group)
                    .channel(channelType)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            final InetAddress peer = ((InetSocketAddress) ch.remoteAddress()).getAddress();
                            if (server.connections.opened(peer) != InboundConnections.Refusal.NONE) {
                                ch.close();
                                return;
                            }
                            ch.closeFuture().addListener(f -> server.connections.closed(peer));
                            ch.pipeline().addLast(new ReadTimeoutHandler(IDLE_SECONDS),
                                    new SlowRequestGuard(TimeUnit.SECONDS.toNanos(REQUEST_SECONDS), System::nanoTime),
                                    new HttpServerCodec(new HttpDecoderConfig()
                                            .setMaxInitialLineLength(MAX_INITIAL_LINE)
                                            .setMaxHeaderSize(MAX_HEADER_BYTES)),
                                    new BodyBound(server.bounds.maxBodyBytes(), stats),
                                    answerer);
                        }
                    })
                    .bind(new InetSocketAddress(listen.host(), listen.port()))
                    .syncUninterruptibly()
                    .channel();
        } catch (RuntimeException e) {
            server.group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot listen on server.tracking.listen=" + listen + ": " + e.getMessage(),
                    e);
        }
        LOG.info("tracking HTTP on {} ({})", server.address(), epoll ? "epoll" : "nio");
        return server;
    }

    /**
     * Starts the listener of {@code config}'s {@code server.tracking} over the router's pools
     * (their sessions in the cluster's Redis when {@code shared} is not null):
     * {@code /callrouter.js} from the class path, the rate limits, the bounds.
     *
     * @throws IllegalStateException when the address cannot be bound.
     */
    public static TrackingServer start(RouterConfig config, PoolSessions pools, SharedPoolSessions shared,
                                       TrackingStats stats, Clock wall, ErrorHandler errors) {
        final ServerSettings.Tracking settings = config.server().tracking();
        final TrackingApi api = new TrackingApi(config, pools, shared, TrackingScript.load(), stats, wall,
                TimeMeter.SYSTEM_NANOTIME);
        final TrackingServer server = start(settings.listen(), settings.maxBodyBytes(), settings.trustedProxies(),
                api::handle, stats, errors);
        server.api = api;
        return server;
    }

    /**
     * Follows a reloaded configuration: the body bound (for new connections), the trusted
     * proxies, the rates (buckets start full when a rate changed) and the pools' origins. The
     * listen address is not changed here: a new one needs a restart.
     */
    public void reload(RouterConfig config) {
        final ServerSettings.Tracking settings = config.server().tracking();
        bounds = new Bounds(settings.maxBodyBytes(), settings.trustedProxies());
        if (api != null) {
            api.configure(config);
        }
    }

    /** The bound address (with the real port when 0 was configured). */
    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Connections open now, and refused by a bound since start (read by metrics). */
    public InboundConnections connections() {
        return connections;
    }

    /** Stops accepting and closes every connection. */
    @Override
    public void close() {
        channel.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Writes {@code answer}, counts it, and keeps the connection or closes it after the write. */
    static void write(ChannelHandlerContext ctx, TrackingResponse answer, boolean keepAlive, TrackingStats stats) {
        write(ctx, answer, keepAlive, false, stats);
    }

    /** As above; {@code sayKeepAlive} for an HTTP/1.0 client, which closes unless told otherwise. */
    static void write(ChannelHandlerContext ctx, TrackingResponse answer, boolean keepAlive, boolean sayKeepAlive,
                      TrackingStats stats) {
        stats.answered(answer.status());
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(answer.status()), Unpooled.wrappedBuffer(answer.body()));
        final HttpHeaders headers = response.headers();
        if (answer.contentType() != null) {
            headers.set(HttpHeaderNames.CONTENT_TYPE, answer.contentType().equals(TrackingResponse.JSON) ? JSON
                    : answer.contentType());
        }
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, answer.body().length);
        final String[] extra = answer.headers();
        for (int i = 0; i + 1 < extra.length; i += 2) {
            headers.add(extra[i], extra[i + 1]);
        }
        if (keepAlive) {
            if (sayKeepAlive) {
                headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
            ctx.writeAndFlush(response, ctx.voidPromise());
        } else {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Hands each complete request to the API and writes its answer; one instance for every connection. */
    @ChannelHandler.Sharable
    private static final class Answerer extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final BiFunction<TrackingRequest, Executor, CompletionStage<TrackingResponse>> api;
        private final TrackingStats stats;
        private final ErrorHandler errors;
        private final Supplier<List<Cidr>> trusted;

        Answerer(BiFunction<TrackingRequest, Executor, CompletionStage<TrackingResponse>> api, TrackingStats stats,
                 ErrorHandler errors,
                 Supplier<List<Cidr>> trusted) {
            this.api = api;
            this.stats = stats;
            this.errors = errors;
            this.trusted = trusted;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            if (request.decoderResult().isFailure()) {
                write(ctx, TrackingResponse.error(400, malformed(request.decoderResult().cause())), false, stats);
                return;
            }
            final HttpHeaders headers = request.headers();
            final String uri = request.uri();
            final int query = uri.indexOf('?');
            final String forwardedFor = headers.contains("X-Forwarded-For")
                    ? String.join(",", headers.getAll("X-Forwarded-For")) : null;
            final String acceptEncoding = headers.get(HttpHeaderNames.ACCEPT_ENCODING);
            final TrackingRequest call = new TrackingRequest(request.method().name(),
                    query < 0 ? uri : uri.substring(0, query), headers.get(HttpHeaderNames.ORIGIN),
                    acceptEncoding != null && acceptEncoding.contains("gzip"),
                    headers.get(HttpHeaderNames.IF_NONE_MATCH), ByteBufUtil.getBytes(request.content()),
                    ClientAddress.of(((InetSocketAddress) ctx.channel().remoteAddress()).getAddress(), forwardedFor,
                            trusted.get()));
            final boolean keepAlive = HttpUtil.isKeepAlive(request);
            final boolean sayKeepAlive = keepAlive && request.protocolVersion() == HttpVersion.HTTP_1_0;
            final CompletableFuture<TrackingResponse> answer = answer(call, ctx.executor()).toCompletableFuture();
            if (answer.isDone()) {
                write(ctx, answered(answer), keepAlive, sayKeepAlive, stats);
                return;
            }
            // Waiting on Redis (a cluster's sessions): the connection reads no further request
            // until this one is answered, so its answers keep their order.
            ctx.channel().config().setAutoRead(false);
            answer.whenComplete((done, error) -> ctx.executor().execute(() -> {
                write(ctx, answered(answer), keepAlive, sayKeepAlive, stats);
                ctx.channel().config().setAutoRead(true);
            }));
        }

        /** The API's answer; whatever it throws is a 500, logged once, and the loop goes on. */
        private CompletionStage<TrackingResponse> answer(TrackingRequest call, Executor loop) {
            try {
                return api.apply(call, loop);
            } catch (RuntimeException | Error e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        /** A completed answer, or the 500 of a bug. */
        private TrackingResponse answered(CompletableFuture<TrackingResponse> answer) {
            try {
                return answer.join();
            } catch (CompletionException | CancellationException e) {
                errors.onError(e.getCause() != null ? e.getCause() : e);
                return TrackingResponse.error(500, "internal error");
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A reset or timed-out connection is the client's business; anything else is ours.
            if (!(cause instanceof IOException) && !(cause instanceof ReadTimeoutException)) {
                errors.onError(cause);
            }
            ctx.close();
        }

        private static String malformed(Throwable cause) {
            if (cause instanceof TooLongHttpLineException) {
                return "request line longer than " + MAX_INITIAL_LINE + " bytes";
            }
            if (cause instanceof TooLongHttpHeaderException) {
                return "request headers larger than " + MAX_HEADER_BYTES + " bytes";
            }
            return "malformed HTTP request: " + JsonBody.shortened(cause.getMessage());
        }
    }

    /** The body bound: a larger body is answered {@code 413} in JSON and the connection closed. */
    private static final class BodyBound extends HttpObjectAggregator {
        private final int maxBodyBytes;
        private final TrackingStats stats;

        BodyBound(int maxBodyBytes, TrackingStats stats) {
            super(maxBodyBytes);
            this.maxBodyBytes = maxBodyBytes;
            this.stats = stats;
        }

        /**
         * As Netty's own: a keep-alive request whose body has not all arrived keeps its
         * connection, and the aggregator discards the rest of the body (closing while the client
         * still sends would reset the connection, and the client might never read the 413);
         * otherwise the connection closes after the answer.
         */
        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            final boolean keep = !(oversized instanceof FullHttpRequest) && HttpUtil.isKeepAlive(oversized);
            write(ctx, TrackingResponse.error(413, "body larger than " + maxBodyBytes + " bytes"), keep, stats);
        }
    }

    /**
     * Closes a connection whose request has not been answered {@code limitNs} after its first
     * byte (a client trickling its headers in one byte at a time). Checked on each read, so it
     * costs no timer; a client that stops sending altogether is closed by the idle timeout.
     */
    static final class SlowRequestGuard extends ChannelDuplexHandler {
        private final long limitNs;
        private final LongSupplier nanoTime;
        private long startedNs;
        private boolean inRequest;

        SlowRequestGuard(long limitNs, LongSupplier nanoTime) {
            this.limitNs = limitNs;
            this.nanoTime = nanoTime;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            final long now = nanoTime.getAsLong();
            if (!inRequest) {
                inRequest = true;
                startedNs = now;
            } else if (now - startedNs > limitNs) {
                ReferenceCountUtil.release(msg);
                ctx.close();
                return;
            }
            super.channelRead(ctx, msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            inRequest = false;
            super.write(ctx, msg, promise);
        }
    }
}
