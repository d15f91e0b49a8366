package org.callrouter.routing;

import java.util.random.RandomGenerator;

/**
 * Orders the eligible handlers of one priority by weighted random sampling without
 * replacement: the first is drawn with probability weight/total, the next from the rest
 * in the same way, and so on. So over many calls each handler is first in proportion to
 * its weight, and its failover position follows the same rule. The work is on the
 * caller's scratch arrays (no allocation); a lone handler costs nothing.
 *
 * <p>Each 64-bit random draw serves two picks: a pick scales 32 random bits by the
 * remaining total ({@code bits * total >>> 32}, Lemire's multiply-shift), which is off
 * from exact proportions by at most total/2^32 (under 10^-7 for a total weight of 400);
 * totals of 2^31 or more draw exactly with {@link RandomGenerator#nextLong(long)}.
 */
final class WeightedOrder {

    private static final long EXACT_ABOVE = 1L << 31;

    private WeightedOrder() {
    }

    /**
     * Reorders {@code order[from, to)} (indexes into {@code links}) in place.
     *
     * @param weights scratch at least as long as {@code order}: the group's weights are copied
     *                there so that the draws scan a plain array
     */
    static void shuffle(int[] order, int from, int to, LinkRoute[] links, int[] weights, RandomGenerator random) {
        if (to - from < 2) {
            return;
        }
        long total = 0;
        for (int i = from; i < to; i++) {
            int weight = links[order[i]].weight;
            weights[i] = weight;
            total += weight;
        }
        long bits = 0;
        boolean spare = false;
        for (int position = from; position < to - 1; position++) {
            long draw;
            if (total >= EXACT_ABOVE) {
                draw = random.nextLong(total);
            } else {
                if (!spare) {
                    bits = random.nextLong();
                }
                long half = spare ? bits & 0xFFFF_FFFFL : bits >>> 32;
                spare = !spare;
                draw = half * total >>> 32;
            }
            int chosen = to - 1;
            for (int i = position; i < to; i++) {
                draw -= weights[i];
                if (draw < 0) {
                    chosen = i;
                    break;
                }
            }
            int pick = order[chosen];
            int pickWeight = weights[chosen];
            order[chosen] = order[position];
            weights[chosen] = weights[position];
            order[position] = pick;
            weights[position] = pickWeight;
            total -= pickWeight;
        }
    }
}
