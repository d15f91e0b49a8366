package org.callrouter.server.transport;

import org.callrouter.sip.codec.InboundMessage;

/** Receives every decoded message (or decoding failure) on the SIP event loop. */
@FunctionalInterface
public interface InboundSink {

    /**
     * @param inbound the message or failure, with the sender's address.
     * @param source  the transport and, for TCP, the connection it arrived on.
     */
    void onInbound(InboundMessage inbound, Destination source);
}
