package org.callrouter.server.transaction;

/** Counters of what the transports delivered that could not be processed normally. */
public final class InboundStats {
    /** Malformed requests answered with 4xx/5xx. */
    public volatile long malformedRequests;
    /** Malformed messages dropped: responses, ACKs, and requests too broken to answer. */
    public volatile long malformedDropped;

    /** Adds {@code other}'s counts to these: the sum over SIP workers (a snapshot for metrics and tests). */
    public void add(InboundStats other) {
        malformedRequests += other.malformedRequests;
        malformedDropped += other.malformedDropped;
    }
}
