package org.callrouter.routing.config;

/**
 * The top-level {@code cluster:} section (issue 16, part 3): the routers that share one Redis
 * for their caps and concurrency. Absent: every store stays local.
 *
 * @param redis     {@code redis} (required): {@code redis://host:port} or {@code rediss://host:port}
 *                  (optionally with a database, {@code /2})
 * @param nodeId    {@code node_id} (required): this router's name in the cluster; owns its slots' leases
 * @param nodes     {@code nodes} [1]: how many routers share the caps; the per-node fallback caps are 1/nodes
 * @param leaseMs   {@code lease_ms} [15000]: how long a concurrency slot outlives its node's last renewal
 * @param timeoutMs {@code timeout_ms} [250]: the longest a Redis step may take before it counts as failed
 */
public record ClusterConfig(String redis, String nodeId, int nodes, int leaseMs, int timeoutMs) {

    /** How often a node renews its slots: three times per lease, so one lost renewal costs nothing. */
    public int renewEveryMs() {
        return Math.max(1, leaseMs / 3);
    }
}
