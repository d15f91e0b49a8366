package org.callrouter.server.leads;

/**
 * Where ingest stopped in a journal stream: the file (name within the journal directory) and
 * the byte offset after the last line stored.
 */
public record JournalPosition(String file, long offset) {
}
