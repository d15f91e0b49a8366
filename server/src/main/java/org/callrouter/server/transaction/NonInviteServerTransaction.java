package org.callrouter.server.transaction;

import org.callrouter.sip.message.SipRequest;
import org.callrouter.server.transport.Destination;

/**
 * The non-INVITE server transaction (RFC 3261 17.2.2): Trying, Proceeding, Completed (timer J),
 * Terminated. Retransmitted requests get the last response again; none before the first.
 */
public final class NonInviteServerTransaction extends ServerTransaction {

    /** RFC 3261 figure 8. */
    public enum State { TRYING, PROCEEDING, COMPLETED, TERMINATED }

    private State state = State.TRYING;

    NonInviteServerTransaction(TransactionLayer layer, String key, Destination replyTo, SipRequest request) {
        super(layer, key, replyTo, request);
    }

    public State state() {
        return state;
    }

    @Override
    public boolean respond(int status, byte[] encoded) {
        if (state == State.COMPLETED || state == State.TERMINATED) {
            return false;
        }
        lastResponse = encoded;
        lastStatus = status;
        layer.counters().responseSent(status);
        send(encoded);
        if (status < 200) {
            state = State.PROCEEDING;
        } else {
            state = State.COMPLETED;
            request = null;
            attach(null);
            startLifetimeTimer(layer.sipTimers().timerJMs(peer.transport()));
        }
        return true;
    }

    @Override
    void onRetransmission() {
        if (lastResponse != null && state != State.TERMINATED) {
            layer.stats().retransmissionsAbsorbed++;
            layer.counters().responseSent(lastStatus);
            send(lastResponse);
        }
    }

    @Override
    protected void onRetransmitTimer(long nowMs) {
        // A server non-INVITE transaction never retransmits on its own.
    }

    @Override
    protected void onLifetimeTimer(long nowMs) {
        state = State.TERMINATED;
        terminate();
    }
}
