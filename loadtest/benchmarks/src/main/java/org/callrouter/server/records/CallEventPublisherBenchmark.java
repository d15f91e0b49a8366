package org.callrouter.server.records;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.callrouter.routing.ConversionOutcome;
import org.callrouter.server.b2bua.AttemptResult;
import org.callrouter.server.b2bua.CallStatus;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Publishing call events from the SIP thread into the record ring buffer (issue 5 goal: under
 * 100 ns and no allocation per event; run with {@code -prof gc} for {@code gc.alloc.rate.norm}).
 *
 * <p>Each invocation publishes {@value #BATCH} events of one kind into the production-size
 * buffer (8 MiB), which is drained between invocations, outside the measurement: a publisher
 * running flat out is faster than any consumer, so a consumer thread racing it would only
 * measure the buffer filling up. What is measured is the SIP thread's whole cost per event:
 * encode, claim, copy, commit, count. The values are those of a real call: a {@code received}
 * carries the seven tags a routed call has.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
public class CallEventPublisherBenchmark {

    static final int BATCH = 4096;
    static final int CALL_EVENTS = 5;
    private static final String CALL_ID = "c19cd50a2da3f0a1b2c3d4";

    private Map<String, String> tags;
    private ConversionOutcome conversion;
    private ManyToOneRingBuffer ring;
    private CallEventPublisher publisher;

    @Setup(Level.Trial)
    public void setUp() {
        tags = TypicalCall.tags();
        conversion = TypicalCall.conversion();
        ring = new ManyToOneRingBuffer(new UnsafeBuffer(
                ByteBuffer.allocateDirect((8 << 20) + RingBufferDescriptor.TRAILER_LENGTH)));
        publisher = new CallEventPublisher(ring, TimeUnit.MILLISECONDS.toNanos(2));
    }

    /** Empties the buffer before each batch (not measured). */
    @Setup(Level.Invocation)
    public void drain() {
        while (ring.size() > 0) {
            ring.read((type, buffer, index, length) -> { });
        }
    }

    /** A batch that did not fit measured the full-buffer path instead: it fails. */
    @TearDown(Level.Trial)
    public void check() {
        if (publisher.droppedTotal() != 0) {
            throw new IllegalStateException(publisher.droppedTotal() + " events dropped: a batch did not fit");
        }
    }

    /** The largest event: ids, numbers, campaign, source and seven tags. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void received() {
        for (int i = 0; i < BATCH; i++) {
            publisher.received(CALL_ID, TypicalCall.KEY, 1_773_064_800_000L, 8_500, "+14155550123", "+18005550100",
                    "auto-insurance", "facebook", tags);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void attemptStarted() {
        for (int i = 0; i < BATCH; i++) {
            publisher.attemptStarted(CALL_ID, "acme-sales", 1_773_064_800_010L);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void attemptEnded() {
        for (int i = 0; i < BATCH; i++) {
            publisher.attemptEnded(CALL_ID, "acme-sales", AttemptResult.ANSWERED, 200, 1_773_064_802_000L);
        }
    }

    /**
     * The five events of an answered call (received, attempt started, attempt ended, answered,
     * ended), reported per event.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH * CALL_EVENTS)
    public void wholeCall() {
        for (int i = 0; i < BATCH; i++) {
            TypicalCall.publish(publisher, CALL_ID, 1_773_064_800_000L, tags, conversion);
        }
    }

    /** The end of a call with its conversion (two sides, amounts and reasons). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void ended() {
        for (int i = 0; i < BATCH; i++) {
            publisher.ended(CALL_ID, CallStatus.COMPLETED, 200, "carrier hung up", 1_773_064_900_000L, 2_000, 98_000,
                    conversion);
        }
    }
}
