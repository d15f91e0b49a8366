package org.callrouter.routing.config;

import java.util.regex.Pattern;

/** Reads the top-level {@code cluster:} section ({@link ClusterConfig}). */
final class ClusterReader {

    private static final Pattern REDIS_URI = Pattern.compile("rediss?://[^/\\s:@]+(:[0-9]{1,5})?(/[0-9]{1,2})?");
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private ClusterReader() {
    }

    /** The section, or null when {@code cluster} is absent (everything stays local). */
    static ClusterConfig read(MapReader top) {
        if (!top.has("cluster")) {
            return null;
        }
        MapReader c = top.child("cluster");
        String redis = c.requiredString("redis");
        if (redis != null && !REDIS_URI.matcher(redis).matches()) {
            // Not echoed: a URI may carry a password (redis://:secret@host), which is not supported here.
            c.error("redis", "must be redis://host:port or rediss://host:port, optionally with /database");
            redis = null;
        }
        String nodeId = c.requiredString("node_id");
        if (nodeId != null && !NODE_ID.matcher(nodeId).matches()) {
            c.error("node_id", "must be 1 to 64 letters, digits, '.', '_' or '-', got \"" + nodeId + "\"");
            nodeId = null;
        }
        int nodes = c.integer("nodes", 1, 1, 1000);
        int leaseMs = c.integer("lease_ms", 15_000, 100, 600_000);
        int timeoutMs = c.integer("timeout_ms", 250, 1, 60_000);
        if (timeoutMs * 3 > leaseMs) {
            c.error("timeout_ms", "timeout_ms=" + timeoutMs + " must be at most lease_ms/3=" + leaseMs / 3
                    + ": a renewal that takes the whole timeout must still land before the lease ends");
        }
        c.finish();
        return redis == null || nodeId == null ? null : new ClusterConfig(redis, nodeId, nodes, leaseMs, timeoutMs);
    }
}
