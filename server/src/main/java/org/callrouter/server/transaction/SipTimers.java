package org.callrouter.server.transaction;

import org.callrouter.server.transport.Transport;

/**
 * The RFC 3261 timer base values and the timers derived from them (RFC 3261 section 17,
 * table 4; RFC 6026 timers L and M).
 *
 * @param t1Ms round-trip estimate (default 500 ms).
 * @param t2Ms longest retransmit interval for non-INVITE requests and INVITE responses (default 4 s).
 * @param t4Ms longest time a message stays in the network (default 5 s).
 */
public record SipTimers(long t1Ms, long t2Ms, long t4Ms) {

    /** RFC 3261 defaults. */
    public static final SipTimers DEFAULT = new SipTimers(500, 4000, 5000);

    public SipTimers {
        if (t1Ms <= 0 || t4Ms <= 0) {
            throw new IllegalArgumentException("t1Ms=" + t1Ms + " and t4Ms=" + t4Ms + " must be > 0");
        }
        if (t2Ms < t1Ms) {
            throw new IllegalArgumentException("t2Ms=" + t2Ms + " must be >= t1Ms=" + t1Ms);
        }
    }

    /** Timers B, F, H, J (unreliable), L and M: 64*T1. */
    public long transactionTimeoutMs() {
        return 64 * t1Ms;
    }

    /** Timer D: at least 32 s over UDP, zero over a reliable transport. */
    public long timerDMs(Transport transport) {
        return transport.reliable() ? 0 : Math.max(32_000, transactionTimeoutMs());
    }

    /** Timer I (server INVITE, confirmed) and K (client non-INVITE, completed): T4, zero when reliable. */
    public long waitForRetransmissionsMs(Transport transport) {
        return transport.reliable() ? 0 : t4Ms;
    }

    /** Timer J (server non-INVITE, completed): 64*T1, zero when reliable. */
    public long timerJMs(Transport transport) {
        return transport.reliable() ? 0 : transactionTimeoutMs();
    }

    /** The next retransmit interval after {@code currentMs}: doubled, capped at T2 (timers A, E, G). */
    public long backoffMs(long currentMs, boolean capAtT2) {
        final long next = currentMs * 2;
        return capAtT2 ? Math.min(next, t2Ms) : next;
    }
}
