package org.callrouter.server.workers;

import io.netty.util.concurrent.SingleThreadEventExecutor;
import org.callrouter.server.transport.Backlog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a SIP worker, with several, should refuse new calls: while the SIP loop is behind its
 * sockets (the transport's {@link Backlog}), or while this worker's own loop has more than
 * {@link #MAX_QUEUED} tasks waiting, messages handed to it (or, on the SIP loop, the other
 * workers' sends) it has not reached yet. The transport's guard only sees the reading loop; a
 * worker that falls behind on its own (its core taken by something else, a burst that hashed
 * to it) is caught here, before the calls it accepted wait behind a queue that keeps growing.
 * Called on the worker's loop (B2BUA admission).
 */
public final class WorkerBacklog implements Backlog {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerBacklog.class);
    /**
     * Tasks waiting on a worker's loop beyond which it refuses new calls: a few tens of
     * milliseconds of work at a few microseconds a message, far above what a loop that keeps up
     * ever holds, far below what would make its calls' timers late.
     */
    static final int MAX_QUEUED = 4096;
    private static final long LOG_EVERY_NS = 10_000_000_000L;

    private final Backlog transport;
    private final SingleThreadEventExecutor loop;
    private final int worker;
    private long lastWarnedNs = Long.MIN_VALUE / 2;

    /** @param loop the worker's loop, whose queue is measured */
    public WorkerBacklog(Backlog transport, SingleThreadEventExecutor loop, int worker) {
        this.transport = transport;
        this.loop = loop;
        this.worker = worker;
    }

    @Override
    public boolean backlogged() {
        if (transport.backlogged()) {
            return true;
        }
        final int queued = loop.pendingTasks();
        if (queued <= MAX_QUEUED) {
            return false;
        }
        final long now = System.nanoTime();
        if (now - lastWarnedNs > LOG_EVERY_NS) {
            lastWarnedNs = now;
            LOG.warn("overloaded: SIP worker {} has {} messages waiting; new calls on it are refused with 503 "
                    + "until it catches up (see b2bua_overload_rejections_total)", worker, queued);
        }
        return true;
    }
}
