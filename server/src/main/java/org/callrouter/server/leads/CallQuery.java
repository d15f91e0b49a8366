package org.callrouter.server.leads;

/**
 * A filter on call records, the same as {@code JournalReader.Query}: null fields do not filter;
 * {@code caller} matches a part of the number; {@code handler} any handler tried.
 */
public record CallQuery(String campaign, String source, String handler, String caller, String status, long sinceMs,
                        int limit) {
}
