package org.callrouter.server;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.ErrorHandler;
import org.callrouter.routing.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes caller-index entries no repeat or dedupe window can use any more
 * ({@link Router#purgeCallers}), every {@code server.stores.purge_interval_seconds} of the
 * router's wall clock, so the index does not fill with callers nobody will look up again.
 *
 * <p>It runs on a thread of its own, not on the SIP loop: a purge walks the whole index (about a
 * second for two million entries), which the loop cannot spare. That is safe because Chronicle
 * Map is thread-safe and locks per segment: the purge holds one segment's lock while it walks that
 * segment, so a routing decision or an answer that needs the same segment waits for at most one
 * segment's walk (a few thousand entries), never for the whole purge. The thread wakes every
 * second and purges when the interval has passed on the wall clock, so a reloaded interval
 * applies at once and tests step the time instead of waiting for it. The first purge runs at
 * start (entries may have aged while the router was down).
 *
 * <p>Each wake also frees the numbers of pool leases that ended and forgets visitor sessions
 * whose grace window passed ({@link org.callrouter.routing.pool.PoolSessions#expire}): every
 * pool operation does that for its own pool first, this keeps pools nobody asks tidy too (their
 * {@code held} gauge right). It costs a priority-queue peek per pool when nothing is due.
 */
public final class CallerPurge implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CallerPurge.class);
    private static final long WAKE_MS = 1000;

    private final Router router;
    private final Clock wall;
    private final ErrorHandler errors;
    private final ScheduledExecutorService thread;
    private final AtomicLong purges = new AtomicLong();
    private final AtomicLong removed = new AtomicLong();
    private long lastPurgeMs = Long.MIN_VALUE;

    private CallerPurge(Router router, Clock wall, ErrorHandler errors) {
        this.router = router;
        this.wall = wall;
        this.errors = errors;
        this.thread = Executors.newSingleThreadScheduledExecutor(task -> {
            final Thread t = new Thread(task, "caller-purge");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts purging {@code router}'s caller index on the {@code wall} clock; failures go to {@code errors}. */
    public static CallerPurge start(Router router, Clock wall, ErrorHandler errors) {
        final CallerPurge purge = new CallerPurge(router, wall, errors);
        purge.thread.scheduleWithFixedDelay(purge::onWake, 0, WAKE_MS, TimeUnit.MILLISECONDS);
        return purge;
    }

    private void onWake() {
        try {
            router.pools().expire(wall.millis());
        } catch (RuntimeException | Error e) {
            errors.onError(e);
        }
        try {
            final long nowMs = wall.millis();
            final long intervalMs = router.config().server().stores().purgeIntervalSeconds() * 1000L;
            if (lastPurgeMs != Long.MIN_VALUE && nowMs - lastPurgeMs < intervalMs) {
                return;
            }
            final int gone = router.purgeCallers(nowMs);
            lastPurgeMs = nowMs;
            removed.addAndGet(gone);
            purges.incrementAndGet();
            if (gone > 0) {
                LOG.info("caller index: purged {} entries outside every window", gone);
            }
        } catch (RuntimeException | Error e) {
            // A failed purge is reported and tried again at the next wake; the thread must not die.
            errors.onError(e);
        }
    }

    /** Purges done since start. */
    public long purges() {
        return purges.get();
    }

    /** Caller entries removed since start. */
    public long removed() {
        return removed.get();
    }

    /** Stops purging and waits for a purge in progress, so the stores can close after it. */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("caller index: a purge is still running at close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
