package org.callrouter.server.leads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import org.callrouter.routing.config.AttributionConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LeadStoresTest {

    @RegisterExtension
    static final StoreEngines ENGINES = new StoreEngines();

    @Test
    void theDefaultIsAnEmbeddedFileUnderTheDataDirectoryThatReopens() {
        Path dir = ENGINES.dir().resolve("data");
        try (JdbcLeadStore store = LeadStores.open(StoreSettings.DEFAULT, dir, AttributionConfig.DEFAULT)) {
            store.ingest(LeadRows.calls(LeadRows.call("c1", 1_780_000_000_000L, "+15551230001", "camp")));
            assertEquals("duckdb", store.health().engine());
        }
        assertTrue(Files.exists(dir.resolve(LeadStores.DEFAULT_FILE)));
        try (JdbcLeadStore store = LeadStores.open(StoreSettings.DEFAULT, dir, AttributionConfig.DEFAULT)) {
            assertTrue(store.callRecord("c1").isPresent());
        }
    }

    @Test
    void duckDbTakesTheMemoryThreadAndCheckpointSettings() throws Exception {
        Database db = Database.open("jdbc:duckdb:" + ENGINES.dir().resolve("settings.duckdb"), null, null, 300, 1, 37);
        try (Connection c = db.newConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('memory_limit'), current_setting('threads'), "
                     + "current_setting('checkpoint_threshold')")) {
            assertTrue(rs.next());
            assertEquals(List.of("286.1 MiB", "1", "35.2 MiB"),
                    List.of(rs.getString(1), rs.getString(2), rs.getString(3)));
        } finally {
            db.close();
        }
    }

    @Test
    void aDatabaseThatCannotBeOpenedNamesTheUrlWithoutThePassword() {
        StoreSettings unreachable = new StoreSettings("jdbc:postgresql://127.0.0.1:1/leads?user=u&password=s3cret",
                null, "s3cret-too", 512, 2, 64);
        LeadStoreException e = assertThrows(LeadStoreException.class,
                () -> LeadStores.open(unreachable, ENGINES.dir(), AttributionConfig.DEFAULT));
        assertTrue(e.getMessage().startsWith("cannot open store jdbc:postgresql://127.0.0.1:1/leads?user=u&password=***"),
                e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        assertFalse(unreachable.toString().contains("s3cret"), unreachable.toString());
    }

    @Test
    void anUnsupportedUrlSaysWhichAreSupported() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LeadStores.open(
                new StoreSettings("jdbc:mysql://u:pw@host/db", null, null, 512, 2, 64), ENGINES.dir(),
                AttributionConfig.DEFAULT));
        assertEquals("unsupported store url jdbc:mysql://u:***@host/db: use jdbc:duckdb:<file> or "
                + "jdbc:postgresql://host:port/database", e.getMessage());
    }
}
