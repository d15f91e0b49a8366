package org.callrouter.routing.store;

/**
 * What {@link NumberImporter} tells while it reads a file, so a command can show progress without
 * the importer doing any output. Called on the importing thread every
 * {@link NumberImporter#PROGRESS_EVERY_ROWS} rows and once at the end.
 */
@FunctionalInterface
public interface ImportProgress {

    /** Hears nothing. */
    ImportProgress NONE = (rows, bytesRead, bytesTotal) -> { };

    /**
     * {@code rows} data rows read so far, from {@code bytesRead} of the file's {@code bytesTotal}
     * bytes (read ahead of the rows by at most a buffer; equal at the end).
     */
    void rowsRead(long rows, long bytesRead, long bytesTotal);
}
