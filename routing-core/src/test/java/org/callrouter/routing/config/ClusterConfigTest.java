package org.callrouter.routing.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** {@code cluster:} and {@code campaigns[].on_shared_state_error}: absent, defaults, values, refusals with their place. */
class ClusterConfigTest {

    private static final String MODEL = """
            sources: [{ id: s }]
            handlers: [{ id: a, uri: "sip:a@h" }]
            campaigns: [{ id: c, handlers: [a] }]
            numbers: [{ number: "+18005550100", campaign: c, source: s }]
            """;

    @Test
    void withoutTheSectionEverythingStaysLocal() throws ConfigException {
        RouterConfig config = ConfigLoader.parse(MODEL, Path.of("r.yaml"));
        assertNull(config.cluster());
        assertEquals(SharedStatePolicy.REJECT, config.campaigns().get(0).onSharedStateError());
    }

    @Test
    void defaultsAndValues() throws ConfigException {
        RouterConfig defaults = ConfigLoader.parse(MODEL + """
                cluster: { redis: "redis://10.0.0.5:6379", node_id: r1 }
                """, Path.of("r.yaml"));
        assertEquals(new ClusterConfig("redis://10.0.0.5:6379", "r1", 1, 15_000, 250), defaults.cluster());
        assertEquals(5000, defaults.cluster().renewEveryMs());
        RouterConfig set = ConfigLoader.parse(MODEL.replace("handlers: [a] }", "handlers: [a], on_shared_state_error: local }")
                + """
                cluster: { redis: "rediss://redis.internal:6380/2", node_id: edge-2.a, nodes: 3, lease_ms: 9000, timeout_ms: 100 }
                """, Path.of("r.yaml"));
        assertEquals(new ClusterConfig("rediss://redis.internal:6380/2", "edge-2.a", 3, 9000, 100), set.cluster());
        assertEquals(SharedStatePolicy.LOCAL, set.campaigns().get(0).onSharedStateError());
    }

    @Test
    void badValuesAreRefusedWithTheirPlace() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(
                MODEL.replace("handlers: [a] }", "handlers: [a], on_shared_state_error: wait }") + """
                cluster:
                  redis: "http://10.0.0.5"
                  node_id: "r 1"
                  nodes: 0
                  lease_ms: 900
                  timeout_ms: 400
                  node: x
                """, Path.of("r.yaml")));
        String m = e.getMessage();
        assertTrue(m.contains("r.yaml:3:60: campaigns[0].on_shared_state_error: must be reject or local, got \"wait\""), m);
        assertTrue(m.contains("r.yaml:6:10: cluster.redis: must be redis://host:port or rediss://host:port"), m);
        assertTrue(m.contains("r.yaml:7:12: cluster.node_id: must be 1 to 64 letters"), m);
        assertTrue(m.contains("cluster.nodes: must be > 0, got 0"), m);
        assertTrue(m.contains("r.yaml:10:15: cluster.timeout_ms: timeout_ms=400 must be at most lease_ms/3=300"), m);
        assertTrue(m.contains("cluster.node"), m);
        ConfigException missing = assertThrows(ConfigException.class, () -> ConfigLoader.parse(MODEL + """
                cluster: { nodes: 2 }
                """, Path.of("r.yaml")));
        assertTrue(missing.getMessage().contains("cluster.redis: is required"), missing.getMessage());
        assertTrue(missing.getMessage().contains("cluster.node_id: is required"), missing.getMessage());
    }
}
