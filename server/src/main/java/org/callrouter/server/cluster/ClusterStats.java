package org.callrouter.server.cluster;

import java.util.concurrent.atomic.LongAdder;

/** What the Redis adapters counted, for metrics: failed and timed-out steps, by step. */
public final class ClusterStats {

    /** A step of the shared caps, pools and caller index, as the metrics label it. */
    public enum Step {
        /** Connect to Redis and load the scripts (at start, again every 0.5 s until it answers). */
        CONNECT,
        /** Check and take a slot (a call waits on it). */
        ACQUIRE,
        /** Turn holds into counts. */
        COMMIT,
        /** Give a slot back. */
        RELEASE,
        /** Renew this node's leases. */
        RENEW,
        /** Count a conversion after its call. */
        COUNT,
        /** A number for a visitor (the tracking listener waits on it), with the pool's numbers sent first when Redis lacks them. */
        POOL_ALLOCATE,
        /** A visitor's renewal, page view or release. */
        POOL_SESSION,
        /** The session a call to a pool number finds (the call waits on it). */
        POOL_LOOKUP,
        /** Look up a repeat caller's last handler (a call waits on it). */
        REPEAT,
        /** Remember the handler that answered a caller. */
        ANSWERED,
        /** Check and record a conversion's dedupe (a call's end or a postback waits on it). */
        DEDUPE;

        /** The metric label: the name in lower case. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final LongAdder[] errors = adders();
    private final LongAdder[] timeouts = adders();

    private static LongAdder[] adders() {
        LongAdder[] adders = new LongAdder[Step.values().length];
        for (int i = 0; i < adders.length; i++) {
            adders[i] = new LongAdder();
        }
        return adders;
    }

    void failed(Step step, boolean timeout) {
        (timeout ? timeouts : errors)[step.ordinal()].increment();
    }

    /** Steps that failed with an error (connection refused or lost, a Redis error). */
    public long errors(Step step) {
        return errors[step.ordinal()].sum();
    }

    /** Steps that got no answer within {@code cluster.timeout_ms}. */
    public long timeouts(Step step) {
        return timeouts[step.ordinal()].sum();
    }
}
