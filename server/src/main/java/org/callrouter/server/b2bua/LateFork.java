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
     * @param answeredAck the ACK of the first answer (its Call-ID, From, CSeq and credentials are
     *                    the late fork's too), or null before that ACK is sent: then the INVITE had
     *                    CSeq 1 and no credentials
     * @param localHeader our From, with our tag
     * @param peer        where the INVITE went: the late fork's requests go there unless its
     *                    Contact or Record-Route names an address
     */
    static LateFork end(B2bua b2bua, SipResponse forked, SipRequest answeredAck, String localHeader,
                        Destination peer) {
        final Dialog fork = new Dialog(forked.callId(), localHeader, forked.header(HeaderName.TO), 1);
        fork.destination = peer;
        fork.confirmAsUac(forked);
        b2bua.updateTarget(forked, fork);
        final long inviteCseq = answeredAck == null ? 1 : answeredAck.cseq().number();
        final SipRequestBuilder ack = fork.request(SipMethod.ACK, inviteCseq,
                b2bua.local().newVia(fork.destination.transport()), null);
        if (answeredAck != null) {
            for (HeaderName credentials : new HeaderName[] {HeaderName.AUTHORIZATION, HeaderName.PROXY_AUTHORIZATION}) {
                final String value = answeredAck.header(credentials);
                if (value != null) {
                    ack.header(credentials, value);
                }
            }
        }
        final byte[] encoded = ack.toBytes();
        b2bua.layer().sendStateless(encoded, fork.destination);
        fork.localCseq = inviteCseq;
        b2bua.sendBye(fork);
        return new LateFork(forked.toTag(), encoded, fork.destination);
    }
}
