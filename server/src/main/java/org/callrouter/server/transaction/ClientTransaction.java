package org.callrouter.server.transaction;

import org.callrouter.sip.message.SipMethod;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.sip.message.SipResponse;
import org.callrouter.server.transport.Destination;

/**
 * A client transaction (RFC 3261 17.1): sends a request, retransmits it over UDP, matches its
 * responses by top Via branch and CSeq method, and times out.
 */
public abstract class ClientTransaction extends Transaction {

    protected final SipRequest request;
    protected final byte[] encoded;
    protected final ClientTransactionListener listener;
    protected boolean finalReceived;
    private boolean timedOut;

    ClientTransaction(TransactionLayer layer, String key, Destination destination,
                      SipRequest request, byte[] encoded, ClientTransactionListener listener) {
        super(layer, key, destination);
        this.request = request;
        this.encoded = encoded;
        this.listener = listener;
    }

    /** The request as sent. */
    public SipRequest request() {
        return request;
    }

    public SipMethod method() {
        return request.method();
    }

    /** True once a final response arrived. */
    public boolean finalReceived() {
        return finalReceived;
    }

    /**
     * Sends the request and starts timers A and B (INVITE) or E and F (non-INVITE): a
     * retransmission at T1 over UDP, and the 64*T1 transaction timeout.
     */
    final void start() {
        sendRequest();
        if (!peer.transport().reliable()) {
            startRetransmitTimer(layer.sipTimers().t1Ms());
        }
        startLifetimeTimer(layer.sipTimers().transactionTimeoutMs());
    }

    abstract void onResponse(SipResponse response);

    /** Sends the request, reporting a transport failure as a timeout. */
    protected final void sendRequest() {
        layer.sender().send(peer, encoded, (destination, cause) -> failTransport());
    }

    private void failTransport() {
        if (!finalReceived && !terminated()) {
            timeOut(true);
        }
    }

    protected final void timeOut(boolean transportError) {
        if (timedOut) {
            return;
        }
        timedOut = true;
        terminate();
        layer.stats().clientTimeouts++;
        listener.onTimeout(this, transportError);
    }
}
