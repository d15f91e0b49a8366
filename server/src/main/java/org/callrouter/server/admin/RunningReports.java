package org.callrouter.server.admin;

import java.time.Clock;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.callrouter.server.leads.ReportProgress;

/**
 * The reports running under a progress id their client chose ({@code GET /v1/reports?progress=ID}),
 * so that {@code GET /v1/reports/progress/{id}} can tell how far one is while the worker that runs
 * it waits on the database. Bounded: at most {@value #MAX_TRACKED} ids are held; a finished report
 * is kept {@value #KEEP_DONE_MS} ms (its client's last look says "done") and then forgotten. A
 * report that finds all places taken by running ones still runs, untracked: its progress is
 * "unknown", the answer is the same.
 */
final class RunningReports {

    /** Ids held at once. */
    static final int MAX_TRACKED = 64;
    /** How long a finished report still answers "done". */
    static final long KEEP_DONE_MS = 60_000;
    /** The longest progress id: a client's 22 random characters fit with room to spare. */
    static final int MAX_ID_CHARS = 64;

    /** Where a tracked report is. */
    enum State { RUNNING, DONE }

    private static final class Entry {
        final ReportProgress progress = new ReportProgress();
        State state = State.RUNNING;
        long endedMs;
    }

    private final Clock wall;
    private final Map<String, Entry> entries = new HashMap<>();

    RunningReports(Clock wall) {
        this.wall = wall;
    }

    /** A progress id from the client: 1 to {@value #MAX_ID_CHARS} of A-Z a-z 0-9 - _, else 400 naming {@code field}. */
    static String checkId(String field, String id) throws ApiException {
        if (id.isEmpty() || id.length() > MAX_ID_CHARS || !id.chars().allMatch(RunningReports::idChar)) {
            throw ApiException.invalid(field, field + " must be 1 to " + MAX_ID_CHARS
                    + " characters of A-Z, a-z, 0-9, '-' and '_' (such as 22 random URL-safe base64 characters)");
        }
        return id;
    }

    private static boolean idChar(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_';
    }

    /**
     * The progress a report under {@code id} publishes to; tracked unless all places are taken by
     * running reports. 409 when a report under the same id is still running.
     */
    synchronized ReportProgress start(String id) throws ApiException {
        final Entry held = entries.get(id);
        if (held != null && held.state == State.RUNNING) {
            throw new ApiException(409, "a report with progress id " + id + " is already running: "
                    + "each report needs an id of its own");
        }
        entries.remove(id);
        forgetOld();
        if (entries.size() >= MAX_TRACKED) {
            return new ReportProgress();
        }
        final Entry entry = new Entry();
        entries.put(id, entry);
        return entry.progress;
    }

    /** The report under {@code id} publishing to {@code progress} has ended, well or not. */
    synchronized void end(String id, ReportProgress progress) {
        final Entry entry = entries.get(id);
        if (entry != null && entry.progress == progress) {
            entry.state = State.DONE;
            entry.endedMs = wall.millis();
        }
    }

    /** {@code {"state", "rows_processed", "rows_total", "percentage"}} of the report under {@code id}. */
    ObjectNode answer(String id) {
        final Entry entry;
        final State state;
        synchronized (this) {
            forgetOld();
            entry = entries.get(id);
            state = entry == null ? null : entry.state;
        }
        final ObjectNode body = ApiResponse.JSON.createObjectNode();
        body.put("state", state == null ? "unknown" : state.name().toLowerCase(Locale.ROOT));
        // sampled outside the lock: asking DuckDB must not hold up the start or end of other reports
        final ReportProgress.Sample sample = entry == null ? null : entry.progress.sample();
        put(body, "rows_processed", sample == null ? -1 : sample.rowsProcessed());
        put(body, "rows_total", sample == null ? -1 : sample.rowsTotal());
        if (sample == null || sample.percentage() < 0) {
            body.putNull("percentage");
        } else {
            body.put("percentage", Math.round(sample.percentage() * 10) / 10.0);
        }
        return body;
    }

    private static void put(ObjectNode body, String name, long value) {
        if (value < 0) {
            body.putNull(name);
        } else {
            body.put(name, value);
        }
    }

    /** Drops the finished reports older than {@link #KEEP_DONE_MS}, and when still full the oldest finished one. */
    private void forgetOld() {
        final long now = wall.millis();
        String oldest = null;
        long oldestMs = Long.MAX_VALUE;
        for (Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator(); it.hasNext(); ) {
            final Map.Entry<String, Entry> e = it.next();
            if (e.getValue().state == State.DONE) {
                if (now - e.getValue().endedMs >= KEEP_DONE_MS) {
                    it.remove();
                } else if (e.getValue().endedMs < oldestMs) {
                    oldestMs = e.getValue().endedMs;
                    oldest = e.getKey();
                }
            }
        }
        if (entries.size() >= MAX_TRACKED && oldest != null) {
            entries.remove(oldest);
        }
    }
}
