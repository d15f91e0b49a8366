package org.callrouter.server.b2bua;

import org.callrouter.routing.RoutingPlan;
import org.callrouter.sip.codec.SipRequestBuilder;
import org.callrouter.sip.message.SipMethod;
import org.callrouter.server.recovery.LiveCall;
import org.callrouter.server.recovery.LiveCallStore;
import org.callrouter.server.recovery.LiveLeg;

/**
 * A call's dialogs to and from their persisted form ({@link LiveLeg}): what an answered call
 * leaves in the live-call store, and the BYE a restarted router sends on a leg it lost.
 */
public final class DialogSnapshots {

    private DialogSnapshots() {
    }

    /** Stores an answered call when a live-call store is in use (SIP loop). */
    static void answered(Call call, RoutingPlan plan, HandlerLeg leg, long answeredMs) {
        final LiveCallStore store = call.b2bua.liveCalls();
        if (store == null) {
            return;
        }
        final LiveCall live;
        try {
            live = new LiveCall(call.id, call.key, plan.campaignId(), plan.sourceId(), leg.handlerId(),
                    plan.callerNumber(), plan.dialedNumber(), plan.tags(), plan.nowMs(), answeredMs,
                    leg(call.carrier), leg(leg.dialog));
        } catch (RuntimeException e) {
            // Keeping the call for recovery must never end the call itself.
            store.notStored(e);
            return;
        }
        store.answered(live);
    }

    private static LiveLeg leg(Dialog dialog) {
        return new LiveLeg(dialog.callId, dialog.localHeader, dialog.remoteHeader(), dialog.remoteTarget,
                dialog.routeSet, dialog.destination.transport(),
                dialog.destination.address().getAddress().getHostAddress(), dialog.destination.address().getPort(),
                dialog.localCseq);
    }

    /**
     * A BYE in a stored dialog (RFC 3261 15.1.1), built as a live call's would be.
     *
     * @param cseq the CSeq number: above any the dead process may have used.
     * @param via  the top Via value.
     */
    public static SipRequestBuilder bye(LiveLeg leg, long cseq, String via) {
        final Dialog dialog = new Dialog(leg.callId(), leg.localHeader(), leg.remoteHeader(), cseq);
        dialog.remoteTarget = leg.remoteTarget();
        dialog.routeSet = leg.routeSet();
        return dialog.request(SipMethod.BYE, cseq, via, null);
    }
}
