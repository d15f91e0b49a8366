package org.callrouter.routing;

import java.util.random.RandomGenerator;

/**
 * Orders the eligible handlers of one priority by weighted random sampling without
 * replacement: the first is drawn with probability weight/total, the next from the rest
 * in the same way, and so on. So over many calls each handler is first in proportion to
 * its weight, and its failover position follows the same rule. The work is on the
 * caller's scratch arrays (no allocation); a lone handler costs nothing and the common
 * group of a few handlers a few random draws.
 */
final class WeightedOrder {

    private WeightedOrder() {
    }

    /**
     * Reorders {@code order[from, to)} (indexes into {@code links}) in place.
     */
    static void shuffle(int[] order, int from, int to, LinkRoute[] links, RandomGenerator random) {
        if (to - from < 2) {
            return;
        }
        long total = 0;
        for (int i = from; i < to; i++) {
            total += links[order[i]].weight;
        }
        for (int position = from; position < to - 1; position++) {
            long draw = random.nextLong(total);
            int chosen = position;
            for (int i = position; i < to; i++) {
                draw -= links[order[i]].weight;
                if (draw < 0) {
                    chosen = i;
                    break;
                }
            }
            int pick = order[chosen];
            order[chosen] = order[position];
            order[position] = pick;
            total -= links[pick].weight;
        }
    }
}
