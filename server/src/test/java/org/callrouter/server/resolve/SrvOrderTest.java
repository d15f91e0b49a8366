package org.callrouter.server.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

/** RFC 2782's order of SRV targets: priority first, then weighted random. */
class SrvOrderTest {

    private static SrvRecord srv(int priority, int weight, String target) {
        return new SrvRecord(priority, weight, 5060, target, 60);
    }

    private static List<String> targets(List<SrvRecord> ordered) {
        return ordered.stream().map(SrvRecord::target).toList();
    }

    @Test
    void lowerPriorityAlwaysFirstAndDotTargetsLeftOut() {
        final RandomGenerator random = new SplittableRandom(1);
        for (int i = 0; i < 100; i++) {
            assertEquals(List.of("a", "b", "c"), targets(SrvOrder.order(
                    List.of(srv(30, 5, "c"), srv(10, 0, "a"), srv(20, 100, "b"), srv(5, 1, "")), random)));
        }
    }

    @Test
    void weightsShareTheFirstPlaceWithinAPriority() {
        final long seed = System.nanoTime();
        System.out.println("SrvOrderTest seed " + seed);
        final RandomGenerator random = new SplittableRandom(seed);
        final int runs = 20_000;
        int heavyFirst = 0;
        int zeroFirst = 0;
        for (int i = 0; i < runs; i++) {
            final List<String> order = targets(SrvOrder.order(
                    List.of(srv(10, 1, "light"), srv(10, 3, "heavy"), srv(10, 0, "zero"), srv(20, 9, "later")), random));
            assertEquals(4, order.size());
            assertEquals("later", order.get(3), "a higher priority never comes before a lower one");
            if (order.get(0).equals("heavy")) {
                heavyFirst++;
            }
            if (order.get(0).equals("zero")) {
                zeroFirst++;
            }
        }
        // heavy: 3/4 of the draws that do not pick the zero-weight target (which wins 1 in 5).
        final double heavyShare = heavyFirst / (double) runs;
        assertTrue(heavyShare > 0.55 && heavyShare < 0.65, "heavy first in " + heavyShare + " (seed " + seed + ")");
        final double zeroShare = zeroFirst / (double) runs;
        assertTrue(zeroShare > 0.15 && zeroShare < 0.25, "zero first in " + zeroShare + " (seed " + seed + ")");
    }
}
