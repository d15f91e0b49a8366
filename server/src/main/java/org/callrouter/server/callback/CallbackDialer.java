package org.callrouter.server.callback;

/**
 * Places the SIP side of one callback try of a lost call (issue 13 part 1): rings the campaign's
 * handlers the normal routing way, then the customer through an outbound trunk, and joins the
 * two (third-party call control, RFC 3725).
 */
public interface CallbackDialer {
    /**
     * Places one try; returns at once. The listener is called exactly once with the outcome,
     * on the SIP loop thread (hand off if you block).
     */
    void dial(CallbackRequest request, CallbackListener listener);
}
