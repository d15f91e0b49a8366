package org.callrouter.server.records;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.callrouter.routing.ConversionOutcome;
import org.callrouter.routing.config.ConfigLoader;
import org.callrouter.routing.config.RouterConfig;
import org.callrouter.server.metrics.RouterMetrics;
import org.callrouter.server.webhook.WebhookScheduler;
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
 * The emitter thread's cost per call: the five events of an answered call ({@link TypicalCall}) decoded from the ring
 * buffer, assembled into a record, and handed to the journal (a real file, fsync every 100 ms),
 * the call metrics and the webhook scheduler (a campaign webhook on every event whose criterion
 * never holds, so it is checked but nothing is sent). This is the work that shares the CPU
 * with the SIP loop, so it bounds what records cost the call rate. Run with {@code -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
    "-Dchronicle.analytics.disable=true", "-Dchronicle.announcer.disable=true"})
public class RecordEmitterBenchmark {

    static final int CALLS = 1000;

    private Map<String, String> tags;
    private ConversionOutcome conversion;
    private Path dir;
    private ManyToOneRingBuffer ring;
    private CallEventPublisher publisher;
    private CallEventAdapter adapter;
    private RecordAssembler assembler;
    private List<RecordSink> sinks;
    private RouterMetrics metrics;
    private WebhookScheduler webhooks;
    private long calls;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("emitter-bench");
        Files.writeString(dir.resolve("router.yaml"), """
                server:
                  data_dir: %s
                  health: { enabled: false }
                  admin: { listen: "127.0.0.1:0" }
                sources: [ { id: facebook } ]
                handlers:
                  - { id: acme-sales, uri: "sip:127.0.0.1:5080" }
                campaigns:
                  - id: auto-insurance
                    handlers: [acme-sales]
                    webhooks:
                      - on: [started, selected, answered, ended, converted]
                        url: "http://127.0.0.1:9/hook/[call_id]"
                        when: ["caller_state == ZZ"]
                numbers:
                  - { number: "+18005550100", campaign: auto-insurance, source: facebook }
                """.formatted(dir.resolve("data")));
        final RouterConfig config = ConfigLoader.load(dir.resolve("router.yaml"));
        tags = TypicalCall.tags();
        conversion = TypicalCall.conversion();
        ring = new ManyToOneRingBuffer(new UnsafeBuffer(
                ByteBuffer.allocateDirect((8 << 20) + RingBufferDescriptor.TRAILER_LENGTH)));
        publisher = new CallEventPublisher(ring, TimeUnit.MILLISECONDS.toNanos(2));
        metrics = new RouterMetrics();
        webhooks = WebhookScheduler.start(dir.resolve("webhooks"), () -> config, 100, Clock.systemUTC(),
                Throwable::printStackTrace);
        final Journal journal = new Journal(dir.resolve("journal"), 100, Throwable::printStackTrace);
        sinks = List.of(journal, metrics.calls(), webhooks);
        assembler = new RecordAssembler(sinks, journal, new Tickets(), Throwable::printStackTrace);
        adapter = new CallEventAdapter(assembler, Throwable::printStackTrace);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        for (RecordSink sink : sinks) {
            sink.onClose();
        }
        webhooks.close();
        metrics.close();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Publishes a batch of calls (not measured), so that each invocation drains a full buffer. */
    @Setup(Level.Invocation)
    public void publish() {
        for (int i = 0; i < CALLS; i++) {
            final String id = "c19cd50a2da" + Long.toHexString(0x1000000000L + calls++);
            final long t = 1_773_064_800_000L + calls;
            TypicalCall.publish(publisher, id, t, tags, conversion);
        }
    }

    /** The emitter's work for the batch, per call: drain, assemble, journal, metrics, webhooks, flush. */
    @Benchmark
    @OperationsPerInvocation(CALLS)
    public int emit() {
        int read = 0;
        while (ring.size() > 0) {
            read += ring.read(adapter);
        }
        final long now = System.nanoTime();
        for (RecordSink sink : sinks) {
            sink.onBatchEnd(now);
        }
        return read;
    }
}
