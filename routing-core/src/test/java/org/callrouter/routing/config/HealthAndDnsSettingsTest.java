package org.callrouter.routing.config;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code server.health.passive_failure_threshold} and {@code server.dns}. */
class HealthAndDnsSettingsTest {

    private static final Path FILE = Path.of("config/test.yaml");

    private static List<String> errors(String yaml) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, FILE)).errors().stream()
                .map(ConfigError::toString).toList();
    }

    @Test
    void defaults() throws ConfigException {
        ServerSettings server = ConfigLoader.parse("{}", FILE).server();
        assertEquals(0, server.health().passiveFailureThreshold());
        assertEquals(new ServerSettings.Dns(List.of(), 2000, 30, 86_400), server.dns());
    }

    @Test
    void valuesAreRead() throws ConfigException {
        ServerSettings server = ConfigLoader.parse("""
                server:
                  health: { passive_failure_threshold: 4 }
                  dns: { servers: ["127.0.0.1:5353", "[::1]:53"], query_timeout_ms: 500,
                         negative_ttl_seconds: 5, max_ttl_seconds: 600 }
                """, FILE).server();
        assertEquals(4, server.health().passiveFailureThreshold());
        assertEquals(new ServerSettings.Dns(List.of(new HostPort("127.0.0.1", 5353), new HostPort("::1", 53)),
                500, 5, 600), server.dns());
    }

    @Test
    void badValuesNameFileLineColumnAndField() {
        assertEquals(List.of(
                "config/test.yaml:4:32: server.health.passive_failure_threshold: passive_failure_threshold=2 needs"
                        + " enabled=true: only probes bring an unhealthy handler back",
                "config/test.yaml:5:20: server.dns.servers[0]: must be an IP address and a port (a name server is"
                        + " not looked up), got \"ns.example.com:53\"",
                "config/test.yaml:5:41: server.dns.servers[1]: expected host:port, got \"127.0.0.1\""),
                errors("""
                server:
                  health:
                    enabled: false
                    passive_failure_threshold: 2
                  dns: { servers: ["ns.example.com:53", "127.0.0.1"] }
                """));
        assertEquals(1, errors("server: { health: { passive_failure_threshold: -1 } }").size());
        assertEquals(1, errors("server: { dns: { query_timeout_ms: 0 } }").size());
    }
}
