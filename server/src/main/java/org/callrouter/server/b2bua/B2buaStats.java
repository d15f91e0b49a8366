package org.callrouter.server.b2bua;

/**
 * Counters and gauges of the B2BUA. Written only on the SIP event loop; read by metrics from
 * other threads, for which a slightly stale value is fine.
 */
public final class B2buaStats {
    /** Calls in progress (not yet ended). */
    public volatile int activeCalls;
    /** Calls not yet answered. */
    public volatile int pendingCalls;
    /** INVITEs refused with 503 because of overload or draining. */
    public volatile long overloadRejections;
    /** Handlers that answered after the call gave up on them (acknowledged, then hung up). */
    public volatile long lateAnswers;
    /** Calls whose PASSporT's signature was verified (STIR/SHAKEN). */
    public volatile long attestationsVerified;
    /** Calls whose PASSporT was found bad: a failed check, a signature or certificate that does not hold. */
    public volatile long attestationsInvalid;
    /** Calls routed with a PASSporT not verified: not back in time, certificate not had, no trust anchors. */
    public volatile long attestationsUnverified;
    /** Answered calls ended because a leg's session timer ran out (RFC 4028: no refresh, or ours failed). */
    public volatile long sessionsExpired;
    /** Reliable provisional responses from handlers acknowledged with PRACK (RFC 3262 4). */
    public volatile long provisionalsPracked;
    /** Reliable provisional responses from handlers dropped: a retransmission, out of order, or no RSeq. */
    public volatile long provisionalsDiscarded;
    /** Calls ended because the carrier never acknowledged a reliable provisional response (64*T1). */
    public volatile long prackTimeouts;
    /** ACKs that matched no call. */
    public volatile long strayAcks;

    /** Adds {@code other}'s counts to these: the sum over SIP workers (a snapshot for metrics and tests). */
    public void add(B2buaStats other) {
        activeCalls += other.activeCalls;
        pendingCalls += other.pendingCalls;
        overloadRejections += other.overloadRejections;
        lateAnswers += other.lateAnswers;
        attestationsVerified += other.attestationsVerified;
        attestationsInvalid += other.attestationsInvalid;
        attestationsUnverified += other.attestationsUnverified;
        sessionsExpired += other.sessionsExpired;
        provisionalsPracked += other.provisionalsPracked;
        provisionalsDiscarded += other.provisionalsDiscarded;
        prackTimeouts += other.prackTimeouts;
        strayAcks += other.strayAcks;
    }
}
