package org.callrouter.server.b2bua;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.callrouter.routing.Candidate;
import org.callrouter.routing.Reservation;
import org.callrouter.sip.codec.SipParseException;
import org.callrouter.sip.codec.SipRequestBuilder;
import org.callrouter.sip.header.SessionExpires;
import org.callrouter.sip.message.HeaderName;
import org.callrouter.sip.message.SipMethod;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.sip.message.SipResponse;
import org.callrouter.server.timer.TimerService;
import org.callrouter.server.timer.TimerTarget;
import org.callrouter.server.transaction.BranchIds;
import org.callrouter.server.transaction.ClientTransaction;
import org.callrouter.server.transaction.ClientTransactionListener;
import org.callrouter.server.transaction.InviteClientTransaction;
import org.callrouter.server.transport.Destination;

/**
 * One attempt to reach a handler: the B leg's INVITE, its ring timer, and the dialog once the
 * handler answers. A leg the call gave up on (ring timeout, carrier cancel) is abandoned: it
 * is cancelled as soon as RFC 3261 9.1 allows, and a late 2xx is acknowledged and hung up.
 */
final class HandlerLeg implements ClientTransactionListener, TimerTarget {

    /** Headers carrying the record id and key, for postback conversions. */
    static final HeaderName X_CALL_ID = HeaderName.of("X-Call-Id");
    static final HeaderName X_CALL_KEY = HeaderName.of("X-Call-Key");
    /** Our INVITE's Supported with both extensions on (RFC 3262, RFC 4028). */
    private static final String SUPPORTED_100REL_TIMER = CarrierPrack.TAG + ", " + SessionTimer.TIMER;

    private final Call call;
    final Candidate candidate;
    final Reservation reservation;
    final Dialog dialog;
    /** Where the INVITE may go, in order (RFC 3263): the next one after a timeout or a 503. */
    private final List<Destination> destinations;
    private int destinationIndex;
    /**
     * Kept to send the INVITE to the next destination; dropped once one answered. Null for a
     * callback: its INVITE has no offer (RFC 3725 flow I).
     */
    private SipRequest carrierInvite;
    private int maxForwards;
    private InviteClientTransaction invite;
    private long ringTimer = TimerService.NO_TIMER;
    private boolean abandoned;
    private boolean cancelSent;
    private boolean answered;
    private byte[] ack;
    /** A fork that answered after this leg's answer, while the ACK waits (a callback); else null. */
    private LateFork lateFork;
    /** The CSeq of our INVITE: 1, or 2 after a 422 asked for a longer session interval. */
    private long inviteCseq = 1;
    /** Whether our INVITE offered a session timer (RFC 4028 7.1), and with what. */
    private boolean timerOffered;
    private String offeredSessionExpires;
    private String offeredMinSe;
    /** What the handler's 2xx said of the session timer; null for none (the usual case). */
    private SessionExpires answeredSessionExpires;
    private boolean allowsUpdate;
    /** Whether our INVITE said {@code Supported: 100rel} (RFC 3262), so a reliable 18x is PRACKed. */
    private boolean reliableOffered;
    /** The early dialogs and PRACKs of reliable 18x (RFC 3262 4); null until one is needed. */
    private HandlerPrack prack;
    /** The latest 18x (a reference, nothing parsed): an early UPDATE's target is made from it when it has a To tag. */
    private SipResponse lastProvisional;

    HandlerLeg(Call call, Candidate candidate, Reservation reservation, List<Destination> destinations, String from) {
        this.call = call;
        this.candidate = candidate;
        this.reservation = reservation;
        final B2bua b2bua = call.b2bua;
        this.dialog = new Dialog("b" + BranchIds.callIdPart()
                + "@" + b2bua.local().host(), from + ";tag=" + BranchIds.tag(), "<" + candidate.uri() + ">", 1);
        dialog.remoteTarget = candidate.uri();
        this.destinations = destinations;
        dialog.destination = destinations.get(0);
        dialog.peer = dialog.destination;
    }

    /** Sends the INVITE with the carrier's SDP (none when {@code carrierInvite} is null) and starts the ring timer. */
    void start(SipRequest carrierInvite, int maxForwards) {
        this.carrierInvite = carrierInvite;
        this.maxForwards = maxForwards;
        final B2bua b2bua = call.b2bua;
        final B2buaSettings settings = b2bua.settings();
        timerOffered = settings.sessionTimer().enabled();
        offeredSessionExpires = settings.offeredSessionExpires();
        offeredMinSe = settings.offeredMinSe();
        reliableOffered = call.offersReliableProvisionals();
        b2bua.register(dialog.callId, call);
        ringTimer = b2bua.timers().schedule(this, b2bua.monoMs() + candidate.timeoutSeconds() * 1000L);
        sendInvite();
    }

    /** A new INVITE transaction (new branch) to the current destination. */
    private void sendInvite() {
        final B2bua b2bua = call.b2bua;
        final SipRequestBuilder b = dialog.request(SipMethod.INVITE, inviteCseq,
                b2bua.local().newVia(dialog.destination.transport()),
                b2bua.local().contact(dialog.destination.transport()), maxForwards);
        b.header(HeaderName.ALLOW, B2bua.ALLOW)
                .header(X_CALL_ID, call.id)
                .header(X_CALL_KEY, call.key);
        if (reliableOffered || timerOffered) {
            b.header(HeaderName.SUPPORTED, !timerOffered ? CarrierPrack.TAG
                    : reliableOffered ? SUPPORTED_100REL_TIMER : SessionTimer.TIMER);
        }
        if (timerOffered) {
            b.header(HeaderName.SESSION_EXPIRES, offeredSessionExpires)
                    .header(HeaderName.MIN_SE, offeredMinSe);
        }
        for (HeaderName diversion : call.diversionHeadersForHandler()) {
            b.copyHeaders(carrierInvite, diversion);
        }
        if (carrierInvite != null && carrierInvite.bodyLength() > 0) {
            b.body(carrierInvite.contentType(), carrierInvite.array(), carrierInvite.bodyOffset(), carrierInvite.bodyLength());
        }
        final byte[] encoded = b.toBytes();
        invite = b2bua.layer().sendInvite(Dialog.parseOwn(encoded), encoded, dialog.destination, this);
    }

    /**
     * RFC 3263 4.3: after a transaction timeout, a transport error or a 503, the INVITE goes to
     * the next destination (the next SRV target or address), within the same ring time.
     *
     * @return false when there is none left
     */
    private boolean tryNextDestination() {
        if (destinationIndex + 1 >= destinations.size() || answered) {
            return false;
        }
        dialog.destination = destinations.get(++destinationIndex);
        dialog.peer = dialog.destination;
        sendInvite();
        return true;
    }

    /**
     * RFC 4028 7.3: a 422 says our session interval is too short for the handler; the INVITE goes
     * once more (same dialog, next CSeq) with its {@code Min-SE} as both our interval and Min-SE.
     *
     * @return false when it cannot (no timer offered, tried once already, no usable Min-SE)
     */
    private boolean retryWithLongerInterval(SipResponse response) {
        if (!timerOffered || inviteCseq > 1) {
            return false;
        }
        final long wanted;
        try {
            wanted = response.minSe();
        } catch (SipParseException e) {
            return false;
        }
        if (wanted <= Long.parseLong(offeredSessionExpires)) {
            return false;
        }
        offeredSessionExpires = Long.toString(wanted);
        offeredMinSe = offeredSessionExpires;
        inviteCseq++;
        sendInvite();
        return true;
    }

    /** The handler's leg's session timer, from its 2xx (RFC 4028 7.2); null when it granted none. */
    SessionTimer sessionTimer() {
        return answeredSessionExpires == null ? null
                : SessionTimer.forHandler(call, dialog, answeredSessionExpires, allowsUpdate);
    }

    Call call() {
        return call;
    }

    /**
     * The early dialog of the handler's latest 18x with a To tag (RFC 3261 12.1.2), where a
     * carrier's early UPDATE goes; null when no 18x made one.
     */
    Dialog earlyDialog() {
        if (lastProvisional == null) {
            return null;
        }
        if (prack == null) {
            prack = new HandlerPrack(this);
        }
        prack.onProvisional(lastProvisional, inviteCseq);
        return prack.latest();
    }

    String handlerId() {
        return candidate.handlerId();
    }

    /** Whether the handler sent any response (a 100 Trying is enough) to this leg's INVITE. */
    boolean responded() {
        return answered || invite != null && (invite.provisionalReceived() || invite.finalReceived());
    }

    /**
     * The call no longer wants this leg. Cancels it now if a provisional response came (RFC 3261
     * 9.1 forbids it before), else as soon as one comes; stops the ring timer.
     */
    void abandon() {
        abandoned = true;
        ringTimer = call.b2bua.timers().cancel(ringTimer);
        call.b2bua.unregister(dialog.callId);
        if (invite != null && invite.provisionalReceived() && !invite.finalReceived()) {
            sendCancel();
        }
    }

    /** Sends BYE in the handler's dialog (after an answer). */
    void hangUp() {
        ringTimer = call.b2bua.timers().cancel(ringTimer);
        call.b2bua.unregister(dialog.callId);
        call.b2bua.sendBye(dialog);
    }

    @Override
    public void onResponse(ClientTransaction transaction, SipResponse response) {
        try {
            handleResponse(response);
        } catch (RuntimeException | Error e) {
            call.b2bua.failSafe(call, e);
        }
    }

    private void handleResponse(SipResponse response) {
        final int status = response.statusCode();
        if (abandoned) {
            onResponseWhenAbandoned(status, response);
            return;
        }
        if (status < 200) {
            if (status > 100) {
                onProvisional(response);
            }
        } else if (status < 300) {
            if (answered) {
                if (dialog.isRemoteTag(response.toTag())) {
                    resendAck();
                } else if (lateFork == null || !lateFork.tag().equals(response.toTag())) {
                    // Another fork answered while a callback holds this leg's ACK (RFC 3725 flow I).
                    lateFork = LateFork.end(call.b2bua, response, dialog.localHeader, inviteCseq, inviteCseq, null,
                            dialog.peer);
                }
                return;
            }
            answered = true;
            carrierInvite = null;
            lastProvisional = null;
            ringTimer = call.b2bua.timers().cancel(ringTimer);
            if (prack != null) {
                call.onLegAnswering();
            }
            establish(response);
            if (call.acknowledgesLater()) {
                // A callback: the ACK carries the customer's answer to this 2xx's offer (RFC 3725
                // flow I), so it waits for the customer; copies of the 2xx meanwhile go unanswered.
                call.onLegAnswered(this, response);
                return;
            }
            sendAck();
            // Nothing is cancelled once answered. The transaction lingers for 64*T1 to catch
            // copies of the 2xx; all it needs for them is the ACK, not this leg and its call.
            handOverAck(prack == null ? Map.of() : prack.cseqsByTag());
            call.onLegAnswered(this, response);
        } else {
            if (status == 503 && tryNextDestination() || status == 422 && retryWithLongerInterval(response)) {
                return;
            }
            ringTimer = call.b2bua.timers().cancel(ringTimer);
            call.b2bua.unregister(dialog.callId);
            call.onLegFailed(this, status, response.reasonPhrase(), AttemptResult.ofStatus(status));
        }
    }

    /**
     * An 18x (not 100). A reliable one ({@code Require: 100rel}, when we offered it) is taken
     * only once per RSeq, in order, per early dialog (RFC 3262 4): a retransmission is neither
     * relayed again nor PRACKed again. Checked by header id first: a plain 180 parses nothing.
     */
    private void onProvisional(SipResponse response) {
        lastProvisional = response;
        HandlerPrack.Owed owed = null;
        if (reliableOffered && response.hasHeader(HeaderName.REQUIRE) && requires100rel(response)) {
            if (prack == null) {
                prack = new HandlerPrack(this);
            }
            owed = prack.onReliable(response, inviteCseq);
            if (owed == null) {
                call.b2bua.stats().provisionalsDiscarded++;
                return;
            }
        }
        call.onLegProvisional(this, response, owed);
    }

    private static boolean requires100rel(SipResponse response) {
        try {
            return response.listsOptionTag(HeaderName.REQUIRE, CarrierPrack.TAG);
        } catch (SipParseException e) {
            return false;
        }
    }

    @Override
    public void onTimeout(ClientTransaction transaction, boolean transportError) {
        if (abandoned) {
            return;
        }
        try {
            if (tryNextDestination()) {
                return;
            }
            ringTimer = call.b2bua.timers().cancel(ringTimer);
            call.b2bua.unregister(dialog.callId);
            call.onLegFailed(this, transportError ? 503 : 408,
                    transportError ? "handler unreachable" : "no response from handler", AttemptResult.FAILED);
        } catch (RuntimeException | Error e) {
            call.b2bua.failSafe(call, e);
        }
    }

    @Override
    public void onTimer(long timerId, long nowMs) {
        if (timerId == ringTimer) {
            ringTimer = TimerService.NO_TIMER;
            try {
                call.onRingTimeout(this);
            } catch (RuntimeException | Error e) {
                call.b2bua.failSafe(call, e);
            }
        }
    }

    /** Sends the ACK for the 2xx again: the handler did not get it (RFC 3261 13.2.2.4). */
    void resendAck() {
        if (ack != null) {
            call.b2bua.layer().sendStateless(ack, dialog.destination);
        }
    }

    private void onResponseWhenAbandoned(int status, SipResponse response) {
        if (status < 200) {
            if (!cancelSent) {
                sendCancel();
            }
        } else if (status < 300) {
            // The handler answered after we gave up on it: acknowledge, then hang up at once.
            if (!answered) {
                answered = true;
                establish(response);
                if (call.acknowledgesLater() && response.bodyLength() > 0) {
                    // A callback's INVITE had no offer, so this 2xx has one: the ACK owes an answer.
                    sendAck(RejectingAnswer.CONTENT_TYPE, RejectingAnswer.to(CustomerLeg.bodyOf(response)));
                } else {
                    sendAck();
                }
                call.b2bua.sendBye(dialog);
                call.b2bua.stats().lateAnswers++;
            } else {
                resendAck();
            }
        }
    }

    private void sendCancel() {
        cancelSent = true;
        final byte[] encoded = SipRequestBuilder.cancelFor(invite.request()).toBytes();
        // Where the INVITE went, which is TCP when it was large (RFC 3261 9.1, 18.1.1).
        call.b2bua.layer().sendNonInvite(Dialog.parseOwn(encoded), encoded, invite.peer(), B2bua.IGNORE);
        invite.cancelSent();
    }

    /** RFC 3261 12.1.2: the dialog state a UAC takes from a 2xx. */
    private void establish(SipResponse response) {
        dialog.confirmAsUac(response);
        call.b2bua.updateTarget(response, dialog);
        if (prack != null) {
            // PRACKs in the early dialog used CSeq numbers the confirmed dialog must go on from.
            dialog.localCseq = Math.max(dialog.localCseq, prack.cseqOf(dialog.remoteTag()));
        }
        if (timerOffered && response.hasHeader(HeaderName.SESSION_EXPIRES)) {
            try {
                answeredSessionExpires = response.sessionExpires();
                allowsUpdate = response.headerValues(HeaderName.ALLOW).stream().anyMatch("UPDATE"::equalsIgnoreCase);
            } catch (SipParseException e) {
                // An unreadable Session-Expires is no timer we could keep to.
                answeredSessionExpires = null;
            }
        }
    }

    private void sendAck() {
        sendAck(null, null);
    }

    /** Sends the ACK for the 2xx, with a body when {@code body} is not null. */
    private void sendAck(String contentType, byte[] body) {
        final B2bua b2bua = call.b2bua;
        final SipRequestBuilder b = dialog.request(SipMethod.ACK, inviteCseq,
                b2bua.local().newVia(dialog.destination.transport()), null);
        if (body != null) {
            b.body(contentType, body, 0, body.length);
        }
        ack = b.toBytes();
        b2bua.layer().sendStateless(ack, dialog.destination);
    }

    /**
     * A callback's held 2xx is acknowledged now (RFC 3725 flow I): with the customer's SDP
     * answer, or with an answer refusing every stream when the customer was not reached. Copies
     * of the 2xx get this ACK from then on.
     */
    void acknowledge(String contentType, byte[] body) {
        sendAck(contentType, body);
        if (invite != null) {
            handOverAck(Map.of());
        }
    }

    /**
     * The lingering INVITE transaction answers copies of the 2xx from now on. The leg lets go
     * of the ACK: only copies reach it (via the transaction), and a long call would otherwise
     * keep a few hundred bytes it never sends again (times 100,000 live calls).
     */
    private void handOverAck(Map<String, Long> earlyCseqs) {
        invite.listener(new AckRepeater(call.b2bua, ack, dialog, earlyCseqs));
        invite = null;
        ack = null;
    }
}
