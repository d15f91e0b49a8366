package org.callrouter.server.records;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import com.fasterxml.jackson.core.JsonGenerator;
import org.agrona.ErrorHandler;
import org.callrouter.routing.pool.SessionListener;
import org.callrouter.routing.pool.SessionRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The visits journal: {@code visits-YYYY-MM-DD.jsonl} in the journal directory (the UTC day the
 * line is written), a {@code visit} line when a number pool creates a visitor session and a
 * {@code visit_end} line when it forgets one (server README, "Journal"). The lines carry what
 * the landing page told, never the visitor's address.
 *
 * <p>{@link org.callrouter.routing.pool.PoolSessions} calls it under a pool's lock, sometimes on the SIP loop, so the
 * listener methods only offer an event to a bounded queue; one writer thread formats the lines,
 * writes them ({@link LineFile}) and forces them every {@code fsync_interval_ms}. A full queue
 * drops the event and counts it ({@link #dropped}); a failing disk keeps the lines in memory
 * and retries them, up to {@value #MAX_PENDING_BYTES} bytes, then drops and counts them.
 *
 * @see org.callrouter.routing.pool.PoolSessions
 */
public final class VisitJournal implements SessionListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VisitJournal.class);
    /** {@code record} of a created session's line. */
    public static final String VISIT = "visit";
    /** {@code record} of a forgotten session's line. */
    public static final String VISIT_END = "visit_end";
    /** The file name prefix of the visits journal. */
    public static final String FILE_PREFIX = "visits-";
    static final int QUEUE_CAPACITY = 65_536;
    private static final int MAX_PENDING_BYTES = 16 << 20;
    private static final long IDLE_WAIT_MS = 50;

    private record Event(String session, String pool, String campaign, String source, long atMs,
                         SessionRequest request) {
        boolean created() {
            return request != null;
        }
    }

    private final Path dir;
    private final Clock wall;
    private final long fsyncIntervalMs;
    private final ErrorHandler errors;
    private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final LongAdder dropped = new LongAdder();
    private final LongAdder written = new LongAdder();
    private final Thread writer;
    private volatile boolean running = true;
    private LineFile file;
    private LocalDate day;
    private long lastForceMs;

    private VisitJournal(Path dir, int fsyncIntervalMs, Clock wall, ErrorHandler errors) {
        this.dir = dir;
        this.wall = wall;
        this.fsyncIntervalMs = fsyncIntervalMs;
        this.errors = errors;
        this.writer = new Thread(this::run, "visit-journal");
        writer.setDaemon(true);
    }

    /** Opens the journal directory (created if missing) and starts the writer thread. */
    public static VisitJournal start(Path dir, int fsyncIntervalMs, Clock wall, ErrorHandler errors)
            throws IOException {
        Files.createDirectories(dir);
        final VisitJournal journal = new VisitJournal(dir, fsyncIntervalMs, wall, errors);
        journal.writer.start();
        return journal;
    }

    /** The file name of a day's visit lines. */
    public static String visitsFile(LocalDate day) {
        return FILE_PREFIX + day + ".jsonl";
    }

    @Override
    public void onCreated(String sessionId, String poolId, String campaign, String source, long createdMs,
                          SessionRequest request) {
        offer(new Event(sessionId, poolId, campaign, source, createdMs, request));
    }

    @Override
    public void onEnded(String sessionId, long endedMs) {
        offer(new Event(sessionId, null, null, null, endedMs, null));
    }

    private void offer(Event event) {
        if (!running || !queue.offer(event)) {
            dropped.increment();
        }
    }

    /** Events lost: the queue was full, the router was stopping, or the disk kept failing. */
    public long dropped() {
        return dropped.sum();
    }

    /** Lines written to the files since start. */
    public long written() {
        return written.sum();
    }

    /** Events waiting for the writer. */
    public int queued() {
        return queue.size();
    }

    private void run() {
        final List<Event> drained = new ArrayList<>(1024);
        while (running || !queue.isEmpty()) {
            try {
                final Event first = queue.poll(IDLE_WAIT_MS, TimeUnit.MILLISECONDS);
                if (first != null) {
                    drained.add(first);
                    queue.drainTo(drained, 4095);
                    append(drained);
                    drained.clear();
                }
                flush(false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                errors.onError(e);
            }
        }
        flush(true);
        closeFile();
    }

    private void append(List<Event> events) {
        final LocalDate today = Journal.day(wall.millis());
        if (!today.equals(day)) {
            flush(true);
            // Lines the old day's file could not take yet stay with it until they are written.
            if (file == null || file.pendingBytes() == 0) {
                try {
                    final LineFile next = LineFile.open(dir.resolve(visitsFile(today)));
                    closeFile();
                    file = next;
                    day = today;
                } catch (IOException e) {
                    errors.onError(new IOException("visits journal: cannot open " + dir.resolve(visitsFile(today)), e));
                    if (file == null) {
                        dropped.add(events.size());
                        return;
                    }
                }
            }
        }
        for (Event event : events) {
            final byte[] line = event.created() ? visitLine(event) : visitEndLine(event);
            if (file.pendingBytes() + line.length + 1 > MAX_PENDING_BYTES) {
                dropped.add(file.pendingLines());
                LOG.error("visits journal {}: {} lines could not be written and are dropped", file.path(),
                        file.pendingLines());
                file.discardPending();
            }
            file.append(line);
        }
    }

    /** Writes what is pending; forces it when {@code fsync_interval_ms} has passed (or {@code force}). */
    private void flush(boolean force) {
        if (file == null) {
            return;
        }
        try {
            written.add(file.write());
            final long now = wall.millis();
            if (file.unforced() && (force || now - lastForceMs >= fsyncIntervalMs)) {
                file.force();
                lastForceMs = now;
            }
        } catch (IOException e) {
            errors.onError(new IOException("visits journal " + file.path() + ": write failed, will retry", e));
        }
    }

    private void closeFile() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                errors.onError(e);
            }
        }
    }

    static byte[] visitLine(Event e) {
        return RecordJson.write(512, g -> {
            g.writeStartObject();
            g.writeStringField("record", VISIT);
            g.writeStringField("session", e.session());
            g.writeStringField("pool", e.pool());
            g.writeStringField("campaign", e.campaign());
            field(g, "source", e.source());
            g.writeStringField("created_at", RecordJson.time(e.atMs()));
            final SessionRequest r = e.request();
            field(g, "page_url", r.pageUrl());
            field(g, "referrer", r.referrer());
            field(g, "utm_source", r.utmSource());
            field(g, "utm_medium", r.utmMedium());
            field(g, "utm_campaign", r.utmCampaign());
            field(g, "utm_term", r.utmTerm());
            field(g, "utm_content", r.utmContent());
            field(g, "gclid", r.gclid());
            field(g, "gbraid", r.gbraid());
            field(g, "wbraid", r.wbraid());
            field(g, "fbclid", r.fbclid());
            field(g, "msclkid", r.msclkid());
            field(g, "ga_client_id", r.gaClientId());
            field(g, "sales_code", r.salesCode());
            g.writeArrayFieldStart("references");
            for (String reference : r.references()) {
                g.writeString(reference);
            }
            g.writeEndArray();
            g.writeObjectFieldStart("tags");
            for (Map.Entry<String, String> tag : r.tags().entrySet()) {
                g.writeStringField(tag.getKey(), tag.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    static byte[] visitEndLine(Event e) {
        return RecordJson.write(96, g -> {
            g.writeStartObject();
            g.writeStringField("record", VISIT_END);
            g.writeStringField("session", e.session());
            g.writeStringField("ended_at", RecordJson.time(e.atMs()));
            g.writeEndObject();
        });
    }

    private static void field(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    /** Stops taking events, writes and forces what was taken, closes the file. */
    @Override
    public void close() {
        running = false;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
