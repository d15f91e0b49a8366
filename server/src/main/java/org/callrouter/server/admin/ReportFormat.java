package org.callrouter.server.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A report as {@code GET /v1/reports} answers it in JSON ({@code {"group_by": [...], "rows":
 * [{"key": {...}, "calls", ...}]}}), written as CSV (RFC 4180) or as a text table. The API's
 * {@code format=csv} and {@code router report} both write from the JSON answer, so the columns
 * are the same everywhere: the grouped dimensions in the order asked, then {@link #FIGURES}.
 */
public final class ReportFormat {

    /** The figures of a row, in column order; their JSON names. */
    public static final List<String> FIGURES = List.of("calls", "answered", "converted", "revenue", "payout",
            "sales_count", "sales_amount", "conversion_rate", "avg_talk_seconds");
    /** What a table shows for a dimension a row has no value of (calls without UTM, unattributed sales). */
    static final String NONE = "(none)";

    private ReportFormat() {
    }

    /**
     * The report as CSV: a header line, then a line per row, CRLF-terminated (RFC 4180). A
     * dimension a row has no value of is an empty field. A value that a spreadsheet would take
     * for a formula ({@code =}, {@code +}, {@code -}, {@code @}, tab, CR first: visitors choose
     * their UTM values) is prefixed with {@code '}.
     */
    public static String csv(JsonNode report) {
        final StringBuilder out = new StringBuilder();
        final List<String> columns = columns(report);
        line(out, columns);
        for (JsonNode row : report.path("rows")) {
            final List<String> fields = new ArrayList<>();
            for (JsonNode dimension : report.path("group_by")) {
                final JsonNode value = row.path("key").path(dimension.asText());
                fields.add(value.isTextual() ? defused(value.asText()) : "");
            }
            for (String figure : FIGURES) {
                fields.add(row.path(figure).asText());
            }
            line(out, fields);
        }
        return out.toString();
    }

    /** The report as a text table with aligned columns (figures right-aligned), for a terminal. */
    public static String table(JsonNode report) {
        final List<String> columns = columns(report);
        final List<List<String>> lines = new ArrayList<>();
        lines.add(columns.stream().map(c -> c.toUpperCase(Locale.ROOT)).toList());
        for (JsonNode row : report.path("rows")) {
            final List<String> fields = new ArrayList<>();
            for (JsonNode dimension : report.path("group_by")) {
                final JsonNode value = row.path("key").path(dimension.asText());
                fields.add(value.isTextual() ? printable(value.asText()) : NONE);
            }
            for (String figure : FIGURES) {
                fields.add(figure(row.path(figure), figure));
            }
            lines.add(fields);
        }
        final int[] widths = new int[columns.size()];
        for (List<String> fields : lines) {
            for (int i = 0; i < fields.size(); i++) {
                widths[i] = Math.max(widths[i], fields.get(i).length());
            }
        }
        final int dimensions = columns.size() - FIGURES.size();
        final StringBuilder out = new StringBuilder();
        for (List<String> fields : lines) {
            for (int i = 0; i < fields.size(); i++) {
                if (i > 0) {
                    out.append("  ");
                }
                final String pad = " ".repeat(widths[i] - fields.get(i).length());
                out.append(i < dimensions ? fields.get(i) + (i == fields.size() - 1 ? "" : pad) : pad + fields.get(i));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static List<String> columns(JsonNode report) {
        final List<String> columns = new ArrayList<>();
        report.path("group_by").forEach(d -> columns.add(d.asText()));
        columns.addAll(FIGURES);
        return columns;
    }

    /** A figure for the table: rates as percentages, averages to one decimal, amounts as sent. */
    private static String figure(JsonNode value, String name) {
        return switch (name) {
            case "conversion_rate" -> String.format(Locale.ROOT, "%.1f%%", value.asDouble() * 100);
            case "avg_talk_seconds" -> String.format(Locale.ROOT, "%.1f", value.asDouble());
            default -> value.asText();
        };
    }

    private static void line(StringBuilder out, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(quoted(fields.get(i)));
        }
        out.append("\r\n");
    }

    private static String quoted(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }

    private static String defused(String value) {
        if (!value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0) {
            return "'" + value;
        }
        return value;
    }

    /** A value for a terminal: control characters (a visitor's UTM value may hold any) as {@code ?}. */
    public static String printable(String value) {
        final StringBuilder out = new StringBuilder(value.length());
        value.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }
}
