package org.callrouter.routing.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code server.store} and {@code server.records.retention_days}. */
class StoreSettingsTest {

    private static final String SECRET = "pg-secret-value";
    private static final Map<String, String> ENV = Map.of("PG_PASSWORD", SECRET);

    @TempDir
    Path dir;

    private static final TestYaml YAML = new TestYaml(ENV);

    @Test
    void defaultsAreAnEmbeddedDuckDbFileUnderTheDataDirectoryAndNoRetention() throws Exception {
        final RouterConfig config = YAML.load("server: { data_dir: /var/lib/router }\n");
        final ServerSettings.Store store = config.server().store();
        assertTrue(store.enabled());
        assertNull(store.url());
        assertEquals("jdbc:duckdb:/var/lib/router/leads.duckdb", store.jdbcUrl(config.server().dataDir()));
        assertNull(store.user());
        assertNull(store.password());
        assertEquals(512, store.memoryLimitMb());
        assertEquals(2, store.threads());
        assertEquals(64, store.checkpointMb());
        assertEquals(5000, store.batchMax());
        assertEquals(100, store.pollMs());
        assertEquals(0, config.server().records().retentionDays());
    }

    @Test
    void postgresqlWithThePasswordFromTheEnvironmentOrAFile() throws Exception {
        final ServerSettings.Store fromEnv = YAML.load("""
                server:
                  store: { url: "jdbc:postgresql://127.0.0.1:5432/calls", user: router, password_env: PG_PASSWORD,
                           batch_max: 200, poll_ms: 50, memory_limit_mb: 1024, threads: 4, checkpoint_mb: 256 }
                  records: { retention_days: 90 }
                """).server().store();
        assertEquals("jdbc:postgresql://127.0.0.1:5432/calls", fromEnv.jdbcUrl(Path.of("/unused")));
        assertEquals("router", fromEnv.user());
        assertEquals(SECRET, fromEnv.password());
        assertEquals(200, fromEnv.batchMax());
        assertEquals(50, fromEnv.pollMs());
        assertEquals(1024, fromEnv.memoryLimitMb());
        assertEquals(4, fromEnv.threads());
        assertEquals(256, fromEnv.checkpointMb());
        assertFalse(fromEnv.toString().contains(SECRET), fromEnv::toString);

        final Path file = dir.resolve("pg.password");
        Files.writeString(file, "from-a-file\n", StandardCharsets.UTF_8);
        final ServerSettings.Store fromFile = YAML.load("""
                server:
                  store: { url: "jdbc:postgresql://127.0.0.1/calls", password_file: "%s" }
                """.formatted(file)).server().store();
        assertEquals("from-a-file", fromFile.password());
    }

    @Test
    void badValuesAreRefusedWithFileLineColumnAndNeverEchoTheSecretOrTheUrl() {
        final List<String> errors = YAML.errors("""
                server:
                  store: { url: "mysql://db/x?password=hunter2", password: hunter2, batch_max: 0, poll_ms: -1,
                           threads: 0, memory_limit_mb: 1, checkpoint_mb: 0, enabld: false }
                  records: { retention_days: -3 }
                """);
        final String all = String.join("\n", errors);
        assertTrue(all.contains("config/test.yaml:2:17: server.store.url: must be a JDBC URL starting with "
                + "jdbc:duckdb: or jdbc:postgresql:"), all);
        assertTrue(all.contains("server.store.password: a password is not written in the configuration"), all);
        assertTrue(all.contains("server.store.batch_max"), all);
        assertTrue(all.contains("server.store.poll_ms"), all);
        assertTrue(all.contains("server.store.threads"), all);
        assertTrue(all.contains("server.store.memory_limit_mb"), all);
        assertTrue(all.contains("server.store.checkpoint_mb"), all);
        assertTrue(all.contains("server.store.enabld: unknown key (did you mean 'enabled'?)"), all);
        assertTrue(all.contains("config/test.yaml:4:30: server.records.retention_days"), all);
        assertFalse(all.contains("hunter2"), all);
    }

    @Test
    void aPasswordVariableThatIsNotSetIsNamed() {
        final List<String> errors = YAML.errors("""
                server:
                  store: { url: "jdbc:postgresql://127.0.0.1/calls", password_env: NOT_SET_ANYWHERE }
                """);
        assertEquals(List.of("config/test.yaml:2:68: server.store.password_env: the environment variable "
                + "NOT_SET_ANYWHERE is not set"), errors);
    }
}
