package org.callrouter.server.b2bua;

import org.callrouter.sip.message.SipResponse;
import org.callrouter.server.transaction.ClientTransaction;
import org.callrouter.server.transaction.ClientTransactionListener;
import org.callrouter.server.transaction.TransactionLayer;
import org.callrouter.server.transport.Destination;

/**
 * What an answered INVITE's client transaction still needs while it lingers in RFC 6026's
 * Accepted state: the ACK, to send again for each copy of the 2xx (RFC 3261 13.2.2.4). It
 * stands in for the handler leg so the lingering transaction does not keep the whole call.
 */
final class AckRepeater implements ClientTransactionListener {

    private final TransactionLayer layer;
    private final byte[] ack;
    private final Destination destination;

    AckRepeater(TransactionLayer layer, byte[] ack, Destination destination) {
        this.layer = layer;
        this.ack = ack;
        this.destination = destination;
    }

    @Override
    public void onResponse(ClientTransaction transaction, SipResponse response) {
        if (response.statusCode() >= 200 && response.statusCode() < 300) {
            layer.sendStateless(ack, destination);
        }
    }

    @Override
    public void onTimeout(ClientTransaction transaction, boolean transportError) {
        // Accepted ends on timer M, which is not a timeout: nothing to do.
    }
}
