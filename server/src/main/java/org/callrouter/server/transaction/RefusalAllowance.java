package org.callrouter.server.transaction;

/**
 * The stateless refusals the router may answer ({@link TransactionLayer#STATELESS_REFUSALS_PER_SECOND}
 * in a fixed one-second window) and the To tag they all carry, shared by the transaction layers
 * of every SIP worker so that the bound and the tag stay the router's, however many loops
 * answer. Only refused requests take it (a flood from untrusted sources), never a call.
 */
public final class RefusalAllowance {

    /**
     * The To tag of every stateless refusal: one per router, so a retransmitted request gets the
     * same answer (RFC 3261 8.2.6.2 and 16.11 want a stateless UAS's tag to be reproducible).
     */
    private final String tag = BranchIds.tag();
    private long windowStartMs = Long.MIN_VALUE / 2;
    private int inWindow;

    /** The To tag of stateless refusals. */
    String tag() {
        return tag;
    }

    /** Takes one refusal at {@code nowMs} (monotonic); false when the second's are spent. */
    synchronized boolean take(long nowMs) {
        if (nowMs - windowStartMs >= 1000) {
            windowStartMs = nowMs;
            inWindow = 0;
        }
        if (inWindow >= TransactionLayer.STATELESS_REFUSALS_PER_SECOND) {
            return false;
        }
        inWindow++;
        return true;
    }
}
