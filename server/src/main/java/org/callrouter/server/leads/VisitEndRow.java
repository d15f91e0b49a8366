package org.callrouter.server.leads;

/** A journal {@code visit_end} line: the pool forgot visitor session {@code session}. */
public record VisitEndRow(String session, long endedMs) {
}
