package org.callrouter.server.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.callrouter.server.SmallDisk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook outbox on a real filesystem that fills (a 1 MiB tmpfs): failed writes are counted
 * and reported, the requests wait in memory, and reach the segment once space returns.
 */
class OutboxDiskFullTest {

    private static final int REQUESTS = 40;
    private static final int TRIES = 5;

    @TempDir
    Path temp;

    private final List<Throwable> errors = new ArrayList<>();

    @Test
    void failedWritesAreCountedAndTheRequestsReachTheDiskWhenSpaceReturns() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(temp.resolve("webhooks"))) {
            final OutboxWriter writer = new OutboxWriter(disk.dir(), 1, 0, errors::add);
            writer.append(OutboxTest.request(0));
            writer.write();
            writer.forceIfDue(System.nanoTime());
            assertEquals(0, writer.writeFailures());
            assertNull(writer.problem());

            disk.fill();
            // More than the 4 KiB page the segment already has: the rest needs new pages.
            for (int i = 1; i <= REQUESTS; i++) {
                writer.append(OutboxTest.request(i));
            }
            writer.write();
            writer.write();
            assertEquals(2, writer.writeFailures(), "each failed try counts");
            assertEquals("No space left on device", writer.problem());
            assertEquals(REQUESTS, writer.unwrittenRequests());

            disk.free();
            writer.write();
            writer.forceIfDue(System.nanoTime());
            assertNull(writer.problem(), "space is back");
            assertEquals(0, writer.unwrittenRequests());
            assertEquals(2, writer.writeFailures());
            writer.close();

            final Outbox.Recovery recovery = Outbox.recover(disk.dir());
            assertEquals(REQUESTS + 1, recovery.pending().size(), "every request is in the outbox, once");
            for (int i = 0; i <= REQUESTS; i++) {
                assertEquals(OutboxTest.request(i), recovery.pending().get(i).delivery().request());
            }
        }
        assertTrue(errors.size() == 2 && errors.stream().allMatch(e -> e instanceof IOException
                && String.valueOf(e.getCause()).contains("No space left on device")), errors::toString);
    }

    @Test
    void deliveryOutcomesWaitInMemoryAndReachTheDiskAtTheNextForce() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(temp.resolve("webhooks"))) {
            final OutboxWriter writer = new OutboxWriter(disk.dir(), 1, 0, errors::add);
            final List<Delivery> stored = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                stored.add(writer.append(OutboxTest.request(i)));
            }
            writer.close();
            final OutboxAcks acks = new OutboxAcks(disk.dir(), errors::add);
            acks.ack(stored.get(0), Outbox.State.DONE, 1, 0);

            disk.fill();
            // Enough outcomes to need pages the acks file does not have yet.
            for (int tries = 1; tries <= TRIES; tries++) {
                for (int i = 1; i < REQUESTS; i++) {
                    acks.ack(stored.get(i), Outbox.State.RETRY, tries, 1_000_000_000_000L + i);
                }
            }
            assertTrue(acks.writeFailures() > 0);
            assertEquals("No space left on device", acks.problem());
            acks.force();
            assertEquals("No space left on device", acks.problem(), "still full");

            disk.free();
            acks.force();
            assertNull(acks.problem(), "space is back");
            acks.close();

            final Outbox.Recovery recovery = Outbox.recover(disk.dir());
            assertEquals(REQUESTS - 1, recovery.pending().size(), "the first is done, the others wait for their retry");
            for (Outbox.Pending p : recovery.pending()) {
                assertEquals(TRIES, p.tries());
                assertEquals(1_000_000_000_000L + p.delivery().index(), p.nextTryMs());
            }
        }
        assertTrue(!errors.isEmpty() && errors.stream().allMatch(e -> e instanceof IOException
                && String.valueOf(e.getCause()).contains("No space left on device")), errors::toString);
    }
}
