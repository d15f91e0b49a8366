package org.callrouter.server.transaction;

import org.callrouter.sip.message.SipRequest;
import org.callrouter.server.transport.Destination;

/**
 * The layer above the transactions (RFC 3261 17: the "TU"): the B2BUA. Every method is called
 * on the SIP event loop.
 */
public interface TransactionUser {

    /**
     * Admission, before any state is kept for a new request (not a retransmission, not an ACK):
     * null admits it and a server transaction is made; a {@link Refusal} is answered without
     * one (at most {@link TransactionLayer#STATELESS_REFUSALS_PER_SECOND} a second, the rest are
     * dropped), so a flood the user refuses fills no transaction table. The default admits all.
     *
     * @param request the request, its top Via stamped with where it came from.
     * @param source  the transport and address it came from.
     */
    default Refusal admit(SipRequest request, Destination source) {
        return null;
    }

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
