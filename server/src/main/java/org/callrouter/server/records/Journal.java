package org.callrouter.server.records;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.agrona.ErrorHandler;
import org.callrouter.routing.ConversionOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The call journal: JSON lines in daily files (UTC) under the journal directory,
 * {@code calls-YYYY-MM-DD.jsonl} (one line per finished call, in the file of the day it ended)
 * and {@code conversions-YYYY-MM-DD.jsonl} (postbacks that converted a call after it ended).
 *
 * <p>Written by the emitter thread only. Lines collect in memory during one drain of the ring
 * buffer and are written with one {@code write} per file at its end, so readers see them at
 * once; they are forced to disk every {@code fsync_interval_ms} (0 = after every drain), which
 * bounds what a power loss can take. A clean close writes and forces everything.
 *
 * <p>A failed write (a full or failing disk) loses nothing at first: the lines stay in memory
 * and every drain (5 ms) tries them again, so they reach the file once space returns. While a
 * write, fsync or open fails, {@link #problem} says why (the router is then not ready) and
 * {@link #unwrittenLines} how many lines wait. Past {@code maxPendingBytes} (64 MiB) of
 * unwritten lines for one file, the waiting lines are dropped, counted in {@link #linesLost}
 * and logged: memory is bounded, and the loss is visible.
 */
public final class Journal implements RecordSink {

    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
    private static final int MAX_PENDING_BYTES = 64 << 20;

    private final Path dir;
    private final long fsyncIntervalNs;
    private final ErrorHandler errors;
    private final int maxPendingBytes;
    private final DailyFile calls = new DailyFile("calls-");
    private final DailyFile conversions = new DailyFile("conversions-");
    private final List<Runnable> afterSync = new ArrayList<>();
    private long lastSyncNs = System.nanoTime();
    private volatile long linesWritten;
    private volatile long linesLost;
    private volatile long unwrittenLines;
    private volatile String problem;
    /** The first I/O failure since the last drain's end (appends open files too), or null. */
    private IOException batchFailure;

    /**
     * @param dir             the journal directory (created if missing).
     * @param fsyncIntervalMs most milliseconds between a write and its fsync; 0 = every drain.
     * @param errors          told of write failures (the lines are kept and retried).
     */
    public Journal(Path dir, int fsyncIntervalMs, ErrorHandler errors) throws IOException {
        this(dir, fsyncIntervalMs, errors, MAX_PENDING_BYTES);
    }

    /** @param maxPendingBytes unwritten bytes one file may hold in memory before its lines are dropped. */
    Journal(Path dir, int fsyncIntervalMs, ErrorHandler errors, int maxPendingBytes) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.fsyncIntervalNs = TimeUnit.MILLISECONDS.toNanos(fsyncIntervalMs);
        this.errors = errors;
        this.maxPendingBytes = maxPendingBytes;
    }

    public Path dir() {
        return dir;
    }

    /** The file name of a day's call lines. */
    public static String callsFile(LocalDate day) {
        return "calls-" + day + ".jsonl";
    }

    /** The file name of a day's conversion lines. */
    public static String conversionsFile(LocalDate day) {
        return "conversions-" + day + ".jsonl";
    }

    /** The UTC day of an epoch-millisecond time. */
    public static LocalDate day(long ms) {
        return LocalDate.ofInstant(Instant.ofEpochMilli(ms), ZoneOffset.UTC);
    }

    @Override
    public void onEnded(CallRecord record) {
        calls.append(day(record.endedMs()), RecordJson.callLine(record));
    }

    @Override
    public void onConvertedAfterEnd(CallRecord record, ConversionOutcome before, long atMs) {
        conversions.append(day(atMs), RecordJson.conversionLine(record, atMs));
    }

    /** Writes the lines of this drain; forces them when the interval has passed since the last force. */
    @Override
    public void onBatchEnd(long nowNs) {
        calls.write();
        conversions.write();
        if (calls.unforced() || conversions.unforced()) {
            if (nowNs - lastSyncNs >= fsyncIntervalNs) {
                lastSyncNs = nowNs;
                if (calls.force() & conversions.force()) {
                    runAfterSync();
                }
            }
        } else if (!afterSync.isEmpty() && calls.pendingBytes() == 0 && conversions.pendingBytes() == 0) {
            runAfterSync();
        }
        unwrittenLines = calls.pendingLines() + conversions.pendingLines();
        problem = batchFailure == null ? null : String.valueOf(batchFailure.getMessage());
        batchFailure = null;
    }

    /** Runs {@code action} (on the emitter thread) once everything appended so far is on disk. */
    public void afterSync(Runnable action) {
        afterSync.add(action);
    }

    /** Lines written to the files since start. */
    public long linesWritten() {
        return linesWritten;
    }

    /** Lines dropped because the disk kept failing. */
    public long linesLost() {
        return linesLost;
    }

    /** Lines waiting in memory for the disk, as of the last drain. */
    public long unwrittenLines() {
        return unwrittenLines;
    }

    /**
     * Why the last drain could not write, force or open a journal file (the I/O error's
     * message, such as "No space left on device"), or null when it could.
     */
    public String problem() {
        return problem;
    }

    /** Writes and forces everything, then closes the files. */
    @Override
    public void onClose() {
        calls.write();
        conversions.write();
        if (calls.force() & conversions.force()) {
            runAfterSync();
        }
        calls.close();
        conversions.close();
    }

    private void failed(IOException e) {
        if (batchFailure == null) {
            batchFailure = e;
        }
    }

    private void runAfterSync() {
        for (Runnable action : afterSync) {
            try {
                action.run();
            } catch (RuntimeException e) {
                errors.onError(e);
            }
        }
        afterSync.clear();
    }

    /** One kind of daily file: the open day's file and the lines waiting for it. */
    private final class DailyFile {
        private final String prefix;
        private LineFile file;
        private LocalDate day;

        DailyFile(String prefix) {
            this.prefix = prefix;
        }

        void append(LocalDate lineDay, byte[] line) {
            if (!lineDay.equals(day) && !switchTo(lineDay)) {
                linesLost++;
                errors.onError(new IOException("journal: a " + prefix + " line is dropped: no file to write it to"));
                return;
            }
            if (file.pendingBytes() + line.length + 1 > maxPendingBytes) {
                linesLost += file.pendingLines();
                LOG.error("journal {}: {} lines could not be written and are dropped (see the earlier I/O errors)",
                        file.path(), file.pendingLines());
                file.discardPending();
            }
            file.append(line);
        }

        int pendingBytes() {
            return file == null ? 0 : file.pendingBytes();
        }

        int pendingLines() {
            return file == null ? 0 : file.pendingLines();
        }

        boolean unforced() {
            return file != null && file.unforced();
        }

        void write() {
            if (file == null) {
                return;
            }
            try {
                linesWritten += file.write();
            } catch (IOException e) {
                failed(e);
                errors.onError(new IOException("journal " + file.path() + ": write failed, will retry", e));
            }
        }

        boolean force() {
            if (file == null) {
                return true;
            }
            try {
                file.force();
                return true;
            } catch (IOException e) {
                failed(e);
                errors.onError(new IOException("journal " + file.path() + ": fsync failed, will retry", e));
                return false;
            }
        }

        /** Writes out the old day's file and opens the new day's; false when it cannot be opened. */
        private boolean switchTo(LocalDate next) {
            if (file != null) {
                write();
                if (file.pendingBytes() > 0 || !force()) {
                    return true;
                }
                close();
            }
            try {
                file = LineFile.open(dir.resolve(prefix + next + ".jsonl"));
                day = next;
                return true;
            } catch (IOException e) {
                failed(e);
                errors.onError(new IOException("journal: cannot open " + dir.resolve(prefix + next + ".jsonl"), e));
                return false;
            }
        }

        void close() {
            if (file != null) {
                try {
                    file.close();
                } catch (IOException e) {
                    errors.onError(e);
                }
                file = null;
                day = null;
            }
        }
    }
}
