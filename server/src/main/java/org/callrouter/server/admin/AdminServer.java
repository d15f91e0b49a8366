package org.callrouter.server.admin;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.agrona.ErrorHandler;
import org.callrouter.routing.config.HostPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP/1.1 endpoint on Netty ({@code server.admin.listen}): one event-loop thread
 * for the sockets and {@value #WORKERS} worker threads for the {@link AdminApi}, whose answers
 * may read the journal or wait for the record emitter. At most {@value #QUEUED} requests wait
 * for a worker; beyond that a request is answered {@code 503} with {@code Retry-After} at once,
 * so a slow journal cannot make the admin side hold requests without bound. Requests are
 * limited to 1 MiB (413 beyond); a connection idle for two minutes is closed. A handler that
 * throws answers {@code 500} and the worker thread lives on. Nothing here runs on the SIP
 * event loop.
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    private static final int MAX_REQUEST_BYTES = 1 << 20;
    private static final int IDLE_SECONDS = 120;
    static final int WORKERS = 2;
    static final int QUEUED = 64;
    static final String RETRY_AFTER_SECONDS = "1";

    private final EventLoopGroup group;
    private final ExecutorService workers;
    private final Channel channel;

    private AdminServer(EventLoopGroup group, ExecutorService workers, Channel channel) {
        this.group = group;
        this.workers = workers;
        this.channel = channel;
    }

    /**
     * Binds {@code listen} and serves {@code api}.
     *
     * @throws IllegalStateException when the address cannot be bound.
     */
    public static AdminServer start(HostPort listen, AdminApi api, ErrorHandler errors) {
        return start(listen, api::handle, errors, WORKERS, QUEUED);
    }

    /**
     * Binds {@code listen} and answers each request with {@code handler} on {@code workers}
     * threads, {@code queued} requests at most waiting for one.
     */
    static AdminServer start(HostPort listen, Function<ApiRequest, ApiResponse> handler, ErrorHandler errors,
                             int workerCount, int queued) {
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("admin-loop", true),
                NioIoHandler.newFactory());
        final ExecutorService workers = new ThreadPoolExecutor(workerCount, workerCount, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queued), new DefaultThreadFactory("admin-worker", true),
                new ThreadPoolExecutor.AbortPolicy());
        try {
            final Channel channel = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new ReadTimeoutHandler(IDLE_SECONDS),
                                    new HttpServerCodec(),
                                    new HttpObjectAggregator(MAX_REQUEST_BYTES),
                                    new Handler(handler, workers, errors));
                        }
                    })
                    .bind(new InetSocketAddress(listen.host(), listen.port()))
                    .syncUninterruptibly()
                    .channel();
            final AdminServer server = new AdminServer(group, workers, channel);
            LOG.info("admin HTTP on {}", server.address());
            return server;
        } catch (RuntimeException e) {
            workers.shutdownNow();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot listen on server.admin.listen=" + listen + ": " + e.getMessage(), e);
        }
    }

    /** The bound address (with the real port when 0 was configured). */
    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Stops accepting, lets answers under way finish briefly, closes. */
    @Override
    public void close() {
        channel.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        workers.shutdown();
        try {
            if (!workers.awaitTermination(2, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Hands each complete request to a worker and writes its answer back on the event loop. */
    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final Function<ApiRequest, ApiResponse> handler;
        private final ExecutorService workers;
        private final ErrorHandler errors;

        Handler(Function<ApiRequest, ApiResponse> handler, ExecutorService workers, ErrorHandler errors) {
            this.handler = handler;
            this.workers = workers;
            this.errors = errors;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            final boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (request.decoderResult().isFailure()) {
                write(ctx, ApiResponse.error(400, "malformed HTTP request: " + request.decoderResult().cause()),
                        false);
                return;
            }
            final ApiRequest call = new ApiRequest(request.method().name(), request.uri(),
                    request.headers().get(HttpHeaderNames.AUTHORIZATION),
                    request.headers().get(HttpHeaderNames.CONTENT_TYPE), request.headers().get(HttpHeaderNames.IF_MATCH),
                    ByteBufUtil.getBytes(request.content()),
                    ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress());
            try {
                workers.execute(() -> {
                    final ApiResponse response = answer(call);
                    ctx.channel().eventLoop().execute(() -> write(ctx, response, keepAlive));
                });
            } catch (RejectedExecutionException e) {
                if (workers.isShutdown()) {
                    write(ctx, ApiResponse.error(503, "the router is stopping"), false);
                } else {
                    write(ctx, ApiResponse.error(503, "the admin API is busy: every worker is taken and the "
                            + "queue is full; retry later").with(Map.of("Retry-After", RETRY_AFTER_SECONDS)), keepAlive);
                }
            }
        }

        /** The handler's answer; whatever it throws becomes a 500 and the worker thread goes on. */
        private ApiResponse answer(ApiRequest call) {
            try {
                return handler.apply(call);
            } catch (RuntimeException | Error e) {
                errors.onError(e);
                return ApiResponse.error(500, "internal error: " + e.getClass().getSimpleName());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        private static void write(ChannelHandlerContext ctx, ApiResponse answer, boolean keepAlive) {
            final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(answer.status()), Unpooled.wrappedBuffer(answer.body()));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, answer.body().length);
            for (Map.Entry<String, String> header : answer.headers().entrySet()) {
                response.headers().set(header.getKey(), header.getValue());
            }
            if (keepAlive) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                ctx.writeAndFlush(response);
            } else {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
