package org.callrouter.server.workers;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.netty.channel.DefaultEventLoop;
import org.callrouter.server.transport.Backlog;
import org.junit.jupiter.api.Test;

/** A SIP worker refuses new calls while its loop's queue is long, or while the reading loop is behind. */
class WorkerBacklogTest {

    @Test
    void aLongQueueOnTheWorkersLoopRefusesUntilItDrains() throws Exception {
        final DefaultEventLoop loop = new DefaultEventLoop();
        try {
            final WorkerBacklog backlog = new WorkerBacklog(Backlog.NONE, loop, 1);
            assertFalse(backlog.backlogged(), "an idle loop");
            final CountDownLatch release = new CountDownLatch(1);
            final CountDownLatch running = new CountDownLatch(1);
            loop.execute(() -> {
                running.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            // Off the queue and blocking the loop before the count starts, or the count is one more.
            assertTrue(running.await(30, TimeUnit.SECONDS), "the loop runs the blocking task");
            try {
                fillAndDrain(loop, backlog, release);
            } finally {
                release.countDown(); // a failed assertion must not leave the loop blocked for the shutdown
            }
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static void fillAndDrain(DefaultEventLoop loop, WorkerBacklog backlog, CountDownLatch release)
            throws Exception {
        for (int i = 0; i < WorkerBacklog.MAX_QUEUED; i++) {
            loop.execute(() -> { });
        }
        assertFalse(backlog.backlogged(), "exactly the bound queued");
        loop.execute(() -> { });
        assertTrue(backlog.backlogged(), "one over the bound");
        release.countDown();
        loop.submit(() -> { }).get(30, TimeUnit.SECONDS);
        assertFalse(backlog.backlogged(), "drained");
    }

    @Test
    void theReadingLoopBehindRefusesWhateverTheWorkersQueue() {
        final DefaultEventLoop loop = new DefaultEventLoop();
        try {
            assertTrue(new WorkerBacklog(() -> true, loop, 0).backlogged());
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
