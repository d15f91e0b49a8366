package org.callrouter.server.transport;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The SIP event loop and the channel classes to use with it: native epoll when the platform
 * has it, NIO otherwise. One thread: the whole call path runs on it without locks.
 */
public final class SipNetty implements AutoCloseable {

    private final EventLoopGroup group;
    private final boolean epoll;
    private final IoHandlerFactory factory;

    private SipNetty(EventLoopGroup group, boolean epoll, IoHandlerFactory factory) {
        this.group = group;
        this.epoll = epoll;
        this.factory = factory;
    }

    /** Starts the SIP event loop; {@code preferEpoll} false forces NIO (tests, odd platforms). */
    public static SipNetty start(boolean preferEpoll) {
        final boolean epoll = preferEpoll && Epoll.isAvailable();
        final IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new SipNetty(new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("sip-loop", true), factory), epoll,
                factory);
    }

    /**
     * {@code loops} more event loops of the same kind for SIP workers 1 and up (server README,
     * "SIP workers"): they own calls, not sockets, which stay on the SIP loop. The caller shuts
     * the group down.
     */
    public EventLoopGroup workerLoops(int loops) {
        return new MultiThreadIoEventLoopGroup(loops, new DefaultThreadFactory("sip-worker", true), factory);
    }

    public EventLoopGroup group() {
        return group;
    }

    public EventLoop loop() {
        return group.next();
    }

    /** True when native epoll is in use. */
    public boolean epoll() {
        return epoll;
    }

    /** The datagram channel class that runs on this loop (epoll or NIO). */
    public Class<? extends DatagramChannel> datagramChannel() {
        return epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }

    Class<? extends ServerChannel> serverChannel() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    Class<? extends Channel> socketChannel() {
        return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
