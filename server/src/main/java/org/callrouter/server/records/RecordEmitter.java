package org.callrouter.server.records;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;

/**
 * The emitter thread's work: drains the ring buffer into the assembler, then lets the sinks
 * write and fsync ({@link RecordSink#onBatchEnd}); every minute closes records whose end never
 * came. On close it drains what is left, so a clean stop loses nothing that was published.
 *
 * <p>It works in batches: after a drain that emptied the buffer it reports no work, so the
 * runner rests ({@link #REST_NS}) before the next, and events collect meanwhile. On a machine
 * the SIP loop shares, waking for every event would cost the calls far more CPU (wake-ups,
 * one {@code write} per event) than a millisecond's wait costs the records.
 */
final class RecordEmitter implements Agent {

    private static final int BATCH = 4096;
    /** How long the emitter rests after a drain that emptied the buffer. */
    static final long REST_NS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long SWEEP_EVERY_NS = TimeUnit.MINUTES.toNanos(1);

    private final ManyToOneRingBuffer ring;
    private final CallEventAdapter adapter;
    private final RecordAssembler assembler;
    private final List<RecordSink> sinks;
    private final ErrorHandler errors;
    private final Clock wall;
    private final long staleAfterMs;
    private final AtomicLong consumed = new AtomicLong();
    private volatile int liveCalls;
    private long nextSweepNs = System.nanoTime() + SWEEP_EVERY_NS;

    /**
     * @param staleAfterMs a call still open this long after it was received lost its end event.
     */
    RecordEmitter(ManyToOneRingBuffer ring, CallEventAdapter adapter, RecordAssembler assembler,
                  List<RecordSink> sinks, ErrorHandler errors, Clock wall, long staleAfterMs) {
        this.ring = ring;
        this.adapter = adapter;
        this.assembler = assembler;
        this.sinks = List.copyOf(sinks);
        this.errors = errors;
        this.wall = wall;
        this.staleAfterMs = staleAfterMs;
    }

    @Override
    public int doWork() {
        final int read = ring.read(adapter, BATCH);
        if (read > 0) {
            consumed.lazySet(consumed.get() + read);
            liveCalls = assembler.liveCount();
        }
        final long nowNs = System.nanoTime();
        if (nowNs - nextSweepNs >= 0) {
            nextSweepNs = nowNs + SWEEP_EVERY_NS;
            assembler.sweep(wall.millis(), staleAfterMs);
        }
        batchEnd(nowNs);
        // A full batch means more is waiting: go on at once. Anything less: rest, let events collect.
        return read == BATCH ? read : 0;
    }

    @Override
    public void onClose() {
        int read;
        do {
            read = ring.read(adapter, BATCH);
            consumed.lazySet(consumed.get() + read);
            batchEnd(System.nanoTime());
        } while (read > 0);
        liveCalls = assembler.liveCount();
        for (RecordSink sink : sinks) {
            try {
                sink.onClose();
            } catch (RuntimeException e) {
                errors.onError(e);
            }
        }
    }

    @Override
    public String roleName() {
        return "records-emitter";
    }

    /** Messages taken from the ring buffer since start. */
    long consumed() {
        return consumed.get();
    }

    /** Calls in progress, as of the last drain. */
    int liveCalls() {
        return liveCalls;
    }

    private void batchEnd(long nowNs) {
        for (RecordSink sink : sinks) {
            try {
                sink.onBatchEnd(nowNs);
            } catch (RuntimeException e) {
                errors.onError(e);
            }
        }
    }
}
