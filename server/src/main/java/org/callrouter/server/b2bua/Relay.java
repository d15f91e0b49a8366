package org.callrouter.server.b2bua;

import org.callrouter.sip.codec.SipRequestBuilder;
import org.callrouter.sip.codec.SipResponseBuilder;
import org.callrouter.sip.header.SessionExpires;
import org.callrouter.sip.message.HeaderName;
import org.callrouter.sip.message.SipMethod;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.sip.message.SipResponse;
import org.callrouter.server.transaction.ClientTransaction;
import org.callrouter.server.transaction.ClientTransactionListener;
import org.callrouter.server.transaction.ServerTransaction;

/**
 * An in-dialog request (re-INVITE, UPDATE, INFO, ...) passed from one side of the call to the
 * other: a new request in the other dialog, and its final answer passed back. For a re-INVITE
 * the originator's ACK is passed on too, carrying any SDP answer.
 *
 * <p>Session timers (RFC 4028) stay each leg's own: the request to the far side carries the far
 * leg's {@code Session-Expires} and its 2xx refreshes that leg; the 2xx passed back carries what
 * the router granted the originator, and refreshes the originator's leg.
 */
final class Relay implements ClientTransactionListener {

    private final Call call;
    private final ServerTransaction origin;
    private final SipMethod method;
    private final long originCseq;
    private final boolean fromCarrier;
    private final Dialog target;
    /** The originator's leg's session timer and what the router grants its request; null when none. */
    private final SessionTimer originTimer;
    private final SessionExpires granted;
    /** The RAck of a relayed PRACK (the far leg's own RSeq, RFC 3262 7.2); null for other methods. */
    private String rack;
    private long cseq;
    private byte[] ack;
    private boolean answered;

    Relay(Call call, ServerTransaction origin, boolean fromCarrier, Dialog target, SessionTimer originTimer,
          SessionExpires granted) {
        this.call = call;
        this.originTimer = originTimer;
        this.granted = granted;
        this.origin = origin;
        this.method = origin.request().method();
        this.originCseq = origin.request().cseq().number();
        this.fromCarrier = fromCarrier;
        this.target = target;
    }

    /** A PRACK relayed from the carrier acknowledges the handler's 18x with {@code value} (before {@link #start}). */
    Relay rack(String value) {
        this.rack = value;
        return this;
    }

    boolean fromCarrier() {
        return fromCarrier;
    }

    void start() {
        final B2bua b2bua = call.b2bua;
        final SipRequest request = origin.request();
        final boolean targetRefresh = method.equals(SipMethod.INVITE) || method.equals(SipMethod.UPDATE);
        cseq = target.nextCseq();
        final SipRequestBuilder b = target.request(method, cseq, b2bua.local().newVia(target.destination.transport()),
                targetRefresh ? b2bua.local().contact(target.destination.transport()) : null);
        copyContent(request, b);
        if (rack != null) {
            b.header(HeaderName.RACK, rack);
        }
        final SessionTimer targetTimer = targetRefresh ? call.sessionTimerOf(target) : null;
        if (targetTimer != null) {
            targetTimer.addRequestHeaders(b);
            targetTimer.sdpSent(request);
        }
        final byte[] encoded = b.toBytes();
        final SipRequest out = Dialog.parseOwn(encoded);
        if (method.equals(SipMethod.INVITE)) {
            b2bua.layer().sendInvite(out, encoded, target.destination, this);
        } else {
            b2bua.layer().sendNonInvite(out, encoded, target.destination, this);
        }
    }

    @Override
    public void onResponse(ClientTransaction transaction, SipResponse response) {
        try {
            relayResponse(response);
        } catch (RuntimeException | Error e) {
            call.b2bua.failSafe(call, e);
        }
    }

    private void relayResponse(SipResponse response) {
        final int status = response.statusCode();
        if (status == 100) {
            return;
        }
        final boolean invite = method.equals(SipMethod.INVITE);
        if (invite && status >= 200 && status < 300 && answered) {
            // A copy of the 2xx: our ACK was lost, or the originator has not acknowledged yet.
            if (ack != null) {
                call.b2bua.layer().sendStateless(ack, target.destination);
            }
            return;
        }
        final SipResponseBuilder b = SipResponseBuilder.forRequest(origin.request(), status, response.reasonPhrase());
        if (status >= 200 && status < 300) {
            answered = true;
            final boolean targetRefresh = invite || method.equals(SipMethod.UPDATE);
            if (targetRefresh) {
                b.header(HeaderName.CONTACT, call.b2bua.local().contact(origin.peer().transport()));
                final SessionTimer targetTimer = call.sessionTimerOf(target);
                if (targetTimer != null) {
                    targetTimer.refreshedByAnswer(response);
                }
                if (granted != null) {
                    originTimer.addGrant(b, granted);
                    originTimer.sdpSent(response);
                }
            }
        }
        if (response.bodyLength() > 0) {
            b.body(response.contentType(), response.array(), response.bodyOffset(), response.bodyLength());
        }
        origin.respond(status, b.toBytes());
        if (granted != null && status >= 200 && status < 300) {
            originTimer.refreshedByPeer(granted);
        }
        if (status >= 300 || (status >= 200 && !invite)) {
            call.onRelayDone(this);
        }
    }

    @Override
    public void onTimeout(ClientTransaction transaction, boolean transportError) {
        try {
            origin.respond(408, Reasons.of(408));
            call.onRelayDone(this);
        } catch (RuntimeException | Error e) {
            call.b2bua.failSafe(call, e);
        }
    }

    /** True when {@code ack} acknowledges the 2xx this relay passed back. */
    boolean matchesAck(SipRequest ack) {
        return answered && ack.cseq().number() == originCseq;
    }

    /** The originator acknowledged our 2xx: acknowledge the far side's, with the originator's body. */
    void forwardAck(SipRequest originatorAck) {
        if (origin instanceof org.callrouter.server.transaction.InviteServerTransaction ist) {
            ist.acknowledged();
        }
        final SipRequestBuilder b = target.request(SipMethod.ACK, cseq,
                call.b2bua.local().newVia(target.destination.transport()), null);
        copyContent(originatorAck, b);
        final SessionTimer targetTimer = call.sessionTimerOf(target);
        if (targetTimer != null) {
            targetTimer.sdpSent(originatorAck);
        }
        ack = b.toBytes();
        call.b2bua.layer().sendStateless(ack, target.destination);
    }

    private static void copyContent(SipRequest from, SipRequestBuilder to) {
        if (from.bodyLength() > 0) {
            to.body(from.contentType(), from.array(), from.bodyOffset(), from.bodyLength());
        }
        to.copyHeaders(from, HeaderName.EVENT);
        to.copyHeaders(from, INFO_PACKAGE);
    }

    private static final HeaderName INFO_PACKAGE = HeaderName.of("Info-Package");
}
