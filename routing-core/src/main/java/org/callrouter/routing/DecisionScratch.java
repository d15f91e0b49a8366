package org.callrouter.routing;

import java.util.Arrays;

import org.callrouter.routing.criteria.Criterion;
import org.callrouter.routing.criteria.Tags;

/**
 * One thread's work arrays for routing decisions, reused call after call so that a decision
 * allocates only what the plan keeps. Besides the eligible handlers it remembers,
 * for the current call, the result of each distinct criterion: handlers of a campaign often
 * share criteria ({@code caller_state in [...]}), and each is then evaluated once per call.
 */
final class DecisionScratch {

    int[] eligible = new int[16];
    int[] weights = new int[16];
    final long[] windowIds = new long[4];
    private int[] stamps = new int[16];
    private boolean[] results = new boolean[16];
    private int call;

    /** Prepares for a call of a campaign with {@code links} handlers, in a snapshot with {@code criteria} distinct criteria. */
    void startCall(int links, int criteria) {
        if (eligible.length < links) {
            eligible = new int[links];
            weights = new int[links];
        }
        if (stamps.length < criteria) {
            stamps = new int[criteria];
            results = new boolean[criteria];
        }
        if (++call == 0) {
            Arrays.fill(stamps, 0);
            call = 1;
        }
    }

    /** The weights scratch, at least {@code links} long. */
    int[] weights(int links) {
        if (weights.length < links) {
            weights = new int[links];
        }
        return weights;
    }

    /** The criterion's result for this call, evaluated the first time it is asked for. */
    boolean test(int id, Criterion criterion, Tags tags) {
        if (stamps[id] != call) {
            results[id] = criterion.test(tags);
            stamps[id] = call;
        }
        return results[id];
    }
}
