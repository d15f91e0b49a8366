package org.callrouter.server.b2bua;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.callrouter.sip.codec.SipParseException;
import org.callrouter.sip.codec.SipRequestBuilder;
import org.callrouter.sip.message.HeaderName;
import org.callrouter.sip.message.SipMethod;
import org.callrouter.sip.message.SipResponse;
import org.callrouter.server.transaction.ServerTransaction;

/**
 * The handler's side of RFC 3262, where the router is the UAC: the early dialogs of one
 * handler leg, one per fork (told apart by the To tag of their 18x), each with its own RSeq
 * space, and the PRACKs that acknowledge their reliable provisional responses (section 4).
 * Made only when a handler sends a reliable 18x or the carrier updates the early session, so
 * a plain call never has one.
 */
final class HandlerPrack {

    /** One early dialog: its dialog state from the 18x (target, route set, tag) and its last RSeq. */
    private static final class Fork {
        final Dialog dialog;
        /** The RSeq of the last reliable 18x taken from this fork; -1 before the first. */
        long lastRseq = -1;

        Fork(Dialog dialog) {
            this.dialog = dialog;
        }
    }

    private final HandlerLeg leg;
    private Fork[] forks = new Fork[1];
    private int forkCount;
    /** The early dialog of the latest 18x, where a carrier's early UPDATE goes. */
    private Fork latest;

    HandlerPrack(HandlerLeg leg) {
        this.leg = leg;
    }

    /**
     * A reliable 18x ({@code Require: 100rel}) from the handler. RFC 3262 4: the first of its
     * early dialog, or the one whose RSeq is one higher than the last, is taken and owes a
     * PRACK; any other (a retransmission, one out of order, one without RSeq or To tag) is
     * neither acknowledged nor processed further.
     *
     * @return the PRACK it owes, or null when it is to be dropped
     */
    Owed onReliable(SipResponse response, long inviteCseq) {
        final long rseq;
        try {
            rseq = response.rseq();
        } catch (SipParseException e) {
            return null;
        }
        if (rseq < 0 || response.toTag() == null) {
            return null;
        }
        final Fork fork = forkOf(response, inviteCseq);
        if (fork.lastRseq >= 0 && rseq != fork.lastRseq + 1) {
            return null;
        }
        fork.lastRseq = rseq;
        leg.call().b2bua.stats().provisionalsPracked++;
        return new Owed(leg, fork.dialog, rseq + " " + inviteCseq + " " + SipMethod.INVITE.name());
    }

    /** Takes note of an early dialog from an 18x with a To tag (reliable or not): where an early UPDATE goes. */
    void onProvisional(SipResponse response, long inviteCseq) {
        if (response.toTag() != null) {
            forkOf(response, inviteCseq);
        }
    }

    /** The early dialog of the latest 18x with a To tag, or null. */
    Dialog latest() {
        return latest == null ? null : latest.dialog;
    }

    /** The highest CSeq any early dialog with {@code tag} used: the confirmed dialog goes on from it. */
    long cseqOf(String tag) {
        for (int i = 0; i < forkCount; i++) {
            if (forks[i].dialog.isRemoteTag(tag)) {
                return forks[i].dialog.localCseq;
            }
        }
        return 0;
    }

    /** The last CSeq of each early dialog by its To tag: kept after the answer without the leg (see {@link AckRepeater}). */
    Map<String, Long> cseqsByTag() {
        final Map<String, Long> cseqs = new HashMap<>(forkCount * 2);
        for (int i = 0; i < forkCount; i++) {
            cseqs.put(forks[i].dialog.remoteTag(), forks[i].dialog.localCseq);
        }
        return cseqs;
    }

    /** RFC 3261 12.1.2: the early dialog of {@code response}'s To tag, made from it the first time. */
    private Fork forkOf(SipResponse response, long inviteCseq) {
        final String tag = response.toTag();
        for (int i = 0; i < forkCount; i++) {
            if (forks[i].dialog.isRemoteTag(tag)) {
                latest = forks[i];
                return latest;
            }
        }
        final Dialog legDialog = leg.dialog;
        final Dialog early = new Dialog(legDialog.callId, legDialog.localHeader, response.header(HeaderName.TO),
                inviteCseq);
        // Without a Contact the 18x leaves the handler's URI as the target, and its address as where requests go.
        early.remoteTarget = legDialog.remoteTarget;
        early.destination = legDialog.destination;
        early.peer = legDialog.peer;
        early.confirmAsUac(response);
        leg.call().b2bua.updateTarget(response, early);
        if (forkCount == forks.length) {
            forks = Arrays.copyOf(forks, forkCount * 2);
        }
        latest = new Fork(early);
        forks[forkCount++] = latest;
        return latest;
    }

    /**
     * The PRACK a reliable 18x owes (RFC 3262 4): sent at once when the carrier does not
     * acknowledge it itself, else when the carrier's PRACK for it comes, carrying any offer or
     * answer that PRACK had ({@link #relay}).
     */
    static final class Owed {
        final HandlerLeg leg;
        private final Dialog fork;
        private final String rack;
        private boolean sent;

        Owed(HandlerLeg leg, Dialog fork, String rack) {
            this.leg = leg;
            this.fork = fork;
            this.rack = rack;
        }

        /** Sends the PRACK without a body (once); its answer does not matter. */
        void send() {
            if (sent) {
                return;
            }
            sent = true;
            final B2bua b2bua = leg.call().b2bua;
            final SipRequestBuilder b = fork.request(SipMethod.PRACK, fork.nextCseq(),
                    b2bua.local().newVia(fork.destination.transport()), null)
                    .header(HeaderName.RACK, rack);
            final byte[] encoded = b.toBytes();
            b2bua.layer().sendNonInvite(Dialog.parseOwn(encoded), encoded, fork.destination, B2bua.IGNORE);
        }

        /** Whether the PRACK is still to go: the carrier's PRACK may carry its body. */
        boolean pending() {
            return !sent;
        }

        /**
         * Sends the PRACK with the body of the carrier's PRACK ({@code origin}, an offer or an
         * answer, RFC 3262 5), and passes the handler's answer to it back to the carrier.
         */
        void relay(Call call, ServerTransaction origin) {
            sent = true;
            new Relay(call, origin, true, fork, null, null).rack(rack).start();
        }
    }
}
