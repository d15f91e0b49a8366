package org.callrouter.server.b2bua;

import org.callrouter.sip.codec.SipRequestBuilder;
import org.callrouter.sip.message.HeaderName;
import org.callrouter.sip.message.SipMethod;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.sip.message.SipResponse;
import org.callrouter.server.transport.Destination;

/**
 * A 2xx to our INVITE from a fork other than the one that answered first (a forking proxy in
 * front of a handler or a trunk, RFC 3261 16.7): the UAC must acknowledge it and, wanting only
 * one dialog, end it with BYE (13.2.2.4). The call keeps the first answer; the carrier never sees
 * the second. Copies of the late 2xx get the same ACK again, not another BYE.
 *
 * @param tag the late fork's To tag
 * @param ack its ACK, encoded
 * @param destination where the ACK went
 */
record LateFork(String tag, byte[] ack, Destination destination) {

    /**
     * Acknowledges {@code forked} and sends BYE in its dialog.
     *
     * @param localHeader    our From, with our tag
     * @param inviteCseq     our INVITE's CSeq number (the ACK's, RFC 3261 13.2.2.4)
     * @param earlyCseq      the last CSeq the fork's early dialog used (a PRACK's, RFC 3262), at
     *                       least {@code inviteCseq}: the BYE takes the next
     * @param credentialsFrom the first answer's ACK, whose {@code Authorization} or
     *                       {@code Proxy-Authorization} the late fork's ACK repeats; null for none
     * @param peer           where the INVITE went: the late fork's requests go there unless its
     *                       Contact or Record-Route names an address
     */
    static LateFork end(B2bua b2bua, SipResponse forked, String localHeader, long inviteCseq, long earlyCseq,
                        SipRequest credentialsFrom, Destination peer) {
        final Dialog fork = new Dialog(forked.callId(), localHeader, forked.header(HeaderName.TO), 1);
        fork.destination = peer;
        fork.confirmAsUac(forked);
        b2bua.updateTarget(forked, fork);
        final SipRequestBuilder ack = fork.request(SipMethod.ACK, inviteCseq,
                b2bua.local().newVia(fork.destination.transport()), null);
        if (credentialsFrom != null) {
            for (HeaderName credentials : new HeaderName[] {HeaderName.AUTHORIZATION, HeaderName.PROXY_AUTHORIZATION}) {
                final String value = credentialsFrom.header(credentials);
                if (value != null) {
                    ack.header(credentials, value);
                }
            }
        }
        final byte[] encoded = ack.toBytes();
        b2bua.layer().sendStateless(encoded, fork.destination);
        fork.localCseq = Math.max(inviteCseq, earlyCseq);
        b2bua.sendBye(fork);
        return new LateFork(forked.toTag(), encoded, fork.destination);
    }
}
