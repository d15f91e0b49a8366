package org.callrouter.server.workers;

import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoopGroup;
import org.callrouter.server.transport.SipNetty;

/**
 * The SIP event loops of a router: the transport's loop (worker 0's) and, with several SIP
 * workers, the loops of workers 1 and up. The warm-up's router runs on them first and hands
 * them to the real one, so the threads that carry the first real calls are the ones the warm-up
 * used: their per-thread state (Netty's buffer caches and recyclers, the parser's scanners, the
 * branch minter) exists already, and the JIT's compiled code took its branches for them. Whoever
 * holds them last closes them.
 */
public final class SipLoops implements AutoCloseable {

    private final SipNetty netty;
    private final EventLoopGroup workers;
    private boolean closed;

    private SipLoops(SipNetty netty, EventLoopGroup workers) {
        this.netty = netty;
        this.workers = workers;
    }

    /** Starts the loops for {@code workers} SIP workers (epoll where there is one). */
    public static SipLoops start(int workers) {
        final SipNetty netty = SipNetty.start(true);
        return new SipLoops(netty, workers > 1 ? netty.workerLoops(workers - 1) : null);
    }

    /** The transport's loop and its group. */
    public SipNetty netty() {
        return netty;
    }

    /** The loops of workers 1 and up, or null with one worker (it runs on the transport's loop). */
    public EventLoopGroup workers() {
        return workers;
    }

    /** Shuts the loops down; again is a no-op (a failed start may close them from two places). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (workers != null) {
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        netty.close();
    }
}
