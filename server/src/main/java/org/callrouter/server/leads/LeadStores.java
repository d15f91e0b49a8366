package org.callrouter.server.leads;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;

import org.callrouter.routing.config.AttributionConfig;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/** Opens the store named by the settings and brings its schema up to date (Flyway). */
public final class LeadStores {

    /** The embedded database file under the data directory. */
    public static final String DEFAULT_FILE = "leads.duckdb";

    private LeadStores() {
    }

    /** {@link #open(StoreSettings, Path, AttributionConfig, Clock)} on the system clock. */
    public static JdbcLeadStore open(StoreSettings settings, Path dataDir, AttributionConfig attribution) {
        return open(settings, dataDir, attribution, Clock.systemUTC());
    }

    /**
     * Opens the store, migrating its schema.
     *
     * @throws LeadStoreException naming the URL (never the password) when it cannot be opened or migrated
     */
    public static JdbcLeadStore open(StoreSettings settings, Path dataDir, AttributionConfig attribution, Clock clock) {
        String url = settings.url() != null ? settings.url()
                : "jdbc:duckdb:" + dataDir.resolve(DEFAULT_FILE).toAbsolutePath();
        String safeUrl = JdbcUrls.withoutPassword(url);
        Engine.of(url);
        Database database;
        try {
            if (settings.url() == null) {
                Files.createDirectories(dataDir);
            }
            database = Database.open(url, settings.user(), settings.password(), settings.memoryLimitMb(),
                    settings.threads(), settings.checkpointMb());
        } catch (SQLException | java.io.IOException e) {
            throw new LeadStoreException("cannot open store " + safeUrl + ": " + e.getMessage(), e);
        }
        try {
            Flyway.configure()
                    .dataSource(new MigrationSource(database))
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            database.close();
            throw new LeadStoreException("cannot migrate store " + safeUrl + ": " + e.getMessage(), e);
        }
        return new JdbcLeadStore(database, attribution, clock);
    }
}
