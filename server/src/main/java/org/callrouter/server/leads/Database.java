package org.callrouter.server.leads;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;

import org.duckdb.DuckDBConnection;

/**
 * The store's connections: one writer, used under a lock by one transaction at a time, and
 * readers handed out to concurrent queries. On DuckDB every connection is a duplicate of the
 * first (one database instance, one buffer pool bounded by {@code memory_limit}); on
 * PostgreSQL each is its own session, and a writer transaction starts by updating the
 * {@code store_lock} row so that writers of several routers take turns.
 */
final class Database implements AutoCloseable {

    /** Work in a transaction or on a reader connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final Engine engine;
    private final String url;
    private final Properties properties;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Deque<Connection> idleReaders = new ArrayDeque<>();
    private Connection writer;
    private volatile String lastError;
    private boolean closed;

    private Database(Engine engine, String url, Properties properties, Connection writer) {
        this.engine = engine;
        this.url = url;
        this.properties = properties;
        this.writer = writer;
    }

    /**
     * Connects; DuckDB gets its memory and thread bounds and its checkpoint threshold before
     * anything else runs. DuckDB's own threshold (16 MB of write-ahead log) made the ingest
     * checkpoint every 10 s at 1,000 calls/s, and each checkpoint rewrites the tables' indexes
     * whole: with 64 MB the ingest's CPU per call in the router was about halved (loadtest/RESULTS.md,
     * "Where a call's CPU goes"). The log is replayed at the next open after a crash.
     */
    static Database open(String url, String user, String password, int memoryLimitMb, int threads, int checkpointMb)
            throws SQLException {
        Engine engine = Engine.of(url);
        Properties properties = new Properties();
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        if (engine == Engine.DUCKDB) {
            properties.setProperty("memory_limit", memoryLimitMb + "MB");
            properties.setProperty("threads", Integer.toString(threads));
            properties.setProperty("checkpoint_threshold", checkpointMb + "MB");
        }
        Connection writer = DriverManager.getConnection(url, properties);
        writer.setAutoCommit(false);
        return new Database(engine, url, properties, writer);
    }

    Engine engine() {
        return engine;
    }

    /** The URL without password. */
    String safeUrl() {
        return JdbcUrls.withoutPassword(url);
    }

    String lastError() {
        return lastError;
    }

    /** A new connection to the same database (for Flyway and readers), autocommit on. */
    Connection newConnection() throws SQLException {
        Connection c = engine == Engine.DUCKDB ? ((DuckDBConnection) writer).duplicate()
                : DriverManager.getConnection(url, properties);
        c.setAutoCommit(true);
        if (engine == Engine.DUCKDB) {
            // counts what a query has scanned, for ReportProgress; DuckDB would also draw its own
            // bar on the router's stdout after two seconds: that is turned off
            try (Statement s = c.createStatement()) {
                s.execute("SET enable_progress_bar = true");
                s.execute("PRAGMA disable_print_progress_bar");
            }
        }
        return c;
    }

    /**
     * Runs {@code work} in one write transaction: committed when it returns, rolled back when
     * it throws. Domain exceptions (not found, conflict, bad input) pass through unchanged;
     * database failures become {@link LeadStoreException}.
     */
    <T> T write(Work<T> work) {
        writeLock.lock();
        try {
            Connection c = writer();
            try {
                try (PreparedStatement turn = c.prepareStatement("UPDATE store_lock SET turns = turns + 1 WHERE id = 1")) {
                    turn.executeUpdate();
                }
                T result = work.run(c);
                c.commit();
                lastError = null;
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(c);
                throw failure(e);
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Runs {@code work} on a reader connection (each statement sees committed data). */
    <T> T read(Work<T> work) {
        Connection c;
        try {
            c = borrowReader();
        } catch (SQLException e) {
            throw failure(e);
        }
        boolean healthy = true;
        try {
            T result = work.run(c);
            lastError = null;
            return result;
        } catch (SQLException | RuntimeException e) {
            healthy = !(e instanceof SQLException) || isValid(c);
            throw failure(e);
        } finally {
            giveBack(c, healthy);
        }
    }

    private RuntimeException failure(Exception e) {
        if (e instanceof RuntimeException runtime && !(e instanceof LeadStoreException)) {
            return runtime;
        }
        if (e instanceof LeadStoreException store) {
            lastError = store.getMessage();
            return store;
        }
        lastError = e.getMessage();
        return new LeadStoreException("store " + safeUrl() + ": " + e.getMessage(), e);
    }

    /** The writer, reconnected when a PostgreSQL session was lost. */
    private Connection writer() {
        try {
            if (engine == Engine.POSTGRESQL && !writer.isValid(2)) {
                closeQuietly(writer);
                writer = DriverManager.getConnection(url, properties);
                writer.setAutoCommit(false);
            }
            return writer;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private synchronized Connection borrowReader() throws SQLException {
        if (closed) {
            throw new SQLException("store is closed");
        }
        Connection c = idleReaders.pollFirst();
        return c != null ? c : newConnection();
    }

    private synchronized void giveBack(Connection c, boolean healthy) {
        if (healthy && !closed) {
            idleReaders.addFirst(c);
        } else {
            closeQuietly(c);
        }
    }

    private static boolean isValid(Connection c) {
        try {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the next write reconnects (PostgreSQL) or fails again
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing a broken connection: nothing left to release
        }
    }

    @Override
    public void close() {
        writeLock.lock();
        try {
            synchronized (this) {
                closed = true;
                idleReaders.forEach(Database::closeQuietly);
                idleReaders.clear();
            }
            closeQuietly(writer);
        } finally {
            writeLock.unlock();
        }
    }
}
