package org.callrouter.loadtest.handler;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.callrouter.loadtest.net.BadRequests;
import org.callrouter.loadtest.net.MessageListener;
import org.callrouter.loadtest.net.SipAddresses;
import org.callrouter.loadtest.net.UdpEndpoint;
import org.callrouter.loadtest.stats.Correlation;
import org.callrouter.loadtest.time.SipTimers;
import org.callrouter.loadtest.time.TimerWheel;
import org.callrouter.sip.codec.InboundMessage;
import org.callrouter.sip.codec.SipParseException;
import org.callrouter.sip.message.SipMethod;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.sip.uri.SipUri;

/**
 * One handler (a call centre, a buyer) listening on one UDP port: it answers INVITEs as its
 * {@link HandlerBehaviour} draws for each, and everything that follows. INVITE transactions are
 * found by the top Via branch (RFC 3261 17.2.3: INVITE retransmissions, CANCEL, the ACK of a
 * non-2xx), dialogs by Call-ID (the ACK of a 2xx, BYE, INFO, ...). Event loop only.
 */
public final class HandlerPort implements MessageListener {

    private final HandlerBehaviour behaviour;
    private final SipTimers timers;
    private final TimerWheel wheel;
    private final Correlation correlation;
    private final SplittableRandom random;
    private final HandlerStats stats = new HandlerStats();
    private final Map<String, HandlerCall> byBranch = new HashMap<>();
    private final Map<String, HandlerCall> byCallId = new HashMap<>();
    private final String tagPrefix;

    private UdpEndpoint endpoint;
    private HandlerMessages messages;
    private long tags;
    private int open;

    /**
     * A handler; {@link #attach(UdpEndpoint)} gives it its socket.
     *
     * @param correlation told about each INVITE and answer, for the router's added latency
     * @param seed        seeds the draw of each call's action (the port is mixed in)
     */
    public HandlerPort(HandlerBehaviour behaviour, SipTimers timers, TimerWheel wheel, Correlation correlation,
            long seed) {
        this.behaviour = behaviour;
        this.timers = timers;
        this.wheel = wheel;
        this.correlation = correlation;
        this.random = new SplittableRandom(seed * 31 + behaviour.port());
        this.tagPrefix = "h" + behaviour.port() + "-";
    }

    /** Gives the handler its socket (bound with this handler as the listener). */
    public void attach(UdpEndpoint udp) {
        this.endpoint = udp;
        this.messages = new HandlerMessages(udp.localAddress());
    }

    @Override
    public void onMessage(InboundMessage inbound, long nowNs) {
        if (!inbound.isSuccess()) {
            stats.unexpected().add("unparseable (" + inbound.failure().status() + ")");
            BadRequests.answer(inbound, endpoint);
            return;
        }
        if (!(inbound.message() instanceof SipRequest request)) {
            // a handler sends no requests; whatever answers arrive are not for it
            stats.unexpected().add("response");
            return;
        }
        InetSocketAddress replyTo = SipAddresses.responseAddress(request, inbound.sender());
        SipMethod method = request.method();
        String branch = request.topVia().branch();
        HandlerCall txn = branch == null ? null : byBranch.get(branch);
        if (method.equals(SipMethod.INVITE) && request.toTag() == null) {
            if (txn != null) {
                txn.onInviteRetransmission();
            } else {
                onNewInvite(request, branch, replyTo, nowNs);
            }
        } else if (method.equals(SipMethod.CANCEL)) {
            if (txn != null) {
                txn.onCancel(request, replyTo, nowNs);
            } else {
                reject(request, replyTo, 481, "Call/Transaction Does Not Exist", "CANCEL for no INVITE");
            }
        } else if (method.equals(SipMethod.ACK)) {
            HandlerCall call = txn != null ? txn : byCallId.get(request.callId());
            if (call != null) {
                call.onAck(nowNs);
            } else {
                stats.unexpected().add("ACK for no call");
            }
        } else {
            onOtherRequest(request, method, replyTo, nowNs);
        }
    }

    private void onNewInvite(SipRequest invite, String branch, InetSocketAddress replyTo, long nowNs) {
        if (branch == null) {
            reject(invite, replyTo, 400, "Missing Via Branch", "INVITE without branch");
            return;
        }
        String caller = callerOf(invite);
        stats.invites++;
        correlation.inviteReceived(caller, behaviour.port(), nowNs);
        HandlerCall call = new HandlerCall(this, invite, branch, tagPrefix + tags++, caller,
                behaviour.pick(random), replyTo, nowNs);
        byBranch.put(branch, call);
        byCallId.put(call.callId(), call);
        open++;
        call.start(nowNs);
    }

    private static String callerOf(SipRequest invite) {
        try {
            return invite.from().uri() instanceof SipUri sip ? sip.user() : null;
        } catch (SipParseException e) {
            return null;
        }
    }

    private void onOtherRequest(SipRequest request, SipMethod method, InetSocketAddress replyTo, long nowNs) {
        HandlerCall call = request.toTag() == null ? null : byCallId.get(request.callId());
        if (call == null) {
            if (method.equals(SipMethod.OPTIONS)) {
                stats.options++;
                endpoint.send(HandlerMessages.optionsOk(request, tagPrefix + tags++), replyTo);
            } else if (request.toTag() != null) {
                reject(request, replyTo, 481, "Call/Transaction Does Not Exist", method.name() + " for no dialog");
            } else {
                reject(request, replyTo, 405, "Method Not Allowed", method.name() + " outside a dialog");
            }
        } else if (method.equals(SipMethod.BYE)) {
            call.onBye(request, replyTo, nowNs);
        } else {
            call.onInDialogRequest(request, replyTo);
        }
    }

    private void reject(SipRequest request, InetSocketAddress replyTo, int status, String reason, String what) {
        stats.unexpected().add(what);
        endpoint.send(HandlerMessages.reject(request, status, reason, tagPrefix + tags++), replyTo);
    }

    /**
     * Calls not yet over: ringing, waiting to answer or for an ACK, or answered and never ended by
     * a BYE (at the end of a run, each is a BYE or CANCEL the router did not pass on).
     */
    public int openCalls() {
        return open;
    }

    /** The behaviour. */
    public HandlerBehaviour behaviour() {
        return behaviour;
    }

    /** What it saw and did. */
    public HandlerStats stats() {
        return stats;
    }

    /** The port's socket address. */
    public InetSocketAddress localAddress() {
        return endpoint.localAddress();
    }

    HandlerMessages messages() {
        return messages;
    }

    SipTimers timers() {
        return timers;
    }

    TimerWheel wheel() {
        return wheel;
    }

    Correlation correlation() {
        return correlation;
    }

    void send(byte[] message, InetSocketAddress to) {
        endpoint.send(message, to);
    }

    void ended(HandlerCall call) {
        open--;
    }

    void forget(HandlerCall call) {
        byBranch.remove(call.branch(), call);
        byCallId.remove(call.callId(), call);
    }
}
