package org.callrouter.server.b2bua;

import java.util.Map;
import java.util.Objects;

import org.callrouter.sip.message.HeaderName;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.sip.message.SipResponse;
import org.callrouter.server.transaction.ClientTransaction;
import org.callrouter.server.transaction.ClientTransactionListener;
import org.callrouter.server.transport.Destination;

/**
 * What an answered INVITE's client transaction still needs while it lingers in RFC 6026's
 * Accepted state: the ACK, to send again for each copy of the 2xx (RFC 3261 13.2.2.4), and for a
 * 2xx from another fork, an ACK and a BYE of its own ({@link LateFork}). It stands in for the leg
 * so the lingering transaction does not keep the whole call.
 */
final class AckRepeater implements ClientTransactionListener {

    private final B2bua b2bua;
    private final byte[] ack;
    private final Destination destination;
    private final String answeredTag;
    /** The last late fork ended, so copies of its 2xx get its ACK again; null until one answers. */
    private LateFork lateFork;
    /** The last CSeq of each early dialog (by To tag) whose PRACKs a late fork's BYE must go past; usually empty. */
    private final Map<String, Long> earlyCseqs;

    AckRepeater(B2bua b2bua, byte[] ack, Dialog answered) {
        this(b2bua, ack, answered, Map.of());
    }

    AckRepeater(B2bua b2bua, byte[] ack, Dialog answered, Map<String, Long> earlyCseqs) {
        this.earlyCseqs = earlyCseqs;
        this.b2bua = b2bua;
        this.ack = ack;
        this.destination = answered.destination;
        this.answeredTag = answered.remoteTag();
    }

    @Override
    public void onResponse(ClientTransaction transaction, SipResponse response) {
        if (response.statusCode() < 200 || response.statusCode() >= 300) {
            return;
        }
        final String tag = response.toTag();
        if (Objects.equals(tag, answeredTag)) {
            b2bua.layer().sendStateless(ack, destination);
        } else if (lateFork != null && lateFork.tag().equals(tag)) {
            b2bua.layer().sendStateless(lateFork.ack(), lateFork.destination());
        } else {
            final SipRequest answeredAck = Dialog.parseOwn(ack);
            final long inviteCseq = answeredAck.cseq().number();
            lateFork = LateFork.end(b2bua, response, answeredAck.header(HeaderName.FROM), inviteCseq,
                    earlyCseqs.getOrDefault(tag, inviteCseq), answeredAck, destination);
        }
    }

    @Override
    public void onTimeout(ClientTransaction transaction, boolean transportError) {
        // Accepted ends on timer M, which is not a timeout: nothing to do.
    }
}
