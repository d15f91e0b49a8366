package org.callrouter.routing.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** {@code server.records.kafka}: records to Kafka. */
class KafkaSettingsTest {

    private static final TestYaml YAML = new TestYaml(Map.of());

    @Test
    void absentMeansNoKafka() throws Exception {
        assertNull(YAML.load("server: { records: { fsync_interval_ms: 50 } }\n").server().records().kafka());
    }

    @Test
    void defaultsAndEverySetting() throws Exception {
        final ServerSettings.Kafka defaults = YAML.load("""
                server:
                  records:
                    kafka: { bootstrap: "k1:9092", topic: call-records }
                """).server().records().kafka();
        assertEquals(new ServerSettings.Kafka(List.of("k1:9092"), "call-records", "callrouter", 1000, 100, 5, 120_000,
                Map.of()), defaults);
        final ServerSettings.Kafka all = YAML.load("""
                server:
                  records:
                    kafka:
                      bootstrap: ["k1:9092", "[2001:db8::7]:9093"]
                      topic: calls.v1
                      client_id: router-7
                      batch_max: 200
                      poll_ms: 50
                      linger_ms: 20
                      delivery_timeout_ms: 300000
                      properties: { compression.type: lz4, security.protocol: SSL }
                """).server().records().kafka();
        assertEquals(new ServerSettings.Kafka(List.of("k1:9092", "[2001:db8::7]:9093"), "calls.v1", "router-7", 200,
                50, 20, 300_000, Map.of("compression.type", "lz4", "security.protocol", "SSL")), all);
        assertEquals("k1:9092,[2001:db8::7]:9093", all.bootstrapServers());
    }

    @Test
    void badValuesAreRefusedWithFileLineColumnAndPath() {
        final String all = String.join("\n", YAML.errors("""
                server:
                  records:
                    kafka:
                      bootstrap: ["k1", "k2:0"]
                      topic: "calls/v1"
                      batch_max: 0
                      delivery_timeout_ms: 10
                      properties: { acks: "1", enable.idempotence: false, retries: [] }
                      partitions: 3
                """));
        assertTrue(all.contains("config/test.yaml:4:19: server.records.kafka.bootstrap[0]: expected host:port, got \"k1\""),
                all);
        assertTrue(all.contains("config/test.yaml:4:25: server.records.kafka.bootstrap[1]: port 0 is not a broker's port"),
                all);
        assertTrue(all.contains("config/test.yaml:5:14: server.records.kafka.topic: a Kafka topic name is 1-249 of "
                + "a-z A-Z 0-9 . _ - (not . or ..), got \"calls/v1\""), all);
        assertTrue(all.contains("config/test.yaml:6:18: server.records.kafka.batch_max: must be > 0, got 0"), all);
        assertTrue(all.contains("config/test.yaml:7:28: server.records.kafka.delivery_timeout_ms: must be >= 1000, got 10"),
                all);
        assertTrue(all.contains("config/test.yaml:8:21: server.records.kafka.properties.acks: is set by the router"), all);
        assertTrue(all.contains("server.records.kafka.properties.enable.idempotence: is set by the router"), all);
        assertTrue(all.contains("server.records.kafka.properties.retries: is set by the router"), all);
        assertTrue(all.contains("config/test.yaml:9:7: server.records.kafka.partitions: unknown key"), all);

        final String missing = String.join("\n", YAML.errors("server: { records: { kafka: { client_id: x } } }\n"));
        assertTrue(missing.contains("server.records.kafka.bootstrap: is required"), missing);
        assertTrue(missing.contains("server.records.kafka.topic: is required"), missing);
        final String empty = String.join("\n", YAML.errors("server: { records: { kafka: { bootstrap: [], topic: t } } }\n"));
        assertTrue(empty.contains("server.records.kafka.bootstrap: must name at least one broker (host:port)"), empty);
        final String notText = String.join("\n", YAML.errors(
                "server: { records: { kafka: { bootstrap: [\"k:1\"], topic: t, properties: { linger: [1] } } } }\n"));
        assertTrue(notText.contains("server.records.kafka.properties.linger: expected a text value"), notText);
    }
}
