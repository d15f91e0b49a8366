package org.callrouter.server.leads;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.function.Predicate;

import org.agrona.ErrorHandler;
import org.callrouter.server.records.Journal;
import org.callrouter.server.records.JournalTail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code server.records.retention_days}: once a day, deletes store rows received or started
 * more than that many days ago ({@link LeadStore#prune}) and the journal files ({@code calls-*},
 * {@code conversions-*}, {@code visits-*}) of the days before that, each only once every line of
 * it is in the store, and (with records to Kafka) the broker acknowledged every record of it.
 * Without a store (the store is off) the files go by age (and Kafka) alone.
 */
public final class JournalRetention {

    private static final Logger LOG = LoggerFactory.getLogger(JournalRetention.class);
    private static final long DAY_MS = 86_400_000L;

    private final Path journalDir;
    private final int retentionDays;
    private final LeadStore store;
    private final ErrorHandler errors;
    private final Predicate<String> othersDone;
    private long nextRunMs = Long.MIN_VALUE;

    /**
     * @param retentionDays {@code server.records.retention_days}, at least 1
     * @param store         the store whose rows are pruned, or null when it is off
     */
    public JournalRetention(Path journalDir, int retentionDays, LeadStore store, ErrorHandler errors) {
        this(journalDir, retentionDays, store, file -> true, errors);
    }

    /**
     * @param othersDone whether the other readers of the journal (the Kafka shipper) have taken
     *                   every line of a file (by name): a file they still need is kept
     */
    public JournalRetention(Path journalDir, int retentionDays, LeadStore store, Predicate<String> othersDone,
                            ErrorHandler errors) {
        if (retentionDays < 1) {
            throw new IllegalArgumentException("retention_days must be >= 1 to prune, got " + retentionDays);
        }
        this.journalDir = journalDir;
        this.retentionDays = retentionDays;
        this.store = store;
        this.errors = errors;
        this.othersDone = othersDone;
    }

    /** Prunes when a day has passed since the last time (or at the first call). */
    void runIfDue(long nowMs, JournalTail tail) {
        if (nowMs < nextRunMs) {
            return;
        }
        nextRunMs = nowMs + DAY_MS;
        run(nowMs, ((Predicate<String>) tail::fullyStored).and(othersDone), tail);
    }

    /** Prunes now; the files deleted. Used daily without a store, by the owner's own timer. */
    public int run(long nowMs) {
        return run(nowMs, othersDone, null);
    }

    private int run(long nowMs, Predicate<String> stored, JournalTail tail) {
        final long cutoffMs = nowMs - retentionDays * DAY_MS;
        if (store != null) {
            final long rows = store.prune(cutoffMs);
            if (rows > 0) {
                LOG.info("retention: {} store rows older than {} days deleted", rows, retentionDays);
            }
        }
        final LocalDate firstKept = Journal.day(cutoffMs);
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(journalDir, "*.jsonl")) {
            for (Path file : files) {
                final String name = file.getFileName().toString();
                final LocalDate day = JournalTail.dayOf(name);
                // A file of the cut-off day has lines newer than the cut-off: kept until the next day.
                if (day != null && day.isBefore(firstKept) && stored.test(name)) {
                    try {
                        Files.delete(file);
                        deleted++;
                        if (tail != null) {
                            tail.removed(name);
                        }
                    } catch (NoSuchFileException gone) {
                        // deleted meanwhile
                    }
                }
            }
        } catch (NoSuchFileException absent) {
            return 0;
        } catch (IOException e) {
            errors.onError(new IOException("retention: cannot delete old journal files in " + journalDir, e));
        }
        if (deleted > 0) {
            LOG.info("retention: {} journal files older than {} days deleted", deleted, retentionDays);
        }
        return deleted;
    }
}
