package org.callrouter.server.transaction;

/**
 * Counters of the transaction layer. Written only by the SIP event loop; read by metrics
 * from other threads, for which a slightly stale value is fine.
 */
public final class TransactionStats {
    public volatile long retransmissionsAbsorbed;
    public volatile long requestsRetransmitted;
    public volatile long responsesRetransmitted;
    public volatile long strayResponses;
    public volatile long strayAcks;
    public volatile long clientTimeouts;
}
