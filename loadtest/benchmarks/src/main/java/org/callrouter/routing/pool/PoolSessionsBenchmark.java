package org.callrouter.routing.pool;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.callrouter.routing.ChronicleBenchmark;
import org.callrouter.routing.config.PoolConfig;
import org.callrouter.routing.config.ServerSettings;
import org.callrouter.routing.store.Stores;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A pool of 100,000 numbers (30-minute leases), every one held by a visitor session persisted in the sessions
 * store (the default {@code server.stores.max_sessions} of 200,000): what a call to a pool number
 * costs ({@link PoolSessions#attribute}, on the call path) and what the tracking endpoint's
 * renewals and page-close releases cost (each a store write). The setup prints the heap the
 * 100,000 sessions take.
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PoolSessionsBenchmark extends ChronicleBenchmark {

    private static final int NUMBERS = 100_000;
    private static final long FIRST = 18_003_000_000L;
    private static final int PROBES = 1 << 20;
    /** When the sessions are created; calls and releases happen then too. */
    private static final long NOW = 1_767_000_000_000L;
    /** Each page renews every 15 seconds: the renewal benchmark's clock moves by this per call. */
    private static final long HEARTBEAT_MS = 15_000;

    private Path dataDir;
    private Stores stores;
    private PoolSessions pools;
    private long[] probes;
    private String[] sessions;
    private int next;
    private long renewals;

    @Setup(Level.Trial)
    public void setUp() {
        dataDir = tempDir("pool-bench");
        stores = Stores.open(dataDir, new ServerSettings.Stores(2_000_000, 1000, 1000, 90, 3600, 200_000),
                Stores.Access.SERVE);
        List<String> numbers = new ArrayList<>(NUMBERS);
        for (int i = 0; i < NUMBERS; i++) {
            numbers.add("+" + (FIRST + i));
        }
        PoolConfig pool = new PoolConfig("web", "solar", numbers, "web", 1800, true, false, 600, null,
                List.of("*"), List.of(), Map.of());
        long heapBefore = usedHeap();
        pools = new PoolSessions(stores.sessions(), List.of(pool), NUMBERS, NOW);
        sessions = new String[NUMBERS];
        long started = System.nanoTime();
        for (int i = 0; i < NUMBERS; i++) {
            SessionRequest request = new SessionRequest("https://solar.example/landing/spring-offer?utm_source=google"
                    + "&utm_medium=cpc&utm_campaign=spring&gclid=Cj0KCQiA" + i, "https://www.google.com/",
                    "google", "cpc", "spring", "solar panels", null, "Cj0KCQiAw8OeBhCeARIsAGxWtUz" + i, null, null, null,
                    null, "GA1.1." + i, null, List.of(), Map.of());
            sessions[i] = pools.create("web", null, request, "10.0." + (i >> 8 & 0xFF) + "." + (i & 0xFF), NOW)
                    .sessionId();
        }
        long createNs = System.nanoTime() - started;
        System.out.printf("%n100,000 sessions created in %d ms (%.1f µs each); heap they take: %d MB;"
                + " sessions store %d entries%n", createNs / 1_000_000, createNs / 1000.0 / NUMBERS,
                (usedHeap() - heapBefore) >> 20, stores.sessions().size());
        SplittableRandom random = new SplittableRandom(7);
        probes = new long[PROBES];
        for (int i = 0; i < PROBES; i++) {
            probes[i] = FIRST + random.nextInt(NUMBERS);
        }
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pools.close();
        stores.close();
        delete(dataDir);
    }

    /** A call to a held pool number: the session's prebuilt attribution. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public Attribution attribute() {
        return pools.attribute(probes[next++ & (PROBES - 1)], NOW);
    }

    /** The same, as a mean over a loop (no per-call timer reads: the cost itself, caches missed as on a router). */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public Attribution attributeMean() {
        return pools.attribute(probes[next++ & (PROBES - 1)], NOW);
    }

    /**
     * Heartbeats from every page in turn, each page every 15 seconds of the benchmark's clock:
     * the lease moves each time, and one renewal in twelve rewrites the session to the store
     * (when the lease end has moved by a tenth of the 30-minute lease).
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public Allocation renew() {
        long call = renewals++;
        return pools.renew(sessions[(int) (call % NUMBERS)], NOW + call * HEARTBEAT_MS / NUMBERS);
    }

    /**
     * A visitor closes the page and a new one arrives: release (a store write) then create (a
     * new session: id from SecureRandom, a store insert, the old session's removal).
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public Allocation releaseThenCreate() {
        int i = next++ % NUMBERS;
        pools.release(sessions[i], NOW);
        Allocation created = pools.create("web", null, SessionRequest.EMPTY, null, NOW);
        sessions[i] = created.sessionId();
        return created;
    }
}
