package org.callrouter.server.leads;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/** Small helpers for statements whose size depends on the batch. */
final class Sql {

    /** Rows per multi-row statement: under PostgreSQL's 32767 parameters with 30 columns. */
    static final int CHUNK_ROWS = 1000;

    private Sql() {
    }

    /** {@code ?,?,?} ({@code n} placeholders). */
    static String marks(int n) {
        StringBuilder b = new StringBuilder(n * 2);
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "?" : ",?");
        }
        return b.toString();
    }

    /** {@code (?,?),(?,?)}: {@code rows} tuples of {@code columns} placeholders. */
    static String tuples(int rows, int columns) {
        String one = "(" + marks(columns) + ")";
        StringBuilder b = new StringBuilder(rows * (one.length() + 1));
        for (int i = 0; i < rows; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(one);
        }
        return b.toString();
    }

    /** {@code list} in pieces of at most {@link #CHUNK_ROWS}. */
    static <T> List<List<T>> chunks(List<T> list) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i += CHUNK_ROWS) {
            out.add(list.subList(i, Math.min(list.size(), i + CHUNK_ROWS)));
        }
        return out;
    }

    static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }

    static void setString(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }

    static void setDecimal(PreparedStatement ps, int index, BigDecimal value) throws SQLException {
        ps.setBigDecimal(index, value);
    }

    /** The column as a Long, null when SQL NULL. */
    static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    /** {@code text} for a LIKE pattern matching it anywhere, with {@code \} escaping wildcards. */
    static String containsPattern(String text) {
        return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
