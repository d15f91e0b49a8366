package org.callrouter.routing.store;

import java.util.List;

/**
 * What a bulk import did.
 *
 * @param rows      data rows read (header and blank lines excluded)
 * @param inserted  numbers that were not tracked before
 * @param updated   numbers whose campaign or source changed
 * @param unchanged numbers already tracked exactly so
 * @param badRows   rows refused
 * @param firstBad  the first refused rows (at most {@link NumberImporter#MAX_REPORTED_BAD_ROWS}), by line
 * @param elapsedMs how long the import took
 */
public record ImportReport(long rows, long inserted, long updated, long unchanged, long badRows, List<BadRow> firstBad,
                           long elapsedMs) {

    /**
     * A refused row.
     *
     * @param line   1-based line number in the file
     * @param text   the line as read
     * @param reason why it was refused
     */
    public record BadRow(long line, String text, String reason) {
        @Override
        public String toString() {
            return "line " + line + ": " + reason + ": " + text;
        }
    }
}
