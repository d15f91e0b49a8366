package org.callrouter.server.transaction;

import org.callrouter.sip.codec.SipResponseBuilder;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.server.transport.Destination;

/**
 * The INVITE server transaction (RFC 3261 17.2.1, with RFC 6026's Accepted state).
 * <p>
 * A {@code 100 Trying} goes out as soon as the transaction user has seen the request, unless
 * it answered finally right away. A 2xx moves it to
 * Accepted, where it resends the 2xx on timer G's schedule until the transaction user reports
 * the dialog's ACK ({@link #acknowledged()}) or timer L expires: the UAS core's duty of RFC 3261
 * 13.3.1.4 kept here, next to the other retransmissions. A non-2xx final response moves it to
 * Completed (timers G and H) and its ACK to Confirmed (timer I).
 */
public final class InviteServerTransaction extends ServerTransaction {

    /** RFC 3261 figure 7 plus RFC 6026's Accepted. */
    public enum State { PROCEEDING, ACCEPTED, COMPLETED, CONFIRMED, TERMINATED }

    private State state = State.PROCEEDING;
    private boolean cancelled;
    private boolean acked;

    InviteServerTransaction(TransactionLayer layer, String key, Destination replyTo, SipRequest request) {
        super(layer, key, replyTo, request);
    }

    /**
     * Sends {@code 100 Trying} unless the transaction user already answered while handling the
     * request: a call refused at once (404, 403, 503) costs one datagram, not two.
     */
    void tryingUnlessAnswered() {
        if (lastStatus == 0) {
            lastResponse = SipResponseBuilder.forRequest(request, 100, "Trying").toBytes();
            lastStatus = 100;
            layer.counters().responseSent(100);
            send(lastResponse);
        }
    }

    public State state() {
        return state;
    }

    /** True once a CANCEL for this INVITE was accepted. */
    public boolean cancelled() {
        return cancelled;
    }

    void markCancelled() {
        cancelled = true;
    }

    @Override
    public boolean respond(int status, byte[] encoded) {
        if (state != State.PROCEEDING) {
            return false;
        }
        lastResponse = encoded;
        lastStatus = status;
        layer.counters().responseSent(status);
        send(encoded);
        if (status >= 200) {
            request = null;
        }
        if (status >= 200 && status < 300) {
            state = State.ACCEPTED;
            // RFC 3261 13.3.1.4: the 2xx is resent whatever the transport, since the ACK
            // travels end to end and a hop beyond the next one may be unreliable.
            startRetransmitTimer(layer.sipTimers().t1Ms());
            startLifetimeTimer(layer.sipTimers().transactionTimeoutMs());
        } else if (status >= 300) {
            state = State.COMPLETED;
            // The call is over; only the ACK (matched by key) is still to come.
            attach(null);
            if (!peer.transport().reliable()) {
                startRetransmitTimer(layer.sipTimers().t1Ms());
            }
            startLifetimeTimer(layer.sipTimers().transactionTimeoutMs());
        }
        return true;
    }

    /**
     * The dialog's ACK for our 2xx arrived (it is a transaction of its own, RFC 3261 17.1.1.3):
     * stop resending the 2xx. The transaction stays until timer L to absorb late INVITE copies.
     */
    public void acknowledged() {
        if (state == State.ACCEPTED) {
            acked = true;
            stopRetransmitTimer();
            // Copies of the INVITE still in flight are absorbed silently (RFC 6026 7.1): the
            // answer and the call need not stay for timer L.
            lastResponse = null;
            attach(null);
        }
    }

    /** A non-2xx final response was acknowledged (the ACK matched this transaction). */
    void onAck() {
        if (state == State.COMPLETED) {
            acked = true;
            lastResponse = null;
            state = State.CONFIRMED;
            stopRetransmitTimer();
            startLifetimeTimer(layer.sipTimers().waitForRetransmissionsMs(peer.transport()));
        }
    }

    @Override
    void onRetransmission() {
        if (state != State.CONFIRMED && state != State.TERMINATED && lastResponse != null) {
            layer.stats().retransmissionsAbsorbed++;
            layer.counters().responseSent(lastStatus);
            send(lastResponse);
        }
    }

    @Override
    protected void onRetransmitTimer(long nowMs) {
        if (state == State.ACCEPTED || state == State.COMPLETED) {
            layer.stats().responsesRetransmitted++;
            layer.counters().responseSent(lastStatus);
            send(lastResponse);
            startRetransmitTimer(layer.sipTimers().backoffMs(retransmitIntervalMs, true));
        }
    }

    @Override
    protected void onLifetimeTimer(long nowMs) {
        // Timer H (Completed), L (Accepted) or I (Confirmed).
        final boolean ackMissing = !acked && (state == State.COMPLETED || state == State.ACCEPTED);
        state = State.TERMINATED;
        terminate();
        if (ackMissing) {
            layer.user().onAckTimeout(this);
        }
    }
}
