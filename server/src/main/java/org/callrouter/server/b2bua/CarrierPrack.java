package org.callrouter.server.b2bua;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.ThreadLocalRandom;

import org.callrouter.sip.codec.SipParseException;
import org.callrouter.sip.codec.SipResponseBuilder;
import org.callrouter.sip.header.RAck;
import org.callrouter.sip.message.HeaderName;
import org.callrouter.sip.message.SipMessage;
import org.callrouter.sip.message.SipMethod;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.server.timer.TimerService;
import org.callrouter.server.timer.TimerTarget;
import org.callrouter.server.transaction.ServerTransaction;

/**
 * The carrier's side of RFC 3262, where the router is the UAS: made when the carrier's INVITE
 * says {@code Supported} or {@code Require: 100rel}. Every 18x the router relays goes out
 * reliably ({@code Require: 100rel}, {@code RSeq} from a random start, one higher each time),
 * retransmitted at T1, 2*T1, 4*T1... until the carrier's PRACK (section 3); one is
 * unacknowledged at a time and later ones wait in order (a waiting one without a body is
 * dropped when a newer one comes; a handler's copy of its last plain 18x is not sent again). The carrier's PRACK is answered here; a 2xx waits until
 * the last reliable 18x sent was acknowledged. No PRACK within 64*T1: the call ends with 500
 * ({@link Call#onPrackTimeout}).
 */
final class CarrierPrack implements TimerTarget {

    /** The option tag of the extension (RFC 3262 3). */
    static final String TAG = "100rel";

    /** Where the carrier's side stands. */
    enum State {
        /** No reliable 18x unacknowledged: the next goes at once, a 2xx too. */
        IDLE,
        /** A reliable 18x awaits its PRACK; later ones and a 2xx wait. */
        AWAITING_PRACK,
        /** Over: a final answer went, or the call ended. */
        STOPPED
    }

    /** An 18x to send reliably, with the PRACK it owes the handler (null when its 18x was not reliable). */
    private record Provisional(int status, String reason, String contentType, byte[] body, HandlerPrack.Owed owed) {
    }

    private final Call call;
    private final long t1Ms;
    private State state = State.IDLE;
    private long nextRseq = ThreadLocalRandom.current().nextLong(1, 1L << 31);
    /** The unacknowledged 18x: its RSeq, status, bytes and what it owes the handler. */
    private long sentRseq;
    private int sentStatus;
    private byte[] sent;
    private HandlerPrack.Owed sentOwed;
    private final ArrayDeque<Provisional> waiting = new ArrayDeque<>(2);
    /** The latest 18x taken (sent or waiting): a copy of it from the handler adds nothing. */
    private Provisional latest;
    /** The 2xx held until the unacknowledged 18x is acknowledged; null when none. */
    private byte[] held;
    private int heldStatus;
    private long timer = TimerService.NO_TIMER;
    private long intervalMs;
    private long giveUpAtMs;

    CarrierPrack(Call call, long t1Ms) {
        this.call = call;
        this.t1Ms = t1Ms;
    }

    /** Whether the carrier's INVITE supports or requires {@code 100rel} (its option tags are valid by now). */
    static boolean wantedBy(SipRequest invite) {
        return invite.listsOptionTag(HeaderName.SUPPORTED, TAG) || invite.listsOptionTag(HeaderName.REQUIRE, TAG);
    }

    /**
     * A handler's 18x for the carrier: sent reliably now, or queued behind the unacknowledged
     * one. {@code owed} is the handler's PRACK when its 18x was reliable: it waits for the
     * carrier's PRACK of this 18x, whose body it then carries.
     */
    void relay(int status, String reason, SipMessage source, HandlerPrack.Owed owed) {
        if (state == State.STOPPED) {
            return;
        }
        final byte[] body = source.bodyLength() > 0 ? source.body() : null;
        if (owed == null && latest != null && latest.status() == status && Arrays.equals(latest.body(), body)) {
            // A handler resends its last plain 18x when our INVITE is retransmitted (RFC 3261
            // 17.2.1): towards this carrier it would be one more 18x to PRACK, saying nothing new.
            return;
        }
        final Provisional next = new Provisional(status, reason, body == null ? null : source.contentType(), body, owed);
        latest = next;
        if (state == State.IDLE) {
            send(next);
            return;
        }
        // Only the latest call progress matters; an early session description is never dropped.
        for (Iterator<Provisional> it = waiting.iterator(); it.hasNext(); ) {
            final Provisional older = it.next();
            if (older.body() == null) {
                it.remove();
                if (older.owed() != null) {
                    older.owed().send();
                }
            }
        }
        waiting.add(next);
    }

    /**
     * A 2xx for the carrier: held while a reliable 18x is unacknowledged (RFC 3262 3), and 18x
     * still waiting are dropped (the 2xx says more; the PRACKs they owed the handler went in
     * {@link #onHandlerAnswer}).
     *
     * @return true when held; false when it may go now
     */
    boolean holds(int status, byte[] answer) {
        if (state != State.AWAITING_PRACK) {
            return false;
        }
        waiting.clear();
        held = answer;
        heldStatus = status;
        return true;
    }

    /**
     * The handler answered: the PRACKs still owed to it (for the unacknowledged 18x and those
     * waiting) go now, in the early dialog that is becoming the call's, before the dialog's own
     * requests take the next CSeq.
     */
    void onHandlerAnswer() {
        if (sentOwed != null) {
            sentOwed.send();
        }
        for (Provisional p : waiting) {
            if (p.owed() != null) {
                p.owed().send();
            }
        }
    }

    /** A final answer went to the carrier, or the call ended: nothing more to retransmit. */
    void stop() {
        state = State.STOPPED;
        timer = call.b2bua.timers().cancel(timer);
        waiting.clear();
        sent = null;
        held = null;
        latest = null;
    }

    /**
     * The carrier's PRACK (RFC 3262 3): one matching the unacknowledged 18x (RAck: its RSeq, the
     * INVITE's CSeq) stops its retransmissions and is answered 200, or with the handler's answer
     * when it carries a body relayed in the handler's PRACK; then the next 18x or the held 2xx
     * goes. A body that cannot be relayed (the handler's 18x was not reliable, or the handler
     * already answered) gets 488; a PRACK matching nothing, 481.
     */
    void onPrack(ServerTransaction transaction, long inviteCseq) {
        final SipRequest prack = transaction.request();
        final RAck rack;
        try {
            rack = prack.rack();
        } catch (SipParseException e) {
            refuse(transaction, 400, e.reason());
            return;
        }
        if (rack == null) {
            refuse(transaction, 400, "PRACK without RAck");
            return;
        }
        if (state != State.AWAITING_PRACK || rack.rseq() != sentRseq || rack.cseq() != inviteCseq
                || !rack.method().equals(SipMethod.INVITE)) {
            refuse(transaction, 481, "RAck " + rack + " matches no unacknowledged reliable provisional response");
            return;
        }
        timer = call.b2bua.timers().cancel(timer);
        state = State.IDLE;
        sent = null;
        final HandlerPrack.Owed owed = sentOwed;
        sentOwed = null;
        final boolean relayable = owed != null && owed.pending() && call.stillRinging(owed.leg);
        if (prack.bodyLength() > 0 && relayable) {
            owed.relay(call, transaction);
        } else {
            if (prack.bodyLength() > 0) {
                refuse(transaction, 488, "an offer or answer in PRACK is relayed only to a handler whose 18x was"
                        + " reliable and that has not answered yet");
            } else {
                transaction.respond(200, "OK");
            }
            if (owed != null && call.stillRinging(owed.leg)) {
                owed.send();
            }
        }
        final Provisional next = waiting.poll();
        if (next != null) {
            send(next);
        } else if (held != null) {
            final byte[] answer = held;
            held = null;
            call.respondToCarrier(heldStatus, answer);
        }
    }

    private void send(Provisional p) {
        final SipResponseBuilder b = call.carrierResponse(p.status(), p.reason(), null)
                .header(HeaderName.REQUIRE, TAG)
                .header(HeaderName.RSEQ, Long.toString(nextRseq));
        if (p.body() != null) {
            b.body(p.contentType(), p.body(), 0, p.body().length);
        }
        sentRseq = nextRseq++;
        sentStatus = p.status();
        sent = b.toBytes();
        sentOwed = p.owed();
        state = State.AWAITING_PRACK;
        call.respondToCarrier(sentStatus, sent);
        final long now = call.b2bua.monoMs();
        giveUpAtMs = now + 64 * t1Ms;
        intervalMs = t1Ms;
        timer = call.b2bua.timers().schedule(this, now + intervalMs);
    }

    @Override
    public void onTimer(long timerId, long nowMs) {
        if (timerId != timer || state != State.AWAITING_PRACK) {
            return;
        }
        timer = TimerService.NO_TIMER;
        try {
            final long now = call.b2bua.monoMs();
            if (now >= giveUpAtMs) {
                stop();
                call.onPrackTimeout(64 * t1Ms);
                return;
            }
            call.respondToCarrier(sentStatus, sent);
            // RFC 3262 3: the interval starts at T1 and doubles, with no T2 cap (unlike timer G).
            intervalMs *= 2;
            timer = call.b2bua.timers().schedule(this, Math.min(now + intervalMs, giveUpAtMs));
        } catch (RuntimeException | Error e) {
            call.b2bua.failSafe(call, e);
        }
    }

    private static void refuse(ServerTransaction transaction, int status, String why) {
        transaction.respond(status, SipResponseBuilder.forRequest(transaction.request(), status, Reasons.of(status))
                .header(HeaderName.REASON, Reasons.header(status, why))
                .toBytes());
    }
}
