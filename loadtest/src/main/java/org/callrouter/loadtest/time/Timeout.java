package org.callrouter.loadtest.time;

/**
 * One pending deadline on a {@link TimerWheel}: an intrusive list node, so scheduling and
 * cancelling allocate nothing. A call owns one and re-arms it for whatever it waits for next
 * (a retransmission, the end of the hold time, the end of lingering).
 */
public final class Timeout {

    /** What runs when the deadline passes. */
    @FunctionalInterface
    public interface Expiry {
        /** Called on the wheel's thread once the deadline has passed; {@code nowNs} is the poll time. */
        void onTimeout(long nowNs);
    }

    final Expiry expiry;
    Timeout prev;
    Timeout next;
    long deadlineTick;
    int slot = -1;

    /** A timeout that runs {@code expiry}; not yet scheduled. */
    public Timeout(Expiry expiry) {
        if (expiry == null) {
            throw new NullPointerException("expiry");
        }
        this.expiry = expiry;
    }

    /** Whether it is on a wheel, waiting for its deadline. */
    public boolean isScheduled() {
        return slot >= 0;
    }
}
