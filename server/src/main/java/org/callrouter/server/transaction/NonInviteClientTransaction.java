package org.callrouter.server.transaction;

import org.callrouter.sip.message.SipRequest;
import org.callrouter.sip.message.SipResponse;
import org.callrouter.server.transport.Destination;

/**
 * The non-INVITE client transaction (RFC 3261 17.1.2): Trying and Proceeding (timers E and F),
 * Completed (timer K), Terminated.
 */
public final class NonInviteClientTransaction extends ClientTransaction {

    /** RFC 3261 figure 6. */
    public enum State { TRYING, PROCEEDING, COMPLETED, TERMINATED }

    private State state = State.TRYING;

    NonInviteClientTransaction(TransactionLayer layer, String key, Destination destination,
                               SipRequest request, byte[] encoded, ClientTransactionListener listener) {
        super(layer, key, destination, request, encoded, listener);
    }

    public State state() {
        return state;
    }

    @Override
    void onResponse(SipResponse response) {
        if (state != State.TRYING && state != State.PROCEEDING) {
            return;
        }
        if (response.statusCode() < 200) {
            state = State.PROCEEDING;
            listener.onResponse(this, response);
            return;
        }
        finalReceived = true;
        settled();
        state = State.COMPLETED;
        stopRetransmitTimer();
        // Timer F keeps running no longer: timer K replaces it.
        startLifetimeTimer(layer.sipTimers().waitForRetransmissionsMs(peer.transport()));
        listener.onResponse(this, response);
    }

    @Override
    protected void onRetransmitTimer(long nowMs) {
        if (state == State.TRYING || state == State.PROCEEDING) {
            layer.stats().requestsRetransmitted++;
            sendRequest();
            // In Proceeding the interval is T2 (RFC 3261 17.1.2.2).
            final long next = state == State.PROCEEDING
                    ? layer.sipTimers().t2Ms()
                    : layer.sipTimers().backoffMs(retransmitIntervalMs, true);
            startRetransmitTimer(next);
        }
    }

    @Override
    protected void onLifetimeTimer(long nowMs) {
        if (state == State.TRYING || state == State.PROCEEDING) {
            state = State.TERMINATED;
            timeOut(false);
        } else {
            state = State.TERMINATED;
            terminate();
        }
    }
}
