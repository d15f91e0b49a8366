package org.callrouter.routing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.callrouter.routing.config.ConfigException;
import org.callrouter.routing.config.ConfigLoader;
import org.callrouter.routing.pool.Allocation;
import org.callrouter.routing.pool.SessionRequest;
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
 * The whole routing decision for a call to a pool number held by a visitor session (number
 * lookup, the session's attribution, its tags joining the call's, a criterion on
 * {@code utm_source}, the source from {@code source_rule}) against the same decision for a
 * static number of the same campaign: what number pools add to call setup. A campaign of three
 * handlers, a pool of 10,000 numbers every one held, and 10,000 static numbers.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PoolRouteBenchmark extends ChronicleBenchmark {

    private static final int NUMBERS = 10_000;
    private static final long POOL_FIRST = 18_004_000_000L;
    private static final long STATIC_FIRST = 18_005_000_000L;
    private static final long NOW_MS = 1_767_000_000_000L;
    private static final int CALLS = 1 << 14;

    private Path dataDir;
    private Router router;
    private CallContext[] poolCalls;
    private CallContext[] staticCalls;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException, ConfigException {
        dataDir = tempDir("pool-route-bench");
        StringBuilder poolNumbers = new StringBuilder();
        StringBuilder staticNumbers = new StringBuilder();
        for (int i = 0; i < NUMBERS; i++) {
            poolNumbers.append('+').append(POOL_FIRST + i).append('\n');
            staticNumbers.append("  - { number: \"+").append(STATIC_FIRST + i).append("\", campaign: solar, source: web }\n");
        }
        Files.writeString(dataDir.resolve("pool.txt"), poolNumbers);
        Path config = dataDir.resolve("router.yaml");
        Files.writeString(config, """
                server: { data_dir: "%s", health: { enabled: false } }
                sources: [ { id: web }, { id: google-ads } ]
                handlers:
                  - { id: a, uri: "sip:a@127.0.0.1:5080", criteria: ["utm_source != bing"] }
                  - { id: b, uri: "sip:b@127.0.0.1:5081", priority: 2 }
                  - { id: c, uri: "sip:c@127.0.0.1:5082", priority: 2, weight: 3 }
                campaigns:
                  - id: solar
                    handlers: [a, b, c]
                    pools:
                      - { id: web, numbers_file: pool.txt, source: web, lease_seconds: 86400,
                          source_rule: { google: google-ads } }
                numbers:
                %s""".formatted(dataDir.resolve("data"), staticNumbers));
        router = Router.open(ConfigLoader.load(config), java.time.Clock.systemUTC(), new SplittableRandom(1));
        for (int i = 0; i < NUMBERS; i++) {
            Allocation a = router.pools().create("web", null, new SessionRequest(
                    "https://solar.example/landing?gclid=Cj0KCQiA" + i, "https://www.google.com/", "google", "cpc",
                    "spring", "solar panels", null, "Cj0KCQiAw8OeBhCeARIsAGxWtUz" + i, null, null, null, null,
                    "GA1.1." + i, null, List.of(), Map.of()), null, NOW_MS);
            if (a.status() != Allocation.Status.CREATED) {
                throw new IllegalStateException("the pool should have room: " + a);
            }
        }
        SplittableRandom random = new SplittableRandom(42);
        poolCalls = new CallContext[CALLS];
        staticCalls = new CallContext[CALLS];
        for (int i = 0; i < CALLS; i++) {
            int n = random.nextInt(NUMBERS);
            poolCalls[i] = CallContext.builder().dialedNumber("+" + (POOL_FIRST + n)).callerNumber("+14155550100")
                    .nowMs(NOW_MS + 60_000).build();
            staticCalls[i] = CallContext.builder().dialedNumber("+" + (STATIC_FIRST + n)).callerNumber("+14155550100")
                    .nowMs(NOW_MS + 60_000).build();
        }
        RoutingPlan sample = router.route(poolCalls[0]);
        if (sample.attribution() == null || sample.attribution().sessionId() == null
                || !"google-ads".equals(sample.sourceId())) {
            throw new IllegalStateException("the pool call finds no session: " + PlanFormat.text(sample));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        router.close();
        delete(dataDir);
    }

    /** A call to a pool number a visitor holds. */
    @Benchmark
    public RoutingPlan routePoolNumber() {
        return router.route(poolCalls[next++ & (CALLS - 1)]);
    }

    /** A call to a static number of the same campaign. */
    @Benchmark
    public RoutingPlan routeStaticNumber() {
        return router.route(staticCalls[next++ & (CALLS - 1)]);
    }

    /** A call to a pool number, and the call's tags as a record or webhook reads them (the session's join). */
    @Benchmark
    public Map<String, String> routePoolNumberAndTags() {
        return router.route(poolCalls[next++ & (CALLS - 1)]).tags();
    }
}
