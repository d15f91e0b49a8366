package org.callrouter.server.transaction;

import org.callrouter.sip.message.SipResponse;

/** What a client transaction tells its transaction user, on the SIP event loop. */
public interface ClientTransactionListener {

    /**
     * A response for the request: provisional and final ones, and for an INVITE every
     * retransmitted 2xx as well (each needs the ACK again, RFC 3261 13.2.2.4).
     */
    void onResponse(ClientTransaction transaction, SipResponse response);

    /**
     * No final response in time (timer B or F), or the transport failed (RFC 3261 8.1.3.1:
     * treat as 408 or 503). Called at most once, and never after a final response.
     *
     * @param transportError true for a transport failure, false for a timeout.
     */
    void onTimeout(ClientTransaction transaction, boolean transportError);
}
