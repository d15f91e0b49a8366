package org.callrouter.server.transaction;

import org.callrouter.sip.message.SipMethod;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.sip.message.SipResponse;
import org.callrouter.server.transport.Destination;
import org.callrouter.server.transport.SipSender;
import org.callrouter.server.transport.Transport;

/**
 * A client transaction (RFC 3261 17.1): sends a request, retransmits it over UDP, matches its
 * responses by top Via branch and CSeq method, and times out.
 */
public abstract class ClientTransaction extends Transaction implements SipSender.SendFailureListener {

    private final SipMethod method;
    /** The request as sent, and its bytes: let go once a final response arrives (see {@link #settled()}). */
    protected SipRequest request;
    protected byte[] encoded;
    protected ClientTransactionListener listener;
    protected boolean finalReceived;
    private boolean timedOut;
    /** A large request moved to TCP: its UDP form, sent if the connection fails (see {@link LargeRequests}). */
    private Destination udpPeer;
    private byte[] udpEncoded;
    private SipRequest udpRequest;

    ClientTransaction(TransactionLayer layer, String key, Destination destination,
                      SipRequest request, byte[] encoded, ClientTransactionListener listener) {
        super(layer, key, destination);
        this.method = request.method();
        this.request = request;
        this.encoded = encoded;
        this.listener = listener;
    }

    /** The request as sent; null once the transaction has its final response. */
    public SipRequest request() {
        return request;
    }

    public SipMethod method() {
        return method;
    }

    /**
     * Hands what is still to come (for an INVITE: copies of its 2xx) to another listener, so
     * the transaction, which lingers for 64*T1, stops holding on to the first one.
     */
    public void listener(ClientTransactionListener next) {
        this.listener = next;
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
        // RFC 3261 18.1.1; a small request pays this comparison and nothing else.
        if (encoded.length > LargeRequests.MAX_UDP_REQUEST_BYTES && peer.transport() == Transport.UDP) {
            final LargeRequests.Switched tcp = layer.largeRequests().overTcp(request, peer, layer.nowMs());
            if (tcp != null) {
                udpPeer = peer;
                udpEncoded = encoded;
                udpRequest = request;
                peer = tcp.destination();
                encoded = tcp.encoded();
                request = tcp.request();
            }
        }
        sendRequest();
        if (!peer.transport().reliable()) {
            startRetransmitTimer(layer.sipTimers().t1Ms());
        }
        startLifetimeTimer(layer.sipTimers().transactionTimeoutMs());
    }

    abstract void onResponse(SipResponse response);

    /** Sends the request, reporting a transport failure as a timeout. */
    protected final void sendRequest() {
        layer.sender().send(peer, encoded, this);
    }

    @Override
    public void onSendFailure(Destination destination, Throwable cause) {
        if (finalReceived || terminated()) {
            return;
        }
        if (udpPeer != null) {
            fallBackToUdp();
        } else {
            timeOut(true);
        }
    }

    /**
     * The TCP connection for a large request failed: the request goes over UDP as it was first
     * built, with retransmissions, in the same transaction (timer B or F keeps running).
     */
    private void fallBackToUdp() {
        layer.largeRequests().refused(peer.address(), layer.nowMs());
        peer = udpPeer;
        encoded = udpEncoded;
        request = udpRequest;
        udpPeer = null;
        udpEncoded = null;
        udpRequest = null;
        sendRequest();
        startRetransmitTimer(layer.sipTimers().t1Ms());
    }

    /**
     * The final response is in: the request will not be sent again, so its bytes and parsed
     * form go. A transaction lingers for up to 64*T1 after its answer (timers D, K, M); at
     * thousands of calls a second that is the difference between megabytes and gigabytes.
     */
    protected final void settled() {
        request = null;
        encoded = null;
        udpPeer = null;
        udpEncoded = null;
        udpRequest = null;
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
