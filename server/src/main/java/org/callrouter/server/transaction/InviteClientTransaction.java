package org.callrouter.server.transaction;

import org.callrouter.sip.codec.SipRequestBuilder;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.sip.message.SipResponse;
import org.callrouter.server.transport.Destination;

/**
 * The INVITE client transaction (RFC 3261 17.1.1, with RFC 6026's Accepted state): Calling
 * (timers A and B), Proceeding, Accepted (timer M; every 2xx copy goes to the user, which
 * acknowledges it), Completed (the ACK for a non-2xx is sent here; timer D), Terminated.
 */
public final class InviteClientTransaction extends ClientTransaction {

    /** RFC 3261 figure 5 plus RFC 6026's Accepted. */
    public enum State { CALLING, PROCEEDING, ACCEPTED, COMPLETED, TERMINATED }

    private State state = State.CALLING;
    private byte[] ack;
    private boolean provisionalReceived;

    InviteClientTransaction(TransactionLayer layer, String key, Destination destination,
                            SipRequest request, byte[] encoded, ClientTransactionListener listener) {
        super(layer, key, destination, request, encoded, listener);
    }

    public State state() {
        return state;
    }

    /** True once any provisional response arrived: only then may the INVITE be cancelled (RFC 3261 9.1). */
    public boolean provisionalReceived() {
        return provisionalReceived;
    }

    @Override
    void onResponse(SipResponse response) {
        final int status = response.statusCode();
        switch (state) {
            case CALLING, PROCEEDING -> {
                stopRetransmitTimer();
                if (status < 200) {
                    provisionalReceived = true;
                    if (state == State.CALLING) {
                        // Timer B guards the Calling state only; once the peer answers
                        // provisionally, the ring timeout of the transaction user rules.
                        state = State.PROCEEDING;
                        lifetimeTimer = layer.timers().cancel(lifetimeTimer);
                    }
                    listener.onResponse(this, response);
                } else if (status < 300) {
                    finalReceived = true;
                    settled();
                    state = State.ACCEPTED;
                    startLifetimeTimer(layer.sipTimers().transactionTimeoutMs());
                    listener.onResponse(this, response);
                } else {
                    finalReceived = true;
                    state = State.COMPLETED;
                    ack = SipRequestBuilder.ackForNon2xx(request, response).toBytes();
                    settled();
                    send(ack);
                    startLifetimeTimer(layer.sipTimers().timerDMs(peer.transport()));
                    listener.onResponse(this, response);
                }
            }
            case ACCEPTED -> {
                if (status >= 200 && status < 300) {
                    listener.onResponse(this, response);
                }
            }
            case COMPLETED -> {
                if (status >= 300) {
                    layer.stats().retransmissionsAbsorbed++;
                    send(ack);
                }
            }
            case TERMINATED -> { }
        }
    }

    /**
     * The transaction user sent a CANCEL for this INVITE: if no final response arrives within
     * 64*T1 the transaction ends as timed out (RFC 3261 9.1).
     */
    public void cancelSent() {
        if (state == State.PROCEEDING) {
            startLifetimeTimer(layer.sipTimers().transactionTimeoutMs());
        }
    }

    @Override
    protected void onRetransmitTimer(long nowMs) {
        if (state == State.CALLING) {
            layer.stats().requestsRetransmitted++;
            sendRequest();
            startRetransmitTimer(layer.sipTimers().backoffMs(retransmitIntervalMs, false));
        }
    }

    @Override
    protected void onLifetimeTimer(long nowMs) {
        if (state == State.CALLING || state == State.PROCEEDING) {
            state = State.TERMINATED;
            timeOut(false);
        } else {
            state = State.TERMINATED;
            terminate();
        }
    }
}
