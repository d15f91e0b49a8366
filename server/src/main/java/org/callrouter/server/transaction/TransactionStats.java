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
    /** Server transactions made (each new request the user admitted). */
    public volatile long serverTransactionsCreated;
    /** Requests the user did not admit, answered without a transaction. */
    public volatile long refusedStateless;
    /** Requests the user did not admit, dropped unanswered: the refusals of the second were spent. */
    public volatile long refusalsDropped;

    /** Adds {@code other}'s counts to these: the sum over SIP workers (a snapshot for metrics and tests). */
    public void add(TransactionStats other) {
        retransmissionsAbsorbed += other.retransmissionsAbsorbed;
        requestsRetransmitted += other.requestsRetransmitted;
        responsesRetransmitted += other.responsesRetransmitted;
        strayResponses += other.strayResponses;
        strayAcks += other.strayAcks;
        clientTimeouts += other.clientTimeouts;
        serverTransactionsCreated += other.serverTransactionsCreated;
        refusedStateless += other.refusedStateless;
        refusalsDropped += other.refusalsDropped;
    }
}
