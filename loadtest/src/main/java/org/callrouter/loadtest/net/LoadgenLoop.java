package org.callrouter.loadtest.net;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The generator's one event loop: native epoll when the platform has it, NIO otherwise. Both
 * sides, every socket, the pacer and the timer wheel run on its thread, so they share state
 * without locks and read one clock.
 */
public final class LoadgenLoop implements AutoCloseable {

    private final EventLoopGroup group;
    private final boolean epoll;

    private LoadgenLoop(EventLoopGroup group, boolean epoll) {
        this.group = group;
        this.epoll = epoll;
    }

    /** Starts the loop; {@code preferEpoll} false forces NIO. */
    public static LoadgenLoop start(boolean preferEpoll) {
        boolean epoll = preferEpoll && Epoll.isAvailable();
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new LoadgenLoop(new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("loadgen", true), factory),
                epoll);
    }

    /** The loop. */
    public EventLoop loop() {
        return group.next();
    }

    /** Whether native epoll is in use. */
    public boolean epoll() {
        return epoll;
    }

    Class<? extends Channel> datagramChannel() {
        return epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
