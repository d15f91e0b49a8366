package org.callrouter.server.resolve;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The order in which SRV targets are tried (RFC 2782, "Usage rules"): by priority, lowest
 * first; within one priority a weighted random order, where a target's chance to come next is
 * its weight over the weights of those not yet chosen, and weight-0 targets rarely come first.
 */
final class SrvOrder {

    private SrvOrder() {
    }

    /** The targets in the order to try them; "." targets (service not offered) are left out. */
    static List<SrvRecord> order(List<SrvRecord> records, RandomGenerator random) {
        final List<SrvRecord> sorted = new ArrayList<>();
        for (SrvRecord r : records) {
            if (!r.target().isEmpty()) {
                sorted.add(r);
            }
        }
        sorted.sort(Comparator.comparingInt(SrvRecord::priority));
        final List<SrvRecord> out = new ArrayList<>(sorted.size());
        int start = 0;
        while (start < sorted.size()) {
            int end = start;
            while (end < sorted.size() && sorted.get(end).priority() == sorted.get(start).priority()) {
                end++;
            }
            weighted(sorted.subList(start, end), random, out);
            start = end;
        }
        return out;
    }

    /** RFC 2782's selection within one priority: weight-0 records first in the list, then draws. */
    private static void weighted(List<SrvRecord> group, RandomGenerator random, List<SrvRecord> out) {
        final List<SrvRecord> left = new ArrayList<>(group.size());
        for (SrvRecord r : group) {
            if (r.weight() == 0) {
                left.add(r);
            }
        }
        for (SrvRecord r : group) {
            if (r.weight() != 0) {
                left.add(r);
            }
        }
        while (!left.isEmpty()) {
            long sum = 0;
            for (SrvRecord r : left) {
                sum += r.weight();
            }
            final long pick = sum == 0 ? 0 : random.nextLong(sum + 1);
            long running = 0;
            for (int i = 0; i < left.size(); i++) {
                running += left.get(i).weight();
                if (running >= pick) {
                    out.add(left.remove(i));
                    break;
                }
            }
        }
    }
}
