package org.callrouter.server.transaction;

import org.callrouter.sip.message.SipRequest;
import org.callrouter.server.transport.Destination;

/**
 * The layer above the transactions (RFC 3261 17: the "TU"): the B2BUA. Every method is called
 * on the SIP event loop.
 */
public interface TransactionUser {

    /** A new request other than ACK and CANCEL; the user must answer it through {@code transaction}. */
    void onRequest(ServerTransaction transaction);

    /**
     * A CANCEL matching a live INVITE transaction. The layer has not answered the CANCEL; the
     * user answers both (RFC 3261 9.2). A CANCEL matching nothing is answered 481 by the layer.
     */
    void onCancel(NonInviteServerTransaction cancel, InviteServerTransaction invite);

    /** An ACK that no transaction absorbed: the ACK for a 2xx, which belongs to the dialog. */
    void onAck(SipRequest ack, Destination from);

    /** A final response we sent was never acknowledged (timer H or L expired). */
    void onAckTimeout(InviteServerTransaction transaction);
}
