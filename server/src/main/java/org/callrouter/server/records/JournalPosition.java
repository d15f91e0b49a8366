package org.callrouter.server.records;

/**
 * Where a reader of the journal (the store ingest, the Kafka shipper) stopped in a journal
 * file: the file (name within the journal directory) and the byte offset after the last line taken.
 */
public record JournalPosition(String file, long offset) {
}
