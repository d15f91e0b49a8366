package org.callrouter.server.leads;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.agrona.ErrorHandler;
import org.callrouter.server.records.Journal;
import org.callrouter.server.records.RecordJson;
import org.callrouter.server.records.VisitJournal;
import org.callrouter.server.records.JournalTail;
import org.callrouter.server.records.JournalPosition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the store from the journal (server README, "Store ingest"): one thread tails the
 * {@code calls-*}, {@code conversions-*} and {@code visits-*} files from the positions the store
 * holds for this router ({@code node}), turns complete lines into rows and stores at most
 * {@code batch_max} of them, with the positions they reach, in one {@link LeadStore#ingest}
 * transaction. After a crash or a restart it goes on from the stored positions: a batch is
 * stored whole or not at all, and the store ignores rows it has, so no line is lost or stored twice.
 *
 * <p>The SIP loop never waits on it: it only reads files the record pipeline has written. While
 * the database fails it backs off (doubling, up to {@code maxBackoffMs}) and tries the same lines
 * again; they wait in the journal, counted in {@link #lagBytes}. When the database answers but a
 * batch keeps failing, the batch is halved until the one line at fault is found; that line is
 * skipped after {@value #LINE_ATTEMPTS} failures (counted, logged), so that one bad line cannot
 * stop the rest. A line that is not JSON or lacks a required field is skipped the same way.
 */
public final class JournalIngest implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JournalIngest.class);
    /** Every file is looked at again this often (the rest of the time, only recent or unfinished ones). */
    private static final long FULL_SCAN_MS = 60_000;
    /** Failures of a one-line batch, with the database answering, before the line is skipped. */
    static final int LINE_ATTEMPTS = 3;

    /** Where the ingest stands. */
    public enum State {
        /** Reading the stored positions. */
        STARTING,
        /** Storing lines; no line was waiting at the last look ({@link #lagBytes} may still grow). */
        RUNNING,
        /** The store refused the last batch: waiting to try again. */
        BACKING_OFF,
        /** Closed. */
        STOPPED
    }

    /** The kinds of row, as the {@code kind} label of {@code leads_ingested_total}. */
    public enum Kind {
        CALL("call"), CONVERSION("conversion"), VISIT("visit"), VISIT_END("visit_end");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * @param batchMax         most lines per transaction ({@code server.store.batch_max})
     * @param pollMs           pause when there is nothing to read ({@code server.store.poll_ms})
     * @param initialBackoffMs first pause after a failed batch
     * @param maxBackoffMs     longest pause between tries
     */
    public record Settings(int batchMax, long pollMs, long initialBackoffMs, long maxBackoffMs) {
    }

    private final LeadStore store;
    private final String node;
    private final Settings settings;
    private final Clock wall;
    private final ErrorHandler errors;
    private final JournalTail tail;
    private final JournalRetention retention;
    private final Map<Kind, LongAdder> ingested = new EnumMap<>(Kind.class);
    private final LongAdder failures = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final Thread thread;
    private volatile State state = State.STARTING;
    private volatile String lastError;
    private volatile long lagBytes;
    private volatile boolean running = true;
    private boolean loaded;
    private long nextFullScanMs;
    private int limit;
    private int lineFailures;
    private long backoffMs;

    /**
     * @param retention the daily pruning of old rows and files, or null for none
     */
    public JournalIngest(LeadStore store, java.nio.file.Path journalDir, String node, Settings settings,
                         JournalRetention retention, Clock wall, ErrorHandler errors) {
        this.store = store;
        this.node = node;
        this.settings = settings;
        this.wall = wall;
        this.errors = errors;
        this.retention = retention;
        this.tail = new JournalTail(journalDir, Map.of());
        this.limit = settings.batchMax();
        this.backoffMs = settings.initialBackoffMs();
        for (Kind kind : Kind.values()) {
            ingested.put(kind, new LongAdder());
        }
        this.thread = new Thread(this::run, "journal-ingest");
        thread.setDaemon(true);
    }

    /** Starts the ingest thread. */
    public JournalIngest start() {
        thread.start();
        return this;
    }

    private void run() {
        while (running) {
            final long pauseMs = step();
            if (pauseMs > 0 && running) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pauseMs));
            }
        }
        state = State.STOPPED;
    }

    /**
     * One round: loads the positions the first time, stores one batch, prunes when a day has
     * passed. Never throws.
     *
     * @return how long to pause before the next round: 0 when lines may be waiting
     */
    long step() {
        try {
            if (!loaded) {
                tail.stored(offsets(store.positions(node)));
                loaded = true;
                state = State.RUNNING;
            }
            final long nowMs = wall.millis();
            final boolean fullScan = nowMs >= nextFullScanMs;
            if (fullScan) {
                nextFullScanMs = nowMs + FULL_SCAN_MS;
            }
            final List<JournalTail.Line> lines = tail.read(limit, fullScan, Journal.day(nowMs));
            lagBytes = tail.lagBytes();
            if (lines.isEmpty()) {
                return caughtUp(nowMs);
            }
            return store(lines, nowMs);
        } catch (IOException e) {
            return failed(new IOException("journal ingest: cannot read the journal: " + e.getMessage(), e));
        } catch (RuntimeException e) {
            return failed(e);
        }
    }

    private static Map<String, Long> offsets(Map<String, JournalPosition> positions) {
        final Map<String, Long> offsets = new HashMap<>();
        positions.values().forEach(p -> offsets.put(p.file(), p.offset()));
        return offsets;
    }

    /** Every line written is stored: prune when a day has passed, then pause a poll. */
    private long caughtUp(long nowMs) {
        if (retention != null) {
            retention.runIfDue(nowMs, tail);
        }
        return settings.pollMs();
    }

    /** Stores one batch; the pause before the next round. */
    private long store(List<JournalTail.Line> lines, long nowMs) {
        final Batch batch = parse(lines);
        try {
            store.ingest(new IngestBatch(node, batch.calls, batch.conversions, batch.visits, batch.visitEnds,
                    JournalTail.positions(lines)));
        } catch (RuntimeException e) {
            return failedBatch(lines, e);
        }
        tail.stored(offsets(JournalTail.positions(lines)));
        lagBytes = tail.lagBytes();
        ingested.get(Kind.CALL).add(batch.calls.size());
        ingested.get(Kind.CONVERSION).add(batch.conversions.size());
        ingested.get(Kind.VISIT).add(batch.visits.size());
        ingested.get(Kind.VISIT_END).add(batch.visitEnds.size());
        if (state != State.RUNNING) {
            LOG.info("journal ingest: the store takes lines again");
        }
        state = State.RUNNING;
        lastError = null;
        backoffMs = settings.initialBackoffMs();
        lineFailures = 0;
        if (lines.size() < limit) {
            // Caught up: wait for a poll's worth of lines. Going straight back would store a few
            // lines per transaction, and every transaction costs the same joins and commit
            // whatever its size: the CPU the SIP loop needs.
            return caughtUp(nowMs);
        }
        // A full batch: more may wait. A narrowed batch went through: widen again step by step.
        limit = Math.min(settings.batchMax(), limit * 2);
        return 0;
    }

    /**
     * A batch failed. If the database answers, the batch (not the database) is at fault: halve
     * it, and skip a single line that keeps failing. Else back off and try the same lines again.
     */
    private long failedBatch(List<JournalTail.Line> lines, RuntimeException e) {
        if (!storeAnswers()) {
            limit = settings.batchMax();
            return failed(e);
        }
        failures.increment();
        lastError = String.valueOf(e.getMessage());
        errors.onError(e);
        if (lines.size() > 1) {
            limit = Math.max(1, lines.size() / 2);
            return 0;
        }
        if (++lineFailures < LINE_ATTEMPTS) {
            return failed(e);
        }
        final JournalTail.Line line = lines.get(0);
        LOG.error("journal ingest: {} at offset {} is skipped: the store refused it {} times ({})", line.file(),
                line.end() - line.text().length() - 1, LINE_ATTEMPTS, lastError);
        skip(lines);
        lineFailures = 0;
        return 0;
    }

    private boolean storeAnswers() {
        try {
            store.positions(node);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Stores only the positions past {@code lines} (no rows); counted as skipped. */
    private void skip(List<JournalTail.Line> lines) {
        final Map<String, JournalPosition> positions = JournalTail.positions(lines);
        store.ingest(new IngestBatch(node, List.of(), List.of(), List.of(), List.of(), positions));
        tail.stored(offsets(positions));
        skipped.add(lines.size());
    }

    /** Counts the failure and backs off: the pause before the same lines are tried again. */
    private long failed(Exception e) {
        failures.increment();
        lastError = String.valueOf(e.getMessage());
        errors.onError(e);
        if (state != State.BACKING_OFF) {
            LOG.warn("journal ingest: the store fails, lines wait in the journal: {}", lastError);
        }
        state = State.BACKING_OFF;
        final long pause = backoffMs;
        backoffMs = Math.min(settings.maxBackoffMs(), backoffMs * 2);
        return pause;
    }

    /** The rows of a batch by kind; lines that cannot be rows are logged and left out. */
    private Batch parse(List<JournalTail.Line> lines) {
        final Batch batch = new Batch();
        for (JournalTail.Line line : lines) {
            if (line.text().isEmpty()) {
                continue;
            }
            try {
                final ObjectNode node = RecordJson.parse(line.text());
                final String record = node.path("record").asText("");
                switch (record) {
                    case RecordJson.CALL -> batch.calls.add(JournalRows.call(node, line.text()));
                    case RecordJson.CONVERSION -> batch.conversions.add(JournalRows.conversion(node, line.text()));
                    case VisitJournal.VISIT -> batch.visits.add(JournalRows.visit(node));
                    case VisitJournal.VISIT_END -> batch.visitEnds.add(JournalRows.visitEnd(node));
                    default -> throw new IllegalArgumentException("unknown record \"" + record + "\"");
                }
            } catch (IOException | IllegalArgumentException e) {
                // A line cut short by a crash (the writer ended it with a newline when it reopened the file).
                skipped.increment();
                errors.onError(new IOException("journal ingest: a line of " + line.file() + " ending at byte "
                        + line.end() + " is skipped: " + e.getMessage()));
            }
        }
        return batch;
    }

    private static final class Batch {
        final List<CallRow> calls = new ArrayList<>();
        final List<ConversionRow> conversions = new ArrayList<>();
        final List<VisitRow> visits = new ArrayList<>();
        final List<VisitEndRow> visitEnds = new ArrayList<>();
    }

    /** Where the ingest stands. */
    public State state() {
        return state;
    }

    /** Why the last batch or read failed, null after a success. */
    public String lastError() {
        return lastError;
    }

    /** Journal bytes written and not yet stored (as of the last read). */
    public long lagBytes() {
        return lagBytes;
    }

    /** Rows of a kind stored since start. */
    public long ingested(Kind kind) {
        return ingested.get(kind).sum();
    }

    /** Failed batches and journal reads since start. */
    public long failures() {
        return failures.sum();
    }

    /** Lines left out: not JSON, missing a required field, or refused by the store {@value #LINE_ATTEMPTS} times. */
    public long skipped() {
        return skipped.sum();
    }

    /** The node id positions are stored under. */
    public String node() {
        return node;
    }

    /** Stops the thread after its current batch (the next start goes on from the stored positions). */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        state = State.STOPPED;
    }
}
