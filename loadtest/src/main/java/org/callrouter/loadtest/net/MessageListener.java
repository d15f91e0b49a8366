package org.callrouter.loadtest.net;

import org.callrouter.sip.codec.InboundMessage;

/** Receives what a {@link UdpEndpoint} decodes, on the event loop. */
@FunctionalInterface
public interface MessageListener {

    /**
     * One datagram, parsed or not ({@link InboundMessage#isSuccess()}).
     *
     * @param nowNs {@code System.nanoTime()} when the message was taken off the socket
     */
    void onMessage(InboundMessage message, long nowNs);
}
