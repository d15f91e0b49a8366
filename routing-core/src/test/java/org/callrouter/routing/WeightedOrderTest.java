package org.callrouter.routing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Weighted order within a priority: over 100,000 seeded decisions the first position's
 * shares match the weights (chi-square), and second positions match sampling without
 * replacement.
 */
class WeightedOrderTest {

    private static final int DRAWS = 100_000;
    /** Chi-square critical value for 3 degrees of freedom at p = 0.001. */
    private static final double CHI_SQUARE_3_DOF_P001 = 16.266;

    @TempDir
    Path temp;
    private Router router;

    @AfterEach
    void close() {
        if (router != null) {
            router.close();
        }
    }

    @Test
    void sharesConvergeToWeights() {
        long seed = System.nanoTime();
        System.out.println("WeightedOrderTest seed " + seed);
        router = new Fixture(temp).open("""
                sources: [{ id: s }]
                handlers:
                  - { id: a, uri: "sip:a@h", weight: 1 }
                  - { id: b, uri: "sip:b@h", weight: 2 }
                  - { id: c, uri: "sip:c@h", weight: 3 }
                  - { id: d, uri: "sip:d@h", weight: 4 }
                  - { id: later, uri: "sip:later@h", priority: 5, weight: 100 }
                campaigns: [{ id: c, handlers: [a, b, c, d, later] }]
                numbers: [{ number: "+18005550100", campaign: c, source: s }]
                """, new TestClock("2026-06-01T12:00:00Z"), seed);
        Map<String, Double> weights = Map.of("a", 1.0, "b", 2.0, "c", 3.0, "d", 4.0);
        Map<String, Integer> first = new HashMap<>();
        Map<String, Integer> secondAfterD = new HashMap<>();
        int dFirst = 0;
        CallContext call = Fixture.call("+18005550100", "+12125550100");
        for (int i = 0; i < DRAWS; i++) {
            List<String> order = router.route(call).candidates().stream().map(Candidate::handlerId).toList();
            assertEquals(5, order.size());
            assertEquals("later", order.get(4), "a lower priority never comes first");
            assertEquals(Set.of("a", "b", "c", "d"), Set.copyOf(order.subList(0, 4)));
            first.merge(order.get(0), 1, Integer::sum);
            if (order.get(0).equals("d")) {
                dFirst++;
                secondAfterD.merge(order.get(1), 1, Integer::sum);
            }
        }
        double chiSquare = 0;
        for (Map.Entry<String, Double> weight : weights.entrySet()) {
            double expected = DRAWS * weight.getValue() / 10.0;
            double observed = first.getOrDefault(weight.getKey(), 0);
            chiSquare += (observed - expected) * (observed - expected) / expected;
        }
        String shares = first.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
        System.out.println("first positions: " + shares + ", chi-square " + chiSquare);
        assertTrue(chiSquare < CHI_SQUARE_3_DOF_P001, "chi-square " + chiSquare + " for " + shares + " (seed " + seed + ")");
        // After d (weight 4) comes first, a, b, c follow with shares 1:2:3 of the rest.
        for (String handler : List.of("a", "b", "c")) {
            double expected = weights.get(handler) / 6.0;
            double observed = secondAfterD.getOrDefault(handler, 0) / (double) dFirst;
            assertEquals(expected, observed, 0.02, handler + " second after d (seed " + seed + ")");
        }
    }
}
