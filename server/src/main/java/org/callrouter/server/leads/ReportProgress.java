package org.callrouter.server.leads;

import java.sql.PreparedStatement;
import java.sql.SQLException;

import org.duckdb.DuckDBPreparedStatement;
import org.duckdb.QueryProgress;

/**
 * How far a running report is: {@link ReportQuery} publishes the statement it executes, and
 * another thread (the admin API's progress route) asks that statement's progress while it runs.
 * DuckDB counts the rows its scans have processed and estimates the total (the reader connections
 * have {@code enable_progress_bar} on, see {@link Database}); PostgreSQL tells nothing, so a sample
 * there has neither. A report is two statements (calls, then sales): the rows of the finished one
 * stay counted, so the count never goes back.
 */
public final class ReportProgress {

    /**
     * One look at a report.
     *
     * @param rowsProcessed rows scanned so far, -1 when the engine does not tell
     * @param rowsTotal     rows the engine expects to scan (an estimate), -1 when it does not tell
     * @param percentage    0 to 100, -1 when the engine does not tell
     */
    public record Sample(long rowsProcessed, long rowsTotal, double percentage) {

        /** What a database that reports no progress answers. */
        static final Sample UNKNOWN = new Sample(-1, -1, -1);
    }

    private PreparedStatement running;
    private boolean reports;
    /** Rows of the statements done, counted as their last known totals. */
    private long doneBefore;
    private long lastTotal;

    /** The statement that runs now (from the thread that runs it). */
    synchronized void started(PreparedStatement statement) throws SQLException {
        running = statement;
        reports = statement.isWrapperFor(DuckDBPreparedStatement.class);
        lastTotal = 0;
    }

    /** The statement published by {@link #started} has ended: all its rows were scanned. */
    synchronized void finished() {
        doneBefore += lastTotal;
        lastTotal = 0;
        running = null;
    }

    /** How far the report is now; safe from any thread. */
    public synchronized Sample sample() {
        if (running == null) {
            return reports ? new Sample(doneBefore, doneBefore, doneBefore > 0 ? 100 : 0) : Sample.UNKNOWN;
        }
        if (!reports) {
            return Sample.UNKNOWN;
        }
        final QueryProgress now;
        try {
            now = running.unwrap(DuckDBPreparedStatement.class).getQueryProgress();
        } catch (SQLException e) {
            // the statement closed between our look and its end: what was counted stands
            return new Sample(doneBefore, doneBefore + lastTotal, 0);
        }
        if (now.getPercentage() >= 0) {
            lastTotal = Math.max(lastTotal, now.getTotalRowsToProcess());
        }
        final long rows = doneBefore + Math.max(0, now.getRowsProcessed());
        final long total = Math.max(rows, doneBefore + lastTotal);
        return new Sample(rows, total, total == 0 ? 0 : Math.min(100.0, 100.0 * rows / total));
    }
}
