package org.callrouter.server.leads;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.agrona.ErrorHandler;
import org.callrouter.routing.config.AttributionConfig;
import org.callrouter.routing.config.ServerSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store side of a running router: the {@link LeadStore} ({@code server.store}), the
 * {@link JournalIngest} feeding it and the daily {@link JournalRetention}, started and stopped
 * together. With {@code server.store.enabled: false} there is no store and no ingest; retention
 * of journal files still runs (by age alone) when {@code retention_days} is set.
 */
public final class StoreFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StoreFeed.class);
    private static final long INITIAL_BACKOFF_MS = 250;
    private static final long MAX_BACKOFF_MS = 30_000;

    private final LeadStore store;
    private final JournalIngest ingest;
    private final ScheduledExecutorService retentionTimer;

    private StoreFeed(LeadStore store, JournalIngest ingest, ScheduledExecutorService retentionTimer) {
        this.store = store;
        this.ingest = ingest;
        this.retentionTimer = retentionTimer;
    }

    /**
     * Opens the store and starts the ingest.
     *
     * @param othersDone whether the journal's other readers (the Kafka shipper) are done with a
     *                   file (by name): retention keeps the files they still need
     * @throws IllegalStateException when the database cannot be opened (the message names the
     *                               URL without any password)
     * @throws IOException           when the node id file cannot be read or written
     */
    public static StoreFeed start(ServerSettings settings, Path journalDir, AttributionConfig attribution,
                                  Predicate<String> othersDone, Clock wall, ErrorHandler errors) throws IOException {
        final ServerSettings.Store s = settings.store();
        final int retentionDays = settings.records().retentionDays();
        if (!s.enabled()) {
            ScheduledExecutorService timer = null;
            if (retentionDays > 0) {
                final JournalRetention retention = new JournalRetention(journalDir, retentionDays, null, othersDone,
                        errors);
                timer = Executors.newSingleThreadScheduledExecutor(r -> {
                    final Thread t = new Thread(r, "journal-retention");
                    t.setDaemon(true);
                    return t;
                });
                timer.scheduleAtFixedRate(() -> {
                    try {
                        retention.run(wall.millis());
                    } catch (RuntimeException e) {
                        errors.onError(e);
                    }
                }, 0, 1, TimeUnit.DAYS);
            }
            return new StoreFeed(null, null, timer);
        }
        final String node = NodeId.of(settings.dataDir());
        final LeadStore store;
        try {
            store = LeadStores.open(new StoreSettings(s.url(), s.user(), s.password(), s.memoryLimitMb(), s.threads(),
                    s.checkpointMb()),
                    settings.dataDir(), attribution);
        } catch (LeadStoreException e) {
            throw new IllegalStateException(e.getMessage() + " (server.store)", e);
        }
        final JournalRetention retention = retentionDays > 0
                ? new JournalRetention(journalDir, retentionDays, store, othersDone, errors) : null;
        final JournalIngest ingest = new JournalIngest(store, journalDir, node,
                new JournalIngest.Settings(s.batchMax(), s.pollMs(), INITIAL_BACKOFF_MS, MAX_BACKOFF_MS), retention,
                wall, errors).start();
        LOG.info("lead store {} open; ingesting the journal {} as node {}", store.health().url(), journalDir, node);
        return new StoreFeed(store, ingest, null);
    }

    /** The store, or null when {@code server.store.enabled} is false. */
    public LeadStore store() {
        return store;
    }

    /** The ingest, or null when the store is off. */
    public JournalIngest ingest() {
        return ingest;
    }

    /**
     * What is wrong with the store now, or null: the ingest's last failure, with the journal
     * bytes waiting. Not a reason to refuse calls (the records are safe in the journal).
     */
    public String problem() {
        if (ingest == null || ingest.lastError() == null) {
            return null;
        }
        return "lead store " + store.health().url() + ": " + ingest.lastError() + " (" + ingest.lagBytes()
                + " journal bytes wait to be stored)";
    }

    /** Stops the ingest after its batch, then closes the store. */
    @Override
    public void close() {
        if (retentionTimer != null) {
            retentionTimer.shutdownNow();
        }
        if (ingest != null) {
            ingest.close();
        }
        if (store != null) {
            store.close();
        }
    }
}
