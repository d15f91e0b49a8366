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
            loop.execute(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            for (int i = 0; i < WorkerBacklog.MAX_QUEUED; i++) {
                loop.execute(() -> { });
            }
            assertFalse(backlog.backlogged(), "exactly the bound queued");
            loop.execute(() -> { });
            assertTrue(backlog.backlogged(), "one over the bound");
            release.countDown();
            loop.submit(() -> { }).get(30, TimeUnit.SECONDS);
            assertFalse(backlog.backlogged(), "drained");
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
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
