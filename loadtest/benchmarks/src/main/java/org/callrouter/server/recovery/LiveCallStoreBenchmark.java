package org.callrouter.server.recovery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.callrouter.server.transport.Transport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The SIP loop's cost of crash recovery per answered call: building the {@link LiveCall} of a
 * typical call (seven tags, a carrier leg with one Record-Route) and putting it into the
 * live-call store, with {@value #LIVE} calls already stored (the store holds the live calls
 * only). {@code answerThenRemove} adds the emitter thread's removal once the record is
 * written, to keep the store at its size; {@code heartbeat} is the once-a-second write.
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
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
        "-Dchronicle.analytics.disable=true", "-Dchronicle.announcer.disable=true"})
public class LiveCallStoreBenchmark {

    static final int LIVE = 100_000;
    /** Ids cycle over twice the live calls: each put is a new key, each removal an old one. */
    private static final int IDS = 2 * LIVE;

    private Path dir;
    private LiveCallStore store;
    private String[] ids;
    private Map<String, String> tags;
    private LiveLeg carrier;
    private LiveLeg handler;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("live-calls-bench");
        store = LiveCallStore.open(dir, 200_000, e -> {
            throw new IllegalStateException(e);
        });
        ids = new String[IDS];
        for (int i = 0; i < IDS; i++) {
            ids[i] = "c19cd50a2da" + String.format("%010x", (long) i * 0x9e3779b1L & 0xffffffffffL);
        }
        tags = new LinkedHashMap<>();
        tags.put("caller_number", "+14155550123");
        tags.put("caller_area_code", "415");
        tags.put("caller_state", "CA");
        tags.put("caller_country", "US");
        tags.put("dialed_number", "+18005550100");
        tags.put("source", "facebook");
        tags.put("campaign", "auto-insurance");
        carrier = new LiveLeg("a84b4c76e66710@203.0.113.7", "<sip:+18005550100@198.51.100.1>;tag=9fxced76sl",
                "\"Ann\" <sip:+14155550123@203.0.113.7>;tag=1928301774", "sip:gw1@203.0.113.7:5060",
                List.of("<sip:edge1.carrier.example;lr>"), Transport.UDP, "203.0.113.7", 5060, 0);
        handler = new LiveLeg("b1f4e2a3c4d5e6f7@198.51.100.1", "<sip:+14155550123@198.51.100.1>;tag=7a6b5c4d",
                "<sip:intake@192.0.2.10>;tag=as5f3e2d1c", "sip:intake@192.0.2.10:5060", List.of(), Transport.UDP,
                "192.0.2.10", 5060, 1);
        for (int i = 0; i < LIVE; i++) {
            store.answered(call(ids[i]));
        }
        next = LIVE;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        store.close();
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }

    private LiveCall call(String id) {
        return new LiveCall(id, "0aa4590222a605f45572ff713492806a", "auto-insurance", "facebook", "acme-sales",
                "+14155550123", "+18005550100", tags, 1_760_000_000_000L, 1_760_000_002_000L, carrier, handler);
    }

    /** What the SIP loop does when a handler answers (the store grows: ids are new until they wrap). */
    @Benchmark
    public void answered() {
        final int i = next;
        next = i + 1 == IDS ? 0 : i + 1;
        store.answered(call(ids[i]));
    }

    /** The answer and, as the emitter does once the record is written, the removal of the call stored {@value #LIVE} calls ago. */
    @Benchmark
    public void answerThenRemove() {
        final int i = next;
        next = i + 1 == IDS ? 0 : i + 1;
        store.answered(call(ids[i]));
        store.remove(ids[i >= LIVE ? i - LIVE : i + LIVE]);
    }

    @Benchmark
    public void heartbeat() {
        store.heartbeat(1_760_000_000_000L + next++);
        if (next == IDS) {
            next = 0;
        }
    }
}
