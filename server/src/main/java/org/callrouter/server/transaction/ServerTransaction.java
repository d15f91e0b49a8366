package org.callrouter.server.transaction;

import org.callrouter.sip.codec.SipResponseBuilder;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.server.transport.Destination;

/**
 * A server transaction (RFC 3261 17.2): absorbs retransmitted requests, resends the last
 * response, and keeps the response for as long as the peer may still ask for it.
 */
public abstract class ServerTransaction extends Transaction {

    /** The request; let go with the final response (nothing reads it after, and it lingers). */
    protected SipRequest request;
    protected byte[] lastResponse;
    protected int lastStatus;

    ServerTransaction(TransactionLayer layer, String key, Destination replyTo, SipRequest request) {
        super(layer, key, replyTo);
        this.request = request;
    }

    /**
     * The request that created the transaction (its top Via carries received/rport); null once
     * the final response was sent.
     */
    public SipRequest request() {
        return request;
    }

    /** Status of the last response sent, 0 when none yet. */
    public int lastStatus() {
        return lastStatus;
    }

    /** True once a final (>= 200) response went out. */
    public boolean answered() {
        return lastStatus >= 200;
    }

    /**
     * Sends a response built by the transaction user. Responses after a final one are dropped:
     * a transaction answers once (RFC 3261 17.2).
     *
     * @return false when the response was dropped because the transaction had already answered.
     */
    public abstract boolean respond(int status, byte[] encoded);

    /** Builds and sends a response carrying only what RFC 3261 8.2.6.2 requires. */
    public boolean respond(int status, String reason) {
        if (request == null) {
            return false;
        }
        return respond(status, SipResponseBuilder.forRequest(request, status, reason).toBytes());
    }

    /** A retransmission of the request arrived. */
    abstract void onRetransmission();
}
