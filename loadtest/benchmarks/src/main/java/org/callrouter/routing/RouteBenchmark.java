package org.callrouter.routing;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

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
 * The routing decision for a campaign of 50 handlers (see {@link BigCampaign}) with a
 * million tracked numbers in the Chronicle Map store. Each call dials a random one of the
 * million numbers from a random caller; half carry the tags some criteria need.
 *
 * <ul>
 *   <li>{@code route}: {@link Router#route}: number lookup, campaign rules, every handler's
 *       hours, criteria, caps and health, weighted order within each priority.</li>
 *   <li>{@code routeReserve}: route and reserve the first candidate (the atomic check and
 *       increment of every cap, written through to the counter store when the handler's
 *       trigger is {@code routed}), then fail the attempt (releases the slot in memory).</li>
 *   <li>{@code routeReserveEnd}: what one answered call costs the router: route, reserve,
 *       answer (a {@code connected}-trigger handler's count is written), end.</li>
 * </ul>
 * Run with {@code -prof gc} for {@code gc.alloc.rate.norm} (bytes per call).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RouteBenchmark extends ChronicleBenchmark {

    private static final int CALLS = 1 << 14;

    private Path dataDir;
    private Router router;
    private CallContext[] calls;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        dataDir = tempDir("route-bench");
        router = BigCampaign.open(dataDir);
        SplittableRandom random = new SplittableRandom(42);
        calls = new CallContext[CALLS];
        for (int i = 0; i < CALLS; i++) {
            CallContext.Builder call = CallContext.builder()
                    .dialedNumber(Long.toString(BigCampaign.FIRST_NUMBER + random.nextInt(BigCampaign.NUMBERS)))
                    .callerNumber(BigCampaign.CALLERS[random.nextInt(BigCampaign.CALLERS.length)])
                    .nowMs(BigCampaign.NOW_MS);
            if (random.nextBoolean()) {
                call.tag("age", Integer.toString(18 + random.nextInt(50))).tag("publisher_id", "P-" + random.nextInt(100));
            }
            calls[i] = call.build();
        }
        RoutingPlan sample = router.route(calls[0]);
        if (sample.outcome() != RoutingPlan.Outcome.ROUTED || sample.candidates().isEmpty()) {
            throw new IllegalStateException("the benchmark call is not routed: " + PlanFormat.text(sample));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        router.close();
        delete(dataDir);
    }

    @Benchmark
    public RoutingPlan route() {
        return router.route(calls[next++ & (CALLS - 1)]);
    }

    @Benchmark
    public Reservation routeReserve() {
        RoutingPlan plan = router.route(calls[next++ & (CALLS - 1)]);
        Reservation reservation = plan.reserve(plan.candidates().get(0), BigCampaign.NOW_MS);
        // Not part of the measured decision's cost in a server, but without it concurrency
        // caps would fill: the attempt fails (no answer), which releases the slot in memory.
        reservation.failed(BigCampaign.NOW_MS);
        return reservation;
    }

    @Benchmark
    public Reservation routeReserveEnd() {
        RoutingPlan plan = router.route(calls[next++ & (CALLS - 1)]);
        Reservation reservation = plan.reserve(plan.candidates().get(0), BigCampaign.NOW_MS);
        reservation.answered(BigCampaign.NOW_MS);
        reservation.ended(BigCampaign.NOW_MS, 60_000);
        return reservation;
    }
}
