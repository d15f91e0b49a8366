package org.callrouter.server.b2bua;

import java.util.Arrays;

import org.callrouter.sip.auth.DigestChallenge;
import org.callrouter.sip.codec.SipRequestBuilder;
import org.callrouter.sip.message.HeaderName;
import org.callrouter.sip.message.SipMessage;
import org.callrouter.sip.message.SipMethod;
import org.callrouter.sip.message.SipResponse;
import org.callrouter.server.callback.CallbackListener;
import org.callrouter.server.callback.CallbackOutcome;
import org.callrouter.server.callback.CallbackRequest;
import org.callrouter.server.timer.TimerService;
import org.callrouter.server.timer.TimerTarget;
import org.callrouter.server.transaction.BranchIds;
import org.callrouter.server.transaction.ClientTransaction;
import org.callrouter.server.transaction.ClientTransactionListener;
import org.callrouter.server.transaction.InviteClientTransaction;
import org.callrouter.server.transport.Destination;

/**
 * The customer's side of a lost call's callback (issue 13), the A side of a {@link Call} the
 * router originated: once a handler answered with an SDP offer, the INVITE through the outbound
 * trunk with that offer (RFC 3725 flow I), the Digest challenge the trunk may send (RFC 3261
 * 22.2, RFC 7616, RFC 8760), the customer's ring time, and the outcome told to the callback's
 * listener exactly once. Its {@link #dialog} is the call's A-side dialog, where the router is
 * the UAC. Holds one of the trunk's {@code max_concurrent} places from the dial to the end.
 */
final class CustomerLeg implements ClientTransactionListener, TimerTarget {

    /** The customer's INVITE, as far as it got. */
    enum State {
        /** Handlers are being tried: no INVITE to the customer yet. */
        WAITING,
        /** INVITE sent, no provisional answer yet: no CANCEL may go (RFC 3261 9.1). */
        CALLING,
        /** A provisional answer came: the INVITE may be cancelled. */
        RINGING,
        /** The customer answered and was acknowledged. */
        ANSWERED,
        /** Given up (ring time, the call ended): cancelled; a late 2xx is acknowledged and hung up. */
        ABANDONED,
        /** The INVITE failed, or there never was one. */
        DONE
    }

    /** A nonce the trunk calls {@code stale} may be renewed this many times in one call. */
    private static final int MAX_STALE_RENEWALS = 2;

    private final Call call;
    final CallbackRequest request;
    private final CallbackListener listener;
    private final Trunk trunk;
    private final Trunk.Settings settings;
    final Dialog dialog;
    private State state = State.WAITING;
    /** The handler that answered and waits for its ACK until the customer answers (or not). */
    private HandlerLeg waiting;
    private String offerType;
    private byte[] offer;
    private InviteClientTransaction invite;
    private long inviteCseq;
    private long ringTimer = TimerService.NO_TIMER;
    private HeaderName credentialsHeader;
    private String credentials;
    private int challenges;
    private int renewals;
    private boolean cancelSent;
    private byte[] ack;
    private CallbackOutcome.Result failure;
    private boolean reported;
    private boolean placeHeld = true;

    /**
     * @param trunkAt where the trunk is (the first of its resolved destinations)
     */
    CustomerLeg(Call call, CallbackRequest request, CallbackListener listener, Trunk trunk, Destination trunkAt) {
        this.call = call;
        this.request = request;
        this.listener = listener;
        this.trunk = trunk;
        this.settings = trunk.settings();
        final String host = call.b2bua.local().host();
        final String requestUri = settings.requestUri(request.customer());
        this.dialog = new Dialog(BranchIds.callIdPart() + "@" + host,
                "<sip:" + settings.config().callerId() + "@" + host + ">;tag=" + BranchIds.tag(),
                "<" + requestUri + ">", 0);
        dialog.remoteTarget = requestUri;
        dialog.destination = trunkAt;
        dialog.peer = trunkAt;
    }

    /** The customer is called with the offer in {@code handlerAnswer}; {@code handler} waits. */
    void start(HandlerLeg handler, SipResponse handlerAnswer) {
        hold(handler);
        offerType = handlerAnswer.contentType();
        offer = bodyOf(handlerAnswer);
        state = State.CALLING;
        final B2bua b2bua = call.b2bua;
        ringTimer = b2bua.timers().schedule(this, b2bua.monoMs() + settings.config().ringTimeoutSeconds() * 1000L);
        sendInvite();
    }

    /** The offer the handler made (for an answer refusing it). */
    byte[] offer() {
        return offer;
    }

    /** {@code handler} answered and waits for its ACK (without the customer being called: see {@link Call}). */
    void hold(HandlerLeg handler) {
        waiting = handler;
    }

    /** Hands over the waiting handler (null when none waits) and forgets it. */
    HandlerLeg takeWaiting() {
        final HandlerLeg leg = waiting;
        waiting = null;
        return leg;
    }

    /** A new INVITE transaction: the first, or one with our credentials after a challenge (new CSeq, RFC 3261 22.2). */
    private void sendInvite() {
        final B2bua b2bua = call.b2bua;
        inviteCseq = dialog.nextCseq();
        final SipRequestBuilder b = dialog.request(SipMethod.INVITE, inviteCseq,
                b2bua.local().newVia(dialog.destination.transport()), b2bua.local().contact(dialog.destination.transport()));
        b.header(HeaderName.ALLOW, B2bua.ALLOW);
        if (credentials != null) {
            b.header(credentialsHeader, credentials);
        }
        b.body(offerType, offer, 0, offer.length);
        final byte[] encoded = b.toBytes();
        invite = b2bua.layer().sendInvite(Dialog.parseOwn(encoded), encoded, dialog.destination, this);
    }

    @Override
    public void onResponse(ClientTransaction transaction, SipResponse response) {
        try {
            if (transaction == invite) {
                handleResponse(response);
            }
        } catch (RuntimeException | Error e) {
            call.b2bua.failSafe(call, e);
        }
    }

    private void handleResponse(SipResponse response) {
        final int status = response.statusCode();
        switch (state) {
            case CALLING, RINGING -> {
                if (status < 200) {
                    state = State.RINGING;
                } else if (status < 300) {
                    answered(response);
                } else if (status == 401 || status == 407) {
                    onChallenge(response);
                } else {
                    failed(status, response.reasonPhrase());
                }
            }
            case ABANDONED -> onResponseWhenAbandoned(response);
            case ANSWERED -> {
                if (status >= 200 && status < 300 && ack != null) {
                    call.b2bua.layer().sendStateless(ack, dialog.destination);
                }
            }
            case WAITING, DONE -> { }
        }
    }

    /**
     * RFC 3261 22.2: answer a 401 (WWW-Authenticate) or 407 (Proxy-Authenticate) once with our
     * credentials, for the strongest challenge offered (SHA-256 before MD5, RFC 8760). A second
     * challenge means the credentials are wrong, unless it only says our nonce was {@code stale}.
     */
    private void onChallenge(SipResponse response) {
        final int status = response.statusCode();
        final boolean proxy = status == 407;
        if (settings.credentials() == null) {
            trunkFailed(Trunk.Failure.NO_CREDENTIALS, status, "trunk " + trunk.id() + " asks for authentication ("
                    + status + ") and has no username and password");
            return;
        }
        final DigestChallenge challenge = DigestChallenge.strongest(response.headerValues(
                proxy ? HeaderName.PROXY_AUTHENTICATE : HeaderName.WWW_AUTHENTICATE));
        if (challenge == null) {
            trunkFailed(Trunk.Failure.UNSUPPORTED_CHALLENGE, status, "trunk " + trunk.id() + " sent a challenge ("
                    + status + ") with no Digest algorithm we support (MD5, SHA-256, SHA-512-256) and qop=auth");
            return;
        }
        if (challenges > 0 && !(challenge.stale() && renewals < MAX_STALE_RENEWALS)) {
            trunkFailed(Trunk.Failure.CHALLENGED_AGAIN, status, "trunk " + trunk.id() + " challenged our credentials"
                    + " again (" + status + "): wrong username or password?");
            return;
        }
        if (challenges > 0) {
            renewals++;
        }
        challenges++;
        credentialsHeader = proxy ? HeaderName.PROXY_AUTHORIZATION : HeaderName.AUTHORIZATION;
        credentials = settings.credentials().authorization(challenge, SipMethod.INVITE.name(), dialog.remoteTarget,
                BranchIds.cnonce(), 1);
        state = State.CALLING;
        sendInvite();
    }

    private void answered(SipResponse response) {
        final B2bua b2bua = call.b2bua;
        ringTimer = b2bua.timers().cancel(ringTimer);
        state = State.ANSWERED;
        confirm(response);
        // Nothing is cancelled once answered; the lingering transaction needs only the ACK.
        invite.listener(new AckRepeater(b2bua, ack, dialog));
        invite = null;
        call.onCustomerAnswered(response);
    }

    /** The dialog from the 2xx (RFC 3261 12.1.2), and its ACK, with the INVITE's credentials (13.2.2.4). */
    private void confirm(SipResponse response) {
        final B2bua b2bua = call.b2bua;
        dialog.confirmAsUac(response);
        b2bua.updateTarget(response, dialog);
        final SipRequestBuilder b = dialog.request(SipMethod.ACK, inviteCseq,
                b2bua.local().newVia(dialog.destination.transport()), null);
        if (credentials != null) {
            b.header(credentialsHeader, credentials);
        }
        ack = b.toBytes();
        b2bua.layer().sendStateless(ack, dialog.destination);
    }

    /** A final failure from the customer's side. */
    private void failed(int status, String phrase) {
        final String what = status + " " + phrase;
        switch (status) {
            case 403 -> trunkFailed(Trunk.Failure.FORBIDDEN, status, "trunk " + trunk.id() + " refused the call: " + what);
            case 486, 600, 603 -> customerFailed(CallbackOutcome.Result.CUSTOMER_BUSY, CallStatus.BUSY, status,
                    "customer busy: " + what);
            case 408, 480, 487 -> customerFailed(CallbackOutcome.Result.CUSTOMER_NO_ANSWER, CallStatus.NO_ANSWER, status,
                    "customer did not answer: " + what);
            default -> {
                if (status >= 500 && status < 600) {
                    trunkFailed(Trunk.Failure.SERVER_ERROR, status, "trunk " + trunk.id() + " answered " + what);
                } else {
                    customerFailed(CallbackOutcome.Result.FAILED, CallStatus.FAILED, status,
                            "customer not reached: " + what);
                }
            }
        }
    }

    private void customerFailed(CallbackOutcome.Result result, CallStatus status, int sipStatus, String reason) {
        ringTimer = call.b2bua.timers().cancel(ringTimer);
        state = State.DONE;
        call.onCustomerFailed(result, status, sipStatus, reason);
    }

    private void trunkFailed(Trunk.Failure why, int sipStatus, String reason) {
        trunk.failed(why, reason);
        customerFailed(CallbackOutcome.Result.TRUNK_FAILED, CallStatus.FAILED, sipStatus, reason);
    }

    @Override
    public void onTimeout(ClientTransaction transaction, boolean transportError) {
        if (transaction != invite || (state != State.CALLING && state != State.RINGING)) {
            return;
        }
        try {
            trunkFailed(Trunk.Failure.UNREACHABLE, transportError ? 503 : 408, transportError
                    ? "trunk " + trunk.id() + " unreachable" : "trunk " + trunk.id() + " did not answer the INVITE");
        } catch (RuntimeException | Error e) {
            call.b2bua.failSafe(call, e);
        }
    }

    /** The customer's ring time ran out: the INVITE is cancelled and the try counts as not answered. */
    @Override
    public void onTimer(long timerId, long nowMs) {
        if (timerId != ringTimer) {
            return;
        }
        ringTimer = TimerService.NO_TIMER;
        try {
            abandon();
            call.onCustomerFailed(CallbackOutcome.Result.CUSTOMER_NO_ANSWER, CallStatus.NO_ANSWER, 487,
                    "customer did not answer within " + settings.config().ringTimeoutSeconds() + " s");
        } catch (RuntimeException | Error e) {
            call.b2bua.failSafe(call, e);
        }
    }

    /**
     * The call no longer wants the customer: the INVITE is cancelled now if a provisional came
     * (RFC 3261 9.1), else when one comes; a 2xx that crosses is acknowledged and hung up.
     */
    void abandon() {
        ringTimer = call.b2bua.timers().cancel(ringTimer);
        if (state == State.RINGING) {
            sendCancel();
        }
        if (state == State.CALLING || state == State.RINGING) {
            state = State.ABANDONED;
        } else if (state == State.WAITING) {
            state = State.DONE;
        }
    }

    private void onResponseWhenAbandoned(SipResponse response) {
        final int status = response.statusCode();
        if (status < 200) {
            if (!cancelSent) {
                sendCancel();
            }
        } else if (status < 300) {
            if (ack == null) {
                confirm(response);
                hangUp();
                call.b2bua.stats().lateAnswers++;
            } else {
                call.b2bua.layer().sendStateless(ack, dialog.destination);
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

    /** BYE to the customer; a challenge to it is answered once, as for the INVITE. */
    void hangUp() {
        new CustomerBye().send(null, null);
    }

    /** The outcome this try will report if the call ends before the customer answered. */
    void failure(CallbackOutcome.Result result) {
        failure = result;
    }

    /** Tells the listener the outcome, the first time only. */
    void report(CallbackOutcome.Result result, String reason) {
        if (reported) {
            return;
        }
        reported = true;
        try {
            listener.onOutcome(new CallbackOutcome(result, call.id, reason));
        } catch (RuntimeException e) {
            call.b2bua.reportError(e);
        }
    }

    /** The call ended: the trunk's place is given back, and the outcome told if it was not yet. */
    void ended(String reason) {
        if (placeHeld) {
            placeHeld = false;
            trunk.release();
        }
        report(failure == null ? CallbackOutcome.Result.FAILED : failure, reason);
    }

    /** A copy of a message's body (empty when it has none). */
    static byte[] bodyOf(SipMessage message) {
        final int offset = message.bodyOffset();
        return Arrays.copyOfRange(message.array(), offset, offset + message.bodyLength());
    }

    /** One BYE to the customer and, after a 401/407, the same with credentials (new CSeq). */
    private final class CustomerBye implements ClientTransactionListener {
        private boolean withCredentials;

        void send(HeaderName header, String value) {
            final B2bua b2bua = call.b2bua;
            final SipRequestBuilder b = dialog.request(SipMethod.BYE, dialog.nextCseq(),
                    b2bua.local().newVia(dialog.destination.transport()), null);
            if (header != null) {
                b.header(header, value);
            }
            final byte[] encoded = b.toBytes();
            b2bua.layer().sendNonInvite(Dialog.parseOwn(encoded), encoded, dialog.destination, this);
        }

        @Override
        public void onResponse(ClientTransaction transaction, SipResponse response) {
            final int status = response.statusCode();
            if ((status != 401 && status != 407) || withCredentials || settings.credentials() == null) {
                return;
            }
            final DigestChallenge challenge = DigestChallenge.strongest(response.headerValues(
                    status == 407 ? HeaderName.PROXY_AUTHENTICATE : HeaderName.WWW_AUTHENTICATE));
            if (challenge != null) {
                withCredentials = true;
                try {
                    send(status == 407 ? HeaderName.PROXY_AUTHORIZATION : HeaderName.AUTHORIZATION,
                            settings.credentials().authorization(challenge, SipMethod.BYE.name(), dialog.remoteTarget,
                                    BranchIds.cnonce(), 1));
                } catch (RuntimeException e) {
                    call.b2bua.reportError(e);
                }
            }
        }

        @Override
        public void onTimeout(ClientTransaction transaction, boolean transportError) {
            // The call is over on our side either way.
        }
    }
}
