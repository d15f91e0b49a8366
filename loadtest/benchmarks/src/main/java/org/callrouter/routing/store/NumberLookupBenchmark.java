package org.callrouter.routing.store;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.callrouter.routing.ChronicleBenchmark;
import org.callrouter.routing.config.ServerSettings;
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
 * A tracked-number lookup in the persisted Chronicle Map ({@link NumberStore#lookup}, a
 * {@code long} key and value cell reused per thread) against a {@code ConcurrentHashMap<Long, Long>}
 * of the same million numbers, for random numbers (so both miss the CPU caches as a router does).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NumberLookupBenchmark extends ChronicleBenchmark {

    private static final int NUMBERS = 1_000_000;
    private static final long FIRST = 18_002_000_000L;
    private static final int PROBES = 1 << 20;

    private Path dataDir;
    private Stores stores;
    private NumberStore chronicle;
    private ConcurrentHashMap<Long, Long> heap;
    private long[] probes;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        dataDir = tempDir("lookup-bench");
        stores = Stores.open(dataDir, new ServerSettings.Stores(2_000_000, 1000, 1000, 90, 3600, 1000), Stores.Access.NUMBERS);
        chronicle = stores.numbers();
        heap = new ConcurrentHashMap<>(2 * NUMBERS);
        int campaign = stores.symbols().intern(SymbolTable.Kind.CAMPAIGN, "c");
        int source = stores.symbols().intern(SymbolTable.Kind.SOURCE, "s");
        for (int i = 0; i < NUMBERS; i++) {
            chronicle.put(FIRST + i, campaign, source, false);
            heap.put(FIRST + i, NumberStore.pack(campaign, source, false));
        }
        SplittableRandom random = new SplittableRandom(7);
        probes = new long[PROBES];
        for (int i = 0; i < PROBES; i++) {
            probes[i] = FIRST + random.nextInt(NUMBERS);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        stores.close();
        delete(dataDir);
    }

    @Benchmark
    public long chronicleMap() {
        return chronicle.lookup(probes[next++ & (PROBES - 1)]);
    }

    @Benchmark
    public Long concurrentHashMap() {
        return heap.get(probes[next++ & (PROBES - 1)]);
    }
}
