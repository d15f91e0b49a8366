package org.callrouter.loadtest.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import org.callrouter.sip.codec.InboundMessage;
import org.callrouter.sip.codec.SipDatagramDecoder;

/**
 * One bound UDP socket of the generator. Inbound datagrams are decoded to SIP and handed to the
 * listener with the time they were read; outbound messages are written without a flush and
 * flushed together by {@link OutboundBatch#flushAll()} at the end of each read cycle and each
 * tick, so a burst of sends costs one flush (and, on epoll, few {@code sendmmsg} calls).
 */
public final class UdpEndpoint {

    /** Large enough for any SIP datagram; a 64 KiB UDP payload is the protocol's limit. */
    private static final int RECEIVE_BUFFER = 65_536;
    /** Socket buffers: bursts of thousands of datagrams must not overflow the kernel queue. */
    private static final int SOCKET_BUFFER = 4 * 1024 * 1024;
    private static final SipDatagramDecoder DECODER = new SipDatagramDecoder();

    private final Channel channel;
    private final InetSocketAddress local;
    private boolean pending;

    private UdpEndpoint(Channel channel) {
        this.channel = channel;
        this.local = (InetSocketAddress) channel.localAddress();
    }

    /**
     * Binds a socket on {@code address} (port 0: any free port) and delivers what it receives to
     * {@code listener} on the loop's thread.
     *
     * @throws IllegalStateException naming the address when it cannot be bound
     */
    public static UdpEndpoint bind(LoadgenLoop loop, InetSocketAddress address, OutboundBatch batch,
            MessageListener listener) {
        Inbound inbound = new Inbound(listener, batch);
        Bootstrap b = new Bootstrap()
                .group(loop.loop())
                .channel(loop.datagramChannel())
                .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
                .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER)
                .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(RECEIVE_BUFFER))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(DECODER, inbound);
                    }
                });
        ChannelFuture bound = b.bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IllegalStateException("cannot bind UDP " + address + ": " + bound.cause().getMessage(),
                    bound.cause());
        }
        UdpEndpoint endpoint = new UdpEndpoint(bound.channel());
        batch.register(endpoint);
        return endpoint;
    }

    /** The bound address (with the port chosen when 0 was asked for). */
    public InetSocketAddress localAddress() {
        return local;
    }

    /** Queues {@code message} to {@code to}; it leaves at the next flush. Call on the loop. */
    public void send(byte[] message, InetSocketAddress to) {
        ByteBuf buf = channel.alloc().directBuffer(message.length);
        buf.writeBytes(message);
        channel.write(new DatagramPacket(buf, to), channel.voidPromise());
        pending = true;
    }

    /** Flushes what was queued since the last flush. */
    void flushIfPending() {
        if (pending) {
            pending = false;
            channel.flush();
        }
    }

    /** Closes the socket and waits for it. */
    public void close() {
        channel.close().syncUninterruptibly();
    }

    private static final class Inbound extends SimpleChannelInboundHandler<InboundMessage> {

        private final MessageListener listener;
        private final OutboundBatch batch;

        Inbound(MessageListener listener, OutboundBatch batch) {
            this.listener = listener;
            this.batch = batch;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, InboundMessage msg) {
            try {
                listener.onMessage(msg, System.nanoTime());
            } catch (RuntimeException e) {
                batch.errors().report("handling a message from " + msg.sender(), e);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            batch.flushAll();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            batch.errors().report("socket " + ctx.channel().localAddress(), cause);
        }
    }
}
