package org.callrouter.server.leads;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.callrouter.routing.config.AttributionConfig;
import org.callrouter.server.testsupport.RequiredTool;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The store tests' databases, as a JUnit extension of a test class: every {@link #open} gives a
 * fresh, migrated store, on DuckDB (a new file in a temporary directory) or on PostgreSQL (a new
 * schema {@code t_<random hex>} of the test database); all are dropped after the class.
 *
 * <p>PostgreSQL is found through {@code CALLROUTER_TEST_PG_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/callrouter_test}), {@code CALLROUTER_TEST_PG_USER} and
 * {@code CALLROUTER_TEST_PG_PASSWORD} (default {@code callrouter}); {@code .ci/run} starts it.
 * When it cannot be reached a PostgreSQL test fails under CI and is skipped elsewhere
 * ({@link RequiredTool}).
 *
 * <pre>{@code
 * @RegisterExtension
 * static final StoreEngines ENGINES = new StoreEngines();
 *
 * @ParameterizedTest
 * @MethodSource("org.callrouter.server.leads.StoreEngines#names")
 * void stores(String engine) { try (JdbcLeadStore store = ENGINES.open(engine)) { ... } }
 * }</pre>
 */
public final class StoreEngines implements AfterAllCallback {

    public static final String DUCKDB = "duckdb";
    public static final String POSTGRESQL = "postgresql";

    private static final String PG_URL = env("CALLROUTER_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/callrouter_test");
    private static final String PG_USER = env("CALLROUTER_TEST_PG_USER", "callrouter");
    private static final String PG_PASSWORD = env("CALLROUTER_TEST_PG_PASSWORD", "callrouter");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<JdbcLeadStore> opened = new ArrayList<>();
    private final List<String> schemas = new ArrayList<>();
    private final List<Path> dirs = new ArrayList<>();

    /** The engines every store test runs on. */
    public static Stream<String> names() {
        return Stream.of(DUCKDB, POSTGRESQL);
    }

    private static String env(String name, String dflt) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? dflt : value;
    }

    /** A fresh store with default attribution settings on the system clock. */
    public JdbcLeadStore open(String engine) {
        return open(engine, AttributionConfig.DEFAULT, Clock.systemUTC());
    }

    /** A fresh, empty store on {@code engine}. */
    public synchronized JdbcLeadStore open(String engine, AttributionConfig attribution, Clock clock) {
        JdbcLeadStore store = LeadStores.open(settings(engine), dir(), attribution, clock);
        opened.add(store);
        return store;
    }

    /** Settings of a fresh, empty database on {@code engine} (a new file or a new schema). */
    public synchronized StoreSettings settings(String engine) {
        return switch (engine) {
            case DUCKDB -> new StoreSettings("jdbc:duckdb:" + dir().resolve("leads.duckdb"), null, null, 256, 2, 64);
            case POSTGRESQL -> {
                String schema = "t_" + HexFormat.of().formatHex(bytes(8));
                try (Connection c = adminConnection(); Statement s = c.createStatement()) {
                    s.execute("CREATE SCHEMA " + schema);
                }
                catch (SQLException e) {
                    throw new IllegalStateException("cannot create schema " + schema + " at " + PG_URL, e);
                }
                schemas.add(schema);
                yield new StoreSettings(PG_URL + (PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema,
                        PG_USER, PG_PASSWORD, 256, 2, 64);
            }
            default -> throw new IllegalArgumentException("unknown engine " + engine);
        };
    }

    /** A new empty temporary directory, deleted after the class. */
    public synchronized Path dir() {
        try {
            Path dir = Files.createTempDirectory("leads-test");
            dirs.add(dir);
            return dir;
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a temporary directory", e);
        }
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** A connection to the test database; fails the test under CI, skips it elsewhere, when unreachable. */
    private static Connection adminConnection() {
        Optional<Connection> connection;
        try {
            connection = Optional.of(DriverManager.getConnection(PG_URL, PG_USER, PG_PASSWORD));
        } catch (SQLException e) {
            connection = Optional.empty();
        }
        return RequiredTool.fromEnvironment().require(connection, "PostgreSQL at " + PG_URL,
                "apt-get install postgresql; start it and create role callrouter and database callrouter_test "
                        + "as .ci/run does, or set CALLROUTER_TEST_PG_URL");
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) throws Exception {
        opened.forEach(JdbcLeadStore::close);
        opened.clear();
        if (!schemas.isEmpty()) {
            try (Connection c = adminConnection(); Statement s = c.createStatement()) {
                for (String schema : schemas) {
                    s.execute("DROP SCHEMA " + schema + " CASCADE");
                }
            }
            schemas.clear();
        }
        for (Path dir : dirs) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        dirs.clear();
    }
}
