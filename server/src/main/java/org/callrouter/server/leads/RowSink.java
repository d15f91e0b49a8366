package org.callrouter.server.leads;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Appends whole rows (every column, in table order) to a table inside the writer's
 * transaction: through DuckDB's appender (columnar chunks, no SQL per row: a prepared
 * statement with thousands of parameters costs DuckDB seconds), or through multi-row INSERTs
 * of {@link Sql#CHUNK_ROWS} rows on PostgreSQL. Values: String, Long, Integer, Boolean,
 * BigDecimal (scale 4, the schema's DECIMAL(18,4)) or null.
 */
abstract class RowSink implements AutoCloseable {

    /** Amounts as the schema stores them. */
    static final int AMOUNT_SCALE = 4;

    /** A sink for {@code table}, whose {@code columns} columns are given in table order. */
    static RowSink into(Connection c, Engine engine, String table, int columns) throws SQLException {
        return engine == Engine.DUCKDB ? new Appender(((DuckDBConnection) c).createAppender("main", table))
                : new Inserts(c, table, columns);
    }

    /** Adds one row. */
    abstract void row(Object... values) throws SQLException;

    /** Writes what is buffered. */
    @Override
    public abstract void close() throws SQLException;

    private static final class Appender extends RowSink {
        private final DuckDBAppender appender;

        Appender(DuckDBAppender appender) {
            this.appender = appender;
        }

        @Override
        void row(Object... values) throws SQLException {
            appender.beginRow();
            for (Object v : values) {
                if (v == null) {
                    appender.appendNull();
                } else if (v instanceof String s) {
                    appender.append(s);
                } else if (v instanceof Long l) {
                    appender.append((long) l);
                } else if (v instanceof Integer i) {
                    appender.append((int) i);
                } else if (v instanceof Boolean b) {
                    appender.append((boolean) b);
                } else if (v instanceof BigDecimal d) {
                    appender.append(d.setScale(AMOUNT_SCALE, RoundingMode.HALF_EVEN));
                } else {
                    throw new IllegalArgumentException("cannot append " + v.getClass());
                }
            }
            appender.endRow();
        }

        @Override
        public void close() throws SQLException {
            appender.close();
        }
    }

    private static final class Inserts extends RowSink {
        private final Connection c;
        private final String table;
        private final int columns;
        private final List<Object[]> rows = new ArrayList<>();

        Inserts(Connection c, String table, int columns) {
            this.c = c;
            this.table = table;
            this.columns = columns;
        }

        @Override
        void row(Object... values) throws SQLException {
            if (values.length != columns) {
                throw new IllegalArgumentException(table + " has " + columns + " columns, got " + values.length);
            }
            rows.add(values);
            if (rows.size() == Sql.CHUNK_ROWS) {
                flush();
            }
        }

        private void flush() throws SQLException {
            if (rows.isEmpty()) {
                return;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " VALUES "
                    + Sql.tuples(rows.size(), columns))) {
                int p = 1;
                for (Object[] row : rows) {
                    for (Object v : row) {
                        bind(ps, p++, v);
                    }
                }
                ps.executeUpdate();
            }
            rows.clear();
        }

        private static void bind(PreparedStatement ps, int index, Object v) throws SQLException {
            if (v == null) {
                ps.setNull(index, Types.NULL);
            } else if (v instanceof String s) {
                ps.setString(index, s);
            } else if (v instanceof Long l) {
                ps.setLong(index, l);
            } else if (v instanceof Integer i) {
                ps.setInt(index, i);
            } else if (v instanceof Boolean b) {
                ps.setBoolean(index, b);
            } else if (v instanceof BigDecimal d) {
                ps.setBigDecimal(index, d);
            } else {
                throw new IllegalArgumentException("cannot insert " + v.getClass());
            }
        }

        @Override
        public void close() throws SQLException {
            flush();
        }
    }
}
