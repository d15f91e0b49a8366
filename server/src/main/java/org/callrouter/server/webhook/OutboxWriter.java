package org.callrouter.server.webhook;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.ErrorHandler;
import org.callrouter.server.records.LineFile;

/**
 * Appends new requests to the outbox's current segment, on the emitter thread: collected
 * during a drain, written at its end ({@link #write}) and forced to disk on the journal's
 * schedule ({@link #forceIfDue}), then handed to the dispatcher. A segment past
 * {@link #SEGMENT_BYTES} is closed and the next one begun ({@link #rollIfFull}).
 *
 * <p>While the disk fails, requests wait in memory for the next write (or, when no segment
 * can be opened, are delivered from memory only); at most {@link #MAX_UNWRITTEN_BYTES} of
 * them. Past that a new request is dropped, counted ({@link #dropped}) and reported, so a
 * failing disk costs webhooks, not the router's heap. A write, fsync or open that fails is
 * counted ({@link #writeFailures}) and reported ({@link #problem}, which makes the router not
 * ready) until one succeeds.
 */
final class OutboxWriter {

    static final long SEGMENT_BYTES = 16L << 20;
    static final int MAX_UNWRITTEN_BYTES = 16 << 20;

    private final Path dir;
    private final long fsyncIntervalNs;
    private final ErrorHandler errors;
    private long segment;
    private LineFile file;
    private int lines;
    private long lastForceNs = System.nanoTime();
    private long memoryOnlyBytes;
    private final AtomicLong dropped = new AtomicLong();
    private volatile long writeFailures;
    private volatile String problem;
    private volatile int unwritten;

    /**
     * @param firstSegment the number of the segment to begin with (after every existing one).
     */
    OutboxWriter(Path dir, long firstSegment, long fsyncIntervalNs, ErrorHandler errors) {
        this.dir = dir;
        this.segment = firstSegment;
        this.fsyncIntervalNs = fsyncIntervalNs;
        this.errors = errors;
    }

    /**
     * Adds a request to the current segment.
     *
     * @return where it is stored; segment -1 when no segment could be opened (it is then
     *         delivered from memory only, and the error reported); null when it was dropped
     *         because {@link #MAX_UNWRITTEN_BYTES} already wait for a failing disk.
     */
    Delivery append(WebhookRequest request) {
        if (file == null) {
            try {
                file = LineFile.open(Outbox.segment(dir, segment));
                lines = 0;
                // The disk works again: what was only in memory is the dispatcher's now.
                memoryOnlyBytes = 0;
            } catch (IOException e) {
                failed(e);
                errors.onError(new IOException("webhook outbox: cannot open " + Outbox.segment(dir, segment), e));
            }
        }
        final byte[] line = Outbox.line(request);
        final long waiting = memoryOnlyBytes + (file == null ? 0 : file.pendingBytes());
        if (waiting + line.length + 1 > MAX_UNWRITTEN_BYTES) {
            dropped.incrementAndGet();
            errors.onError(new IOException("webhook outbox: " + waiting + " bytes of requests wait for a failing "
                    + "disk; webhook " + request.key() + " dropped"));
            return null;
        }
        if (file == null) {
            memoryOnlyBytes += line.length + 1;
            return new Delivery(request, -1, -1);
        }
        file.append(line);
        return new Delivery(request, segment, lines++);
    }

    /** Requests dropped because the disk failed and the memory for them was used up. */
    long dropped() {
        return dropped.get();
    }

    /** Writes the requests appended since the last call. */
    void write() {
        if (file != null) {
            try {
                file.write();
                if (!file.unforced()) {
                    problem = null;
                }
            } catch (IOException e) {
                failed(e);
                errors.onError(new IOException("webhook outbox: write to " + file.path() + " failed, will retry", e));
            }
            unwritten = file.pendingLines();
        }
    }

    /** Forces written requests to disk when the interval has passed since the last force. */
    void forceIfDue(long nowNs) {
        if (file != null && file.unforced() && nowNs - lastForceNs >= fsyncIntervalNs) {
            lastForceNs = nowNs;
            force();
        }
    }

    /**
     * Closes the current segment if it is full and everything in it is written.
     *
     * @return the closed segment's number, or -1.
     */
    long rollIfFull() {
        if (file == null || file.size() < SEGMENT_BYTES || file.pendingBytes() > 0) {
            return -1;
        }
        final long sealed = segment;
        close();
        segment++;
        return sealed;
    }

    /** Writes, forces and closes the current segment. */
    void close() {
        if (file == null) {
            return;
        }
        write();
        force();
        try {
            file.close();
        } catch (IOException e) {
            errors.onError(e);
        }
        file = null;
    }

    /** The segment being appended to. */
    long segment() {
        return segment;
    }

    /** Failed writes, fsyncs and opens of outbox segments since start. */
    long writeFailures() {
        return writeFailures;
    }

    /** Why the last write, fsync or open failed (the I/O error's message), or null once one succeeded. */
    String problem() {
        return problem;
    }

    /** Requests appended and not yet written, as of the last write. */
    int unwrittenRequests() {
        return unwritten;
    }

    private void failed(IOException e) {
        writeFailures++;
        problem = String.valueOf(e.getMessage());
    }

    private void force() {
        try {
            file.force();
            problem = null;
        } catch (IOException e) {
            failed(e);
            errors.onError(new IOException("webhook outbox: fsync of " + file.path() + " failed, will retry", e));
        }
    }
}
