package org.callrouter.loadtest.handler;

import java.net.InetSocketAddress;
import org.callrouter.loadtest.time.SipTimers;
import org.callrouter.loadtest.time.Timeout;
import org.callrouter.sip.message.SipMethod;
import org.callrouter.sip.message.SipRequest;

/**
 * One INVITE a handler received and the dialog it may set up: the INVITE server transaction
 * (RFC 3261 17.2.1; retransmitted INVITEs get the last answer again), the final answer its
 * {@link HandlerAction} asks for after the answer delay, that answer retransmitted until the ACK
 * (Timer G; for a 2xx, 13.3.1.4) or 64*T1, a CANCEL turned into 487 (9.2), and the BYE that ends
 * the dialog. Afterwards it lingers to answer retransmissions. Event loop only.
 */
final class HandlerCall {

    /** Where the call is. */
    enum State {
        /** The final answer waits for the answer delay. */
        WAITING,
        /** Ringing and never answered: only a CANCEL ends it. */
        RINGING,
        /** 2xx sent: retransmitting it until the ACK. */
        ANSWERED,
        /** Non-2xx final sent: retransmitting it until the ACK. */
        REJECTED,
        /** 2xx ACKed: waiting for the BYE. */
        CONFIRMED,
        /** Over: lingering to answer retransmissions, then forgotten. */
        ENDED
    }

    private static final long NEVER = Long.MAX_VALUE;

    private final HandlerPort port;
    private final String branch;
    private final String callId;
    private final String toTag;
    private final HandlerAction action;
    private String caller;
    private InetSocketAddress replyTo;
    private final long inviteReceivedNs;
    private final Timeout timeout = new Timeout(this::onTimeout);

    private State state;
    private SipRequest invite;
    private byte[] lastAnswer;
    private long retransmitIntervalNs;
    private long retransmitAtNs = NEVER;
    private long deadlineNs = NEVER;

    HandlerCall(HandlerPort port, SipRequest invite, String branch, String toTag, String caller,
            HandlerAction action, InetSocketAddress replyTo, long nowNs) {
        this.port = port;
        this.invite = invite;
        this.branch = branch;
        this.callId = invite.callId();
        this.toTag = toTag;
        this.caller = caller;
        this.action = action;
        this.replyTo = replyTo;
        this.inviteReceivedNs = nowNs;
    }

    String branch() {
        return branch;
    }

    String callId() {
        return callId;
    }

    String toTag() {
        return toTag;
    }

    State state() {
        return state;
    }

    /** Answers the new INVITE as the action and the port's behaviour say. */
    void start(long nowNs) {
        HandlerBehaviour behaviour = port.behaviour();
        HandlerStats stats = port.stats();
        if (action == HandlerAction.NO_ANSWER || behaviour.ring()) {
            sendAnswer(port.messages().answer(invite, 180, "Ringing", toTag));
        } else if (behaviour.answerDelayNs() >= 200_000_000L) {
            // RFC 3261 17.2.1: a UAS that will not answer within 200 ms sends 100 Trying
            sendAnswer(HandlerMessages.trying(invite));
        }
        if (action == HandlerAction.NO_ANSWER) {
            stats.noAnswer++;
            state = State.RINGING;
        } else if (behaviour.answerDelayNs() == 0) {
            sendFinal(nowNs);
        } else {
            state = State.WAITING;
            deadlineNs = nowNs + behaviour.answerDelayNs();
            arm();
        }
    }

    /** The INVITE again (same branch): the last answer again. */
    void onInviteRetransmission() {
        port.stats().inviteRetransmissions++;
        if (lastAnswer != null) {
            port.send(lastAnswer, replyTo);
        }
    }

    /** A CANCEL of this INVITE (RFC 3261 9.2). */
    void onCancel(SipRequest cancel, InetSocketAddress cancelReplyTo, long nowNs) {
        port.send(HandlerMessages.okFor(cancel, toTag), cancelReplyTo);
        if (state == State.WAITING || state == State.RINGING) {
            port.stats().canceled++;
            reject(487, "Request Terminated", nowNs);
        }
    }

    /**
     * An ACK: for the 2xx (new branch, same Call-ID) or for a non-2xx final (same branch). A
     * multi-threaded router may pass the BYE on before the ACK: a late ACK is counted and absorbed.
     */
    void onAck(long nowNs) {
        port.stats().acks++;
        if (state == State.ANSWERED) {
            state = State.CONFIRMED;
            lastAnswer = null;
            retransmitAtNs = NEVER;
            deadlineNs = NEVER;
            arm();
        } else if (state == State.REJECTED) {
            end(nowNs);
        }
    }

    /** A BYE in this dialog (RFC 3261 15.1.2). */
    void onBye(SipRequest bye, InetSocketAddress byeReplyTo, long nowNs) {
        port.send(HandlerMessages.okFor(bye, toTag), byeReplyTo);
        switch (state) {
            case ANSWERED, CONFIRMED -> {
                port.stats().byes++;
                end(nowNs);
            }
            case WAITING, RINGING -> {
                // a BYE before the final answer ends the INVITE with 487
                reject(487, "Request Terminated", nowNs);
                end(nowNs);
            }
            default -> {
                // the BYE again, or one crossing our non-2xx: answered, nothing changes
            }
        }
    }

    /** Another request in this dialog: INFO, UPDATE, OPTIONS, a re-INVITE. */
    void onInDialogRequest(SipRequest request, InetSocketAddress requestReplyTo) {
        port.stats().inDialogRequests++;
        byte[] response = request.method().equals(SipMethod.INVITE) ? port.messages().reinviteOk(request)
                : HandlerMessages.okFor(request, toTag);
        port.send(response, requestReplyTo);
    }

    private void onTimeout(long nowNs) {
        if (deadlineNs <= nowNs) {
            onDeadline(nowNs);
        } else if (retransmitAtNs <= nowNs && lastAnswer != null) {
            port.send(lastAnswer, replyTo);
            port.stats().finalRetransmissions++;
            retransmitIntervalNs = port.timers().nextCappedInterval(retransmitIntervalNs);
            retransmitAtNs = nowNs + retransmitIntervalNs;
        }
        arm();
    }

    private void onDeadline(long nowNs) {
        switch (state) {
            case WAITING -> sendFinal(nowNs);
            case ANSWERED, REJECTED -> {
                port.stats().ackTimeouts++;
                end(nowNs);
            }
            case ENDED -> {
                deadlineNs = NEVER;
                port.forget(this);
            }
            default -> deadlineNs = NEVER;
        }
    }

    private void sendFinal(long nowNs) {
        if (action == HandlerAction.BUSY) {
            port.stats().busy++;
            int status = port.behaviour().busyStatus();
            reject(status, status == 486 ? "Busy Here" : "Refused", nowNs);
            return;
        }
        port.stats().answered++;
        sendAnswer(port.messages().ok(invite, toTag));
        port.correlation().answered(caller, inviteReceivedNs, nowNs);
        state = State.ANSWERED;
        invite = null;
        awaitAck(nowNs);
    }

    private void reject(int status, String reason, long nowNs) {
        sendAnswer(port.messages().answer(invite, status, reason, toTag));
        state = State.REJECTED;
        invite = null;
        awaitAck(nowNs);
    }

    private void awaitAck(long nowNs) {
        SipTimers t = port.timers();
        retransmitIntervalNs = t.t1Ns();
        retransmitAtNs = nowNs + retransmitIntervalNs;
        deadlineNs = nowNs + t.transactionTimeoutNs();
        arm();
    }

    private void sendAnswer(byte[] answer) {
        lastAnswer = answer;
        port.send(answer, replyTo);
    }

    private void end(long nowNs) {
        state = State.ENDED;
        port.ended(this);
        // a lingering call only answers retransmissions: keep just what finds it
        invite = null;
        lastAnswer = null;
        caller = null;
        replyTo = null;
        retransmitAtNs = NEVER;
        deadlineNs = nowNs + port.timers().lingerNs();
        arm();
    }

    private void arm() {
        long at = Math.min(deadlineNs, retransmitAtNs);
        if (at == NEVER) {
            port.wheel().cancel(timeout);
        } else {
            port.wheel().schedule(timeout, at);
        }
    }
}
