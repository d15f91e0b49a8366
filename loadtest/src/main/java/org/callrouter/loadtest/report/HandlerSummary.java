package org.callrouter.loadtest.report;

import java.util.Map;
import org.callrouter.loadtest.handler.HandlerBehaviour;
import org.callrouter.loadtest.handler.HandlerStats;

/** One handler port in the summary files; see the module README for each field. */
public record HandlerSummary(int port, String behaviour, long invites, long inviteRetransmissions, long answered,
                             long noAnswer, long busy, long canceled, long acks, long ackTimeouts, long byes,
                             long inDialogRequests, long options, long finalRetransmissions, int openCalls,
                             Map<String, Long> unexpected) {

    /** The summary of a port with {@code behaviour} that saw {@code s} and still has {@code openCalls}. */
    public static HandlerSummary of(HandlerBehaviour behaviour, HandlerStats s, int openCalls) {
        return new HandlerSummary(behaviour.port(), behaviour.toString(), s.invites(), s.inviteRetransmissions(),
                s.answered(), s.noAnswer(), s.busy(), s.canceled(), s.acks(), s.ackTimeouts(), s.byes(),
                s.inDialogRequests(), s.options(), s.finalRetransmissions(), openCalls, s.unexpected().asMap());
    }
}
