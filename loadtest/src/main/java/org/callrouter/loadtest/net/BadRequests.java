package org.callrouter.loadtest.net;

import java.net.InetSocketAddress;
import org.callrouter.sip.codec.InboundMessage;
import org.callrouter.sip.codec.SipParseException;
import org.callrouter.sip.codec.SipResponseBuilder;
import org.callrouter.sip.message.SipMethod;
import org.callrouter.sip.message.SipRequest;

/**
 * Answers a request that did not parse with the status its failure carries (400, 414, 505, 513;
 * RFC 3261 8.2, 21.4), built from the partial message when its Via, From, To, Call-ID and CSeq
 * could be read. A response or an ACK that did not parse (neither is answered, RFC 3261 17), or a
 * request too broken to answer, is only counted by the caller.
 */
public final class BadRequests {

    private BadRequests() {
    }

    /**
     * Sends the answer to the unparseable {@code inbound} through {@code endpoint}.
     *
     * @return whether an answer went out
     */
    public static boolean answer(InboundMessage inbound, UdpEndpoint endpoint) {
        SipParseException failure = inbound.failure();
        if (!(failure.partial() instanceof SipRequest request) || request.method().equals(SipMethod.ACK)) {
            return false;
        }
        byte[] answer;
        InetSocketAddress to;
        try {
            answer = SipResponseBuilder.forRequest(request, failure.status(), failure.reason()).toBytes();
            to = SipAddresses.responseAddress(request, inbound.sender());
        } catch (SipParseException | IllegalArgumentException unreadable) {
            return false;
        }
        endpoint.send(answer, to);
        return true;
    }
}
