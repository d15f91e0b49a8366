package org.callrouter.loadtest.carrier;

import java.net.InetSocketAddress;
import org.callrouter.loadtest.net.SipAddresses;
import org.callrouter.loadtest.stats.StepStats;
import org.callrouter.loadtest.time.SipTimers;
import org.callrouter.loadtest.time.Timeout;
import org.callrouter.sip.codec.SipParseException;
import org.callrouter.sip.message.SipMethod;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.sip.message.SipResponse;

/**
 * One call the carrier places: the INVITE client transaction (RFC 3261 17.1.1, Timers A and B),
 * the ACK of a 2xx (13.2.2.4), the hold, the BYE (15.1.1, Timers E and F) and, when asked, the
 * CANCEL (9.1) after a provisional answer. One {@link Timeout} serves every timer: it is armed for
 * the earliest of the next retransmission, the state's deadline and the planned CANCEL.
 *
 * <p>A call counts in its step's statistics once as answered (at the 2xx) and once as it ends:
 * completed, canceled, shed or failed. Event loop only.
 */
final class CarrierCall {

    /** Where the call is. */
    enum State {
        /** INVITE sent, nothing heard: retransmitting (Timer A) until Timer B. */
        CALLING,
        /** A provisional arrived: waiting for the final answer until the answer timeout. */
        PROCEEDING,
        /** CANCEL sent: waiting for the 487 (retransmitting the CANCEL until its 200). */
        CANCELLING,
        /** 2xx received and ACKed: holding until the BYE. */
        CONFIRMED,
        /** BYE sent: retransmitting (Timer E) until its final answer or Timer F. */
        TERMINATING,
        /** Over: kept for a while to re-ACK retransmitted final answers, then forgotten. */
        ENDED
    }

    /** Why a CANCEL was sent. */
    private enum CancelCause { NONE, PLANNED, ANSWER_TIMEOUT }

    static final String TIMEOUT_INVITE = "timeout-invite";
    static final String TIMEOUT_ANSWER = "timeout-answer";
    static final String TIMEOUT_CANCEL = "timeout-cancel";
    static final String TIMEOUT_BYE = "timeout-bye";
    static final String PEER_BYE = "peer-bye";
    static final String UNROUTABLE = "unroutable-2xx";
    static final String UNFINISHED = "unfinished";

    private static final long NEVER = Long.MAX_VALUE;

    private final CarrierSide side;
    private final int key;
    private final long seq;
    private final StepStats step;
    private final Timeout timeout = new Timeout(this::onTimeout);

    private State state = State.CALLING;
    private byte[] invite;
    private byte[] cancel;
    private byte[] bye;
    private byte[] finalAck;
    private CarrierDialog dialog;
    private CancelCause cancelCause = CancelCause.NONE;
    private boolean cancelWanted;
    private boolean cancelAnswered;
    private boolean responded;
    private boolean byeRetransmitted;

    private long holdNs;
    private long inviteSentNs;
    private long handlerInviteNs;
    private long handlerAnswerNs;
    private int handlerInvites;

    private long retransmitIntervalNs;
    private long retransmitAtNs = NEVER;
    private long deadlineNs = NEVER;
    private long cancelAtNs = NEVER;

    /** Call number {@code seq} with caller-number key {@code key}, counted in {@code step}. */
    CarrierCall(CarrierSide side, int key, long seq, StepStats step) {
        this.side = side;
        this.key = key;
        this.seq = seq;
        this.step = step;
    }

    int key() {
        return key;
    }

    String callId() {
        return side.ids().callId(key, seq);
    }

    String caller() {
        return side.numbers().number(key);
    }

    String fromTag() {
        return side.ids().fromTag(seq);
    }

    String branch(char kind) {
        return side.ids().branch(key, seq, kind);
    }

    /**
     * Sends the INVITE; once answered the call lasts {@code holdNs}; a planned CANCEL goes
     * {@code cancelAfterNs} later (negative: none).
     */
    void start(long nowNs, long holdNs, long cancelAfterNs) {
        this.holdNs = holdNs;
        invite = side.messages().invite(this);
        inviteSentNs = nowNs;
        side.send(invite, side.target());
        step.attempted();
        startTransaction(nowNs);
        if (cancelAfterNs >= 0) {
            cancelAtNs = nowNs + cancelAfterNs;
        }
        arm();
    }

    /** A handler of this process received this call's INVITE (one per handler tried). */
    void handlerInviteReceived(long nowNs) {
        handlerInvites++;
        handlerInviteNs = nowNs;
    }

    /** The handler that received its INVITE at {@code inviteReceivedNs} sent its 200 at {@code answerSentNs}. */
    void handlerAnswered(long inviteReceivedNs, long answerSentNs) {
        if (handlerAnswerNs == 0) {
            handlerInviteNs = inviteReceivedNs;
            handlerAnswerNs = answerSentNs;
        }
    }

    /** A response whose top Via branch is one of this call's. */
    void onResponse(SipResponse response, long nowNs) {
        SipMethod method = response.cseq().method();
        int status = response.statusCode();
        if (method.equals(SipMethod.INVITE)) {
            onInviteResponse(response, status, nowNs);
        } else if (method.equals(SipMethod.BYE)) {
            onByeResponse(status, nowNs);
        } else if (method.equals(SipMethod.CANCEL)) {
            if (status >= 200 && state == State.CANCELLING) {
                cancelAnswered = true;
                retransmitAtNs = NEVER;
                arm();
            }
        } else {
            side.unexpected("response to " + method.name());
        }
    }

    private void onInviteResponse(SipResponse response, int status, long nowNs) {
        if (!responded && state != State.ENDED) {
            responded = true;
            step.firstResponse(nowNs - inviteSentNs);
        }
        if (status < 200) {
            onProvisional(nowNs);
        } else if (status < 300) {
            on2xx(response, nowNs);
        } else {
            onFailureAnswer(response, status, nowNs);
        }
        arm();
    }

    private void onProvisional(long nowNs) {
        if (state != State.CALLING) {
            return;
        }
        state = State.PROCEEDING;
        retransmitAtNs = NEVER;
        deadlineNs = inviteSentNs + side.answerTimeoutNs();
        if (cancelWanted) {
            sendCancel(nowNs, CancelCause.PLANNED);
        }
    }

    private void on2xx(SipResponse ok, long nowNs) {
        switch (state) {
            case CALLING, PROCEEDING, CANCELLING -> {
                step.answered(nowNs, nowNs - inviteSentNs, handlerInviteNs, handlerAnswerNs, inviteSentNs);
                side.answered(nowNs - inviteSentNs);
                try {
                    dialog = CarrierDialog.of(ok, side.addresses());
                } catch (IllegalArgumentException | SipParseException e) {
                    side.errors().report("reading the 2xx of " + callId(), e);
                    end(nowNs, UNROUTABLE);
                    return;
                }
                boolean cancelled = state == State.CANCELLING || cancelWanted;
                invite = null;
                cancel = null;
                state = State.CONFIRMED;
                retransmitAtNs = NEVER;
                cancelAtNs = NEVER;
                side.send(side.messages().ack(this, dialog), dialog.nextHop());
                if (cancelled || holdNs == 0) {
                    sendBye(nowNs);
                } else {
                    deadlineNs = nowNs + holdNs;
                }
            }
            case CONFIRMED, TERMINATING, ENDED -> {
                // the 2xx again: our ACK was lost or late (RFC 3261 13.2.2.4)
                if (dialog != null) {
                    side.send(side.messages().ack(this, dialog), dialog.nextHop());
                    side.ackResent();
                }
            }
        }
    }

    private void onFailureAnswer(SipResponse response, int status, long nowNs) {
        switch (state) {
            case CALLING, PROCEEDING, CANCELLING -> {
                finalAck = CarrierMessages.ackNon2xx(invite, response);
                side.send(finalAck, side.target());
                if (status == 503) {
                    step.shed();
                    end(nowNs, null);
                } else if (status == 487 && cancelCause == CancelCause.PLANNED) {
                    step.canceled();
                    end(nowNs, null);
                } else {
                    end(nowNs, status == 487 && cancelCause == CancelCause.ANSWER_TIMEOUT
                            ? TIMEOUT_ANSWER : "status-" + status);
                }
            }
            case ENDED -> {
                if (finalAck != null) {
                    side.send(finalAck, side.target());
                    side.ackResent();
                }
            }
            default -> side.unexpected("final " + status + " to an INVITE already answered 2xx");
        }
    }

    private void onByeResponse(int status, long nowNs) {
        if (status < 200 || state != State.TERMINATING) {
            return;
        }
        if (status < 300) {
            step.completed();
            end(nowNs, null);
            if (!byeRetransmitted) {
                // nothing will be retransmitted to this call: no need to linger
                side.wheel().cancel(timeout);
                side.forget(this);
                return;
            }
        } else {
            end(nowNs, "bye-status-" + status);
        }
        arm();
    }

    /** A request inside this call's dialog (its Call-ID), from {@code sender}. */
    void onRequest(SipRequest request, InetSocketAddress sender, long nowNs) {
        SipMethod method = request.method();
        if (method.equals(SipMethod.ACK)) {
            return;
        }
        InetSocketAddress replyTo = SipAddresses.responseAddress(request, sender);
        if (method.equals(SipMethod.INVITE)) {
            side.send(side.messages().reinviteOk(this, request), replyTo);
            return;
        }
        side.send(CarrierMessages.ok(request), replyTo);
        if (method.equals(SipMethod.BYE) && state == State.CONFIRMED) {
            end(nowNs, PEER_BYE);
            arm();
        }
    }

    /** The run is over and this call has not ended: it fails as unfinished. */
    void abandon(long nowNs) {
        if (state != State.ENDED) {
            end(nowNs, UNFINISHED);
        }
        side.wheel().cancel(timeout);
    }

    private void onTimeout(long nowNs) {
        if (cancelAtNs <= nowNs) {
            cancelAtNs = NEVER;
            if (state == State.CALLING) {
                // RFC 3261 9.1: no CANCEL before a provisional response
                cancelWanted = true;
            } else if (state == State.PROCEEDING) {
                sendCancel(nowNs, CancelCause.PLANNED);
            }
        }
        if (deadlineNs <= nowNs) {
            onDeadline(nowNs);
        } else if (retransmitAtNs <= nowNs) {
            retransmit(nowNs);
        }
        arm();
    }

    private void onDeadline(long nowNs) {
        switch (state) {
            case CALLING -> end(nowNs, TIMEOUT_INVITE);
            case PROCEEDING -> sendCancel(nowNs, CancelCause.ANSWER_TIMEOUT);
            case CANCELLING -> end(nowNs, cancelCause == CancelCause.PLANNED ? TIMEOUT_CANCEL : TIMEOUT_ANSWER);
            case CONFIRMED -> sendBye(nowNs);
            case TERMINATING -> end(nowNs, TIMEOUT_BYE);
            case ENDED -> {
                deadlineNs = NEVER;
                side.forget(this);
            }
        }
    }

    private void retransmit(long nowNs) {
        SipTimers t = side.timers();
        switch (state) {
            case CALLING -> {
                side.send(invite, side.target());
                side.retransmitted("INVITE");
                retransmitIntervalNs = t.nextInviteInterval(retransmitIntervalNs);
            }
            case CANCELLING -> {
                side.send(cancel, side.target());
                side.retransmitted("CANCEL");
                retransmitIntervalNs = t.nextCappedInterval(retransmitIntervalNs);
            }
            case TERMINATING -> {
                side.send(bye, dialog.nextHop());
                side.retransmitted("BYE");
                byeRetransmitted = true;
                retransmitIntervalNs = t.nextCappedInterval(retransmitIntervalNs);
            }
            default -> {
                retransmitAtNs = NEVER;
                return;
            }
        }
        retransmitAtNs = nowNs + retransmitIntervalNs;
    }

    private void sendCancel(long nowNs, CancelCause cause) {
        cancelCause = cause;
        cancel = CarrierMessages.cancel(invite);
        side.send(cancel, side.target());
        state = State.CANCELLING;
        startTransaction(nowNs);
    }

    private void sendBye(long nowNs) {
        bye = side.messages().bye(this, dialog);
        side.send(bye, dialog.nextHop());
        state = State.TERMINATING;
        startTransaction(nowNs);
    }

    /** A request just sent: retransmit it after T1, give up after 64*T1 (Timers A/B, E/F). */
    private void startTransaction(long nowNs) {
        SipTimers t = side.timers();
        retransmitIntervalNs = t.t1Ns();
        retransmitAtNs = nowNs + retransmitIntervalNs;
        deadlineNs = nowNs + t.transactionTimeoutNs();
    }

    /**
     * Ends the call: counts it as failed for {@code failure} unless null (the caller counted the
     * outcome), frees what only a live call needs and lingers to absorb retransmissions.
     */
    private void end(long nowNs, String failure) {
        if (failure != null) {
            step.failed(failure);
        }
        if (handlerInvites > 1) {
            step.failedOver();
        }
        state = State.ENDED;
        invite = null;
        cancel = null;
        bye = null;
        retransmitAtNs = NEVER;
        cancelAtNs = NEVER;
        deadlineNs = nowNs + side.timers().lingerNs();
        side.ended(this);
    }

    private void arm() {
        long at = Math.min(deadlineNs, Math.min(retransmitAtNs, cancelAtNs));
        if (at == NEVER) {
            side.wheel().cancel(timeout);
        } else {
            side.wheel().schedule(timeout, at);
        }
    }
}
