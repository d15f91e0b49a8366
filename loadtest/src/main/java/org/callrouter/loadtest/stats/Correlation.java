package org.callrouter.loadtest.stats;

/**
 * What the handler side tells the carrier side about a call, so that the carrier can split its
 * setup latency into the handler's own time (INVITE received to 200 sent) and the router's. Both
 * sides run on one event loop and read one clock ({@code System.nanoTime()}), so the times compare
 * exactly. Calls are matched by the caller number (the From user), which a B2BUA keeps while it
 * renews Call-ID, tags and branches.
 */
public interface Correlation {

    /** Nobody to tell: the handler side runs without a carrier side. */
    Correlation NONE = new Correlation() {
        @Override
        public void inviteReceived(String caller, int port, long nowNs) {
        }

        @Override
        public void answered(String caller, long inviteReceivedNs, long answerSentNs) {
        }
    };

    /** A handler on {@code port} received a new INVITE from {@code caller} (retransmissions excluded). */
    void inviteReceived(String caller, int port, long nowNs);

    /** A handler sent the first 200 to the INVITE from {@code caller} that it received at {@code inviteReceivedNs}. */
    void answered(String caller, long inviteReceivedNs, long answerSentNs);
}
