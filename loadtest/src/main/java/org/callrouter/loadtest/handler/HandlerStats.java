package org.callrouter.loadtest.handler;

import org.callrouter.loadtest.stats.Counts;

/**
 * What one handler port saw and did. Updated on the event loop; read by the main thread once the
 * loop has stopped, or by the loop for live progress.
 */
public final class HandlerStats {

    long invites;
    long inviteRetransmissions;
    long answered;
    long noAnswer;
    long busy;
    long canceled;
    long acks;
    long ackTimeouts;
    long byes;
    long inDialogRequests;
    long options;
    long finalRetransmissions;
    private final Counts unexpected = new Counts();

    /** New INVITEs received (retransmissions excluded). */
    public long invites() {
        return invites;
    }

    /** Retransmitted INVITEs absorbed (the last answer re-sent). */
    public long inviteRetransmissions() {
        return inviteRetransmissions;
    }

    /** INVITEs answered 200. */
    public long answered() {
        return answered;
    }

    /** INVITEs left ringing by the no-answer share. */
    public long noAnswer() {
        return noAnswer;
    }

    /** INVITEs refused busy (486, or the port's busy status). */
    public long busy() {
        return busy;
    }

    /** INVITEs cancelled before their final answer (answered 487). */
    public long canceled() {
        return canceled;
    }

    /** ACKs received for known calls (retransmitted or late ones included). */
    public long acks() {
        return acks;
    }

    /** Final answers never ACKed within 64*T1. */
    public long ackTimeouts() {
        return ackTimeouts;
    }

    /** BYEs received for answered calls. */
    public long byes() {
        return byes;
    }

    /** Other requests inside a dialog (INFO, UPDATE, OPTIONS, re-INVITE), answered 200. */
    public long inDialogRequests() {
        return inDialogRequests;
    }

    /** OPTIONS outside a dialog (health probes), answered 200. */
    public long options() {
        return options;
    }

    /** Final answers re-sent because no ACK came within the retransmit interval. */
    public long finalRetransmissions() {
        return finalRetransmissions;
    }

    /** Messages that fit no call (answered 481 or 405 where a request), by kind. */
    public Counts unexpected() {
        return unexpected;
    }
}
