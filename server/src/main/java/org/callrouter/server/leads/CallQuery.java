package org.callrouter.server.leads;

/**
 * A filter on call records, the same as {@code JournalReader.Query}: null fields do not filter;
 * {@code caller} matches a part of the number; {@code handler} any handler tried. Newest received
 * first, then by id.
 *
 * @param afterReceivedMs with {@code afterId}: only the calls after this one in that order (the
 *                        next page); ignored when {@code afterId} is null.
 */
public record CallQuery(String campaign, String source, String handler, String caller, String status, long sinceMs,
                        int limit, long afterReceivedMs, String afterId) {

    /** The first page. */
    public CallQuery(String campaign, String source, String handler, String caller, String status, long sinceMs,
                     int limit) {
        this(campaign, source, handler, caller, status, sinceMs, limit, 0, null);
    }
}
