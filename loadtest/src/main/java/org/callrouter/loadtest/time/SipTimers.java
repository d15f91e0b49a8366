package org.callrouter.loadtest.time;

/**
 * The RFC 3261 timer values both sides use (section 17, table 4), and how long a finished call
 * lingers to absorb late retransmissions.
 *
 * @param t1Ns     T1, the round-trip estimate (RFC default 500 ms)
 * @param t2Ns     T2, the longest retransmit interval of non-INVITE requests and final answers (4 s)
 * @param lingerNs how long a finished call or transaction is kept to answer retransmissions
 */
public record SipTimers(long t1Ns, long t2Ns, long lingerNs) {

    /** RFC 3261 defaults: T1 500 ms, T2 4 s, lingering T4 = 5 s. */
    public static final SipTimers DEFAULT = new SipTimers(500_000_000L, 4_000_000_000L, 5_000_000_000L);

    /** Checks the values fit together. */
    public SipTimers {
        if (t1Ns < 1_000_000L) {
            throw new IllegalArgumentException("t1=" + t1Ns + "ns must be at least 1ms");
        }
        if (t2Ns < t1Ns) {
            throw new IllegalArgumentException("t2=" + t2Ns + "ns must be at least t1=" + t1Ns + "ns");
        }
        if (lingerNs < 0) {
            throw new IllegalArgumentException("linger=" + lingerNs + "ns must not be negative");
        }
    }

    /** 64*T1: Timers B, F, H and J, after which a transaction gives up (RFC 3261 17.1.1.2). */
    public long transactionTimeoutNs() {
        return 64 * t1Ns;
    }

    /** The next INVITE retransmit interval (Timer A doubles without bound, RFC 3261 17.1.1.2). */
    public long nextInviteInterval(long intervalNs) {
        return 2 * intervalNs;
    }

    /**
     * The next interval for non-INVITE requests (Timer E, RFC 3261 17.1.2.2) and for final answers
     * to an INVITE (Timer G, 17.2.1; 2xx, 13.3.1.4): doubling up to T2.
     */
    public long nextCappedInterval(long intervalNs) {
        return Math.min(2 * intervalNs, t2Ns);
    }
}
