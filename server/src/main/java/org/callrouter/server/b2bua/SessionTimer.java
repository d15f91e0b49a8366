package org.callrouter.server.b2bua;

import java.util.concurrent.ThreadLocalRandom;

import org.callrouter.routing.config.ServerSettings;
import org.callrouter.sip.codec.SipParseException;
import org.callrouter.sip.codec.SipRequestBuilder;
import org.callrouter.sip.codec.SipResponseBuilder;
import org.callrouter.sip.header.SessionExpires;
import org.callrouter.sip.header.SessionExpires.Refresher;
import org.callrouter.sip.message.HeaderName;
import org.callrouter.sip.message.SipMessage;
import org.callrouter.sip.message.SipMethod;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.sip.message.SipResponse;
import org.callrouter.server.timer.TimerService;
import org.callrouter.server.timer.TimerTarget;
import org.callrouter.server.transaction.ClientTransaction;
import org.callrouter.server.transaction.ClientTransactionListener;
import org.callrouter.server.transaction.ServerTransaction;

/**
 * The session timer of one leg of an answered call (RFC 4028), negotiated on that leg alone:
 * on the carrier's the router is the UAS, on the handler's the UAC. Who refreshes is settled
 * per transaction ({@code refresher=uac|uas} names a role in the transaction that carries it).
 *
 * <p>When the router refreshes, it sends the refresh at half the interval (section 10): an
 * UPDATE without a body when the peer allows UPDATE, else a re-INVITE offering the SDP the
 * router last sent it (no change, RFC 3264 8). When the peer refreshes, the router watches:
 * no refresh by {@code SE - min(32, SE/3)} seconds, or our refresh answered 408 or 481 or not
 * at all, and the session has expired ({@link Call#onSessionExpired}: BYE on both legs).
 */
final class SessionTimer implements TimerTarget, ClientTransactionListener {

    /** The option tag of the extension (RFC 4028 3). */
    static final String TIMER = "timer";

    /** What the timer is waiting for. */
    enum State {
        /** Not armed yet: the carrier's grant waits for the answer. */
        GRANTED,
        /** The peer refreshes; the timer fires when the session expires. */
        WATCHING,
        /** The router refreshes; the timer fires at half the interval. */
        WAITING,
        /** The router's refresh is on its way; its answer or its timeout decides. */
        REFRESHING,
        /** The router's refresh failed (neither 408 nor 481): the session ends when it expires. */
        FAILING,
        /** Over: the call ended or the peer turned the timer off. */
        STOPPED
    }

    private final Call call;
    private final Dialog dialog;
    /** "carrier" or "handler", for reasons. */
    private final String peerName;
    private State state = State.GRANTED;
    private long intervalSeconds;
    /** Whether the router refreshes this leg (else the peer does and the router watches). */
    private boolean weRefresh;
    /** Whether the peer said it supports the extension ({@code Supported: timer}): then we may say Require. */
    private final boolean peerSupportsTimer;
    private boolean peerAllowsUpdate;
    private String sdpType;
    private byte[] sdp;
    private long timer = TimerService.NO_TIMER;
    /** When the session last was refreshed (monotonic ms): it expires an interval later. */
    private long refreshedMonoMs;
    private ClientTransaction refresh;
    private boolean refreshIsInvite;
    private boolean retriedAfter422;

    private SessionTimer(Call call, Dialog dialog, String peerName, long intervalSeconds, boolean weRefresh,
                         boolean peerSupportsTimer, boolean peerAllowsUpdate) {
        this.call = call;
        this.dialog = dialog;
        this.peerName = peerName;
        this.intervalSeconds = intervalSeconds;
        this.weRefresh = weRefresh;
        this.peerSupportsTimer = peerSupportsTimer;
        this.peerAllowsUpdate = peerAllowsUpdate;
    }

    /**
     * The carrier's leg, granted from its INVITE's {@code Session-Expires} (RFC 4028 9); armed
     * by {@link #start} once the call is answered.
     *
     * @param asked what the carrier asked for; at least our {@code min_se_seconds} (else 422)
     */
    static SessionTimer forCarrier(Call call, SipRequest invite, SessionExpires asked, long askedMinSe,
                                   ServerSettings.SessionTimer settings) {
        final boolean supports = invite.listsOptionTag(HeaderName.SUPPORTED, TIMER);
        final boolean allowsUpdate = invite.hasHeader(HeaderName.ALLOW)
                && invite.headerValues(HeaderName.ALLOW).stream().anyMatch("UPDATE"::equalsIgnoreCase);
        final SessionExpires granted = grant(asked, askedMinSe, supports, settings);
        return new SessionTimer(call, call.carrier, "carrier", granted.seconds(),
                granted.refresher() == Refresher.UAS, supports, allowsUpdate);
    }

    /**
     * The handler's leg, from its 2xx to our INVITE (RFC 4028 7.2): none when the 2xx has no
     * {@code Session-Expires}. The refresher is the UAC (the router) unless the 2xx says uas.
     */
    static SessionTimer forHandler(Call call, Dialog dialog, SessionExpires answered, boolean allowsUpdate) {
        return new SessionTimer(call, dialog, "handler", answered.seconds(), answered.refresher() != Refresher.UAS,
                true, allowsUpdate);
    }

    /**
     * RFC 4028 9: what a UAS grants a UAC that asked for {@code asked}: the interval lowered to
     * ours when longer, never below either side's Min-SE; the refresher the UAC named, else
     * the UAC when it supports the extension (it asked for the timer), else the UAS.
     */
    static SessionExpires grant(SessionExpires asked, long askedMinSe, boolean uacSupports,
                                ServerSettings.SessionTimer settings) {
        long seconds = Math.min(asked.seconds(), settings.sessionExpiresSeconds());
        seconds = Math.max(seconds, Math.max(askedMinSe, settings.minSeSeconds()));
        final Refresher refresher = !uacSupports ? Refresher.UAS
                : asked.refresher() != null ? asked.refresher() : Refresher.UAC;
        return new SessionExpires(seconds, refresher);
    }

    /** The headers of our 2xx to the carrier's INVITE: the grant, and Require when the carrier supports it. */
    void addGrant(SipResponseBuilder b) {
        addGrant(b, new SessionExpires(intervalSeconds, weRefresh ? Refresher.UAS : Refresher.UAC));
    }

    /** The headers of our 2xx to a request of the peer's that asked for {@code granted}. */
    void addGrant(SipResponseBuilder b, SessionExpires granted) {
        b.header(HeaderName.SESSION_EXPIRES, granted.toString());
        if (peerSupportsTimer) {
            b.header(HeaderName.REQUIRE, TIMER);
        }
        b.header(HeaderName.SUPPORTED, TIMER);
    }

    /** The SDP the router sent this peer last (offer or answer): a re-INVITE refresh offers it again. */
    void sdpSent(SipMessage message) {
        if (message.bodyLength() > 0) {
            sdpType = message.contentType();
            sdp = message.body();
        }
    }

    /** As {@link #sdpSent(SipMessage)} for a body the router built itself. */
    void sdpSent(String contentType, byte[] body) {
        if (body != null && body.length > 0) {
            sdpType = contentType;
            sdp = body;
        }
    }

    /** The call is up on this leg: the clock starts (RFC 4028 10: from the 2xx). */
    void start() {
        arm();
    }

    /** The call is over: nothing more to refresh or watch. */
    void stop() {
        state = State.STOPPED;
        timer = call.b2bua.timers().cancel(timer);
    }

    // ---- refreshes from the peer -------------------------------------------------------------

    /**
     * A re-INVITE or UPDATE from the peer is a session refresh (RFC 4028 9): the interval and
     * refresher the router grants it, or null when it asked for less than our minimum and was
     * answered 422 with our {@code Min-SE} here. Without {@code Session-Expires} the leg keeps
     * its interval, refreshed by the router when the peer does not say it supports the extension.
     *
     * @throws SipParseException when its Session-Expires or Min-SE is malformed
     */
    SessionExpires negotiate(ServerTransaction transaction, ServerSettings.SessionTimer settings) {
        final SipRequest request = transaction.request();
        final SessionExpires asked = request.sessionExpires();
        final boolean supports = request.listsOptionTag(HeaderName.SUPPORTED, TIMER);
        if (asked == null) {
            return new SessionExpires(intervalSeconds, !supports || weRefresh ? Refresher.UAS : Refresher.UAC);
        }
        if (asked.seconds() < settings.minSeSeconds()) {
            transaction.respond(422, SipResponseBuilder.forRequest(request, 422, Reasons.of(422))
                    .header(HeaderName.MIN_SE, Integer.toString(settings.minSeSeconds()))
                    .header(HeaderName.REASON, Reasons.header(422, "Session-Expires " + asked.seconds()
                            + " is below our Min-SE " + settings.minSeSeconds()))
                    .toBytes());
            return null;
        }
        return grant(asked, request.minSe(), supports, settings);
    }

    /** A body-less UPDATE from the peer only refreshes the session: answered here, not relayed. */
    void answerRefresh(ServerTransaction transaction, SessionExpires granted) {
        final SipResponseBuilder b = SipResponseBuilder.forRequest(transaction.request(), 200, "OK")
                .header(HeaderName.CONTACT, call.b2bua.local().contact(transaction.peer().transport()));
        addGrant(b, granted);
        transaction.respond(200, b.toBytes());
        refreshedByPeer(granted);
    }

    /** Our 2xx to the peer's refresh went out: the session runs for the granted interval from now. */
    void refreshedByPeer(SessionExpires granted) {
        if (state == State.STOPPED) {
            return;
        }
        intervalSeconds = granted.seconds();
        // The peer was the UAC of its refresh.
        weRefresh = granted.refresher() == Refresher.UAS;
        if (state != State.REFRESHING) {
            arm();
        }
    }

    // ---- refreshes the router sends (its own, and relayed re-INVITEs and UPDATEs) ------------

    /** The session timer headers of a re-INVITE or UPDATE the router sends this peer (RFC 4028 7.4). */
    void addRequestHeaders(SipRequestBuilder b) {
        b.header(HeaderName.SUPPORTED, TIMER)
                .header(HeaderName.SESSION_EXPIRES, new SessionExpires(intervalSeconds,
                        weRefresh ? Refresher.UAC : Refresher.UAS).toString())
                .header(HeaderName.MIN_SE, Long.toString(call.b2bua.settings().sessionTimer().minSeSeconds()));
    }

    /**
     * A 2xx from this peer to a re-INVITE or UPDATE the router sent (RFC 4028 7.2): the session
     * is refreshed with what it says; a 2xx without {@code Session-Expires} turns the timer off.
     */
    void refreshedByAnswer(SipResponse response) {
        if (state == State.STOPPED) {
            return;
        }
        final SessionExpires answered;
        try {
            answered = response.sessionExpires();
        } catch (SipParseException e) {
            // Unreadable: keep what we had rather than guess.
            arm();
            return;
        }
        if (answered == null) {
            stop();
            return;
        }
        intervalSeconds = answered.seconds();
        weRefresh = answered.refresher() != Refresher.UAS;
        arm();
    }

    @Override
    public void onTimer(long timerId, long nowMs) {
        if (timerId != timer) {
            return;
        }
        timer = TimerService.NO_TIMER;
        try {
            if (state == State.WAITING) {
                sendRefresh();
            } else if (state == State.WATCHING) {
                call.onSessionExpired(peerName + " did not refresh the session within " + intervalSeconds + " s");
            } else if (state == State.FAILING) {
                call.onSessionExpired("the session refresh to the " + peerName + " failed and the session ran out");
            }
        } catch (RuntimeException | Error e) {
            call.b2bua.failSafe(call, e);
        }
    }

    private void sendRefresh() {
        final B2bua b2bua = call.b2bua;
        state = State.REFRESHING;
        refreshIsInvite = !peerAllowsUpdate;
        final SipMethod method = refreshIsInvite ? SipMethod.INVITE : SipMethod.UPDATE;
        final SipRequestBuilder b = dialog.request(method, dialog.nextCseq(),
                b2bua.local().newVia(dialog.destination.transport()), b2bua.local().contact(dialog.destination.transport()));
        b.header(HeaderName.ALLOW, B2bua.ALLOW);
        addRequestHeaders(b);
        if (refreshIsInvite && sdp != null) {
            b.body(sdpType, sdp, 0, sdp.length);
        }
        final byte[] encoded = b.toBytes();
        final SipRequest out = Dialog.parseOwn(encoded);
        refresh = refreshIsInvite ? b2bua.layer().sendInvite(out, encoded, dialog.destination, this)
                : b2bua.layer().sendNonInvite(out, encoded, dialog.destination, this);
    }

    @Override
    public void onResponse(ClientTransaction transaction, SipResponse response) {
        final int status = response.statusCode();
        if (transaction != refresh || status < 200) {
            return;
        }
        try {
            onRefreshAnswered(transaction, response, status);
        } catch (RuntimeException | Error e) {
            call.b2bua.failSafe(call, e);
        }
    }

    private void onRefreshAnswered(ClientTransaction transaction, SipResponse response, int status) {
        refresh = null;
        if (state != State.REFRESHING) {
            return;
        }
        if (status < 300) {
            if (refreshIsInvite) {
                acknowledge(transaction, response);
            }
            retriedAfter422 = false;
            state = State.WAITING;
            refreshedByAnswer(response);
            return;
        }
        if (status == 408 || status == 481) {
            // RFC 4028 10: the session is gone.
            call.onSessionExpired(peerName + " answered " + status + " to the session refresh");
            return;
        }
        if (status == 422 && !retriedAfter422) {
            final long minSe = minSeOf(response);
            if (minSe > intervalSeconds) {
                // RFC 4028 7.4 with 7.3: once more with the interval the peer wants.
                retriedAfter422 = true;
                intervalSeconds = minSe;
                sendRefresh();
                return;
            }
        }
        if ((status == 405 || status == 501) && !refreshIsInvite) {
            // It does not take UPDATE after all: a re-INVITE will do.
            peerAllowsUpdate = false;
            sendRefresh();
            return;
        }
        if (status == 491) {
            // RFC 3261 14.1: glare with the peer's own re-INVITE; try again in 2.1 to 4 s.
            state = State.WAITING;
            schedule(2100 + ThreadLocalRandom.current().nextInt(1900));
            return;
        }
        state = State.FAILING;
        schedule(Math.max(0, expiresAtMs() - call.b2bua.monoMs()));
    }

    @Override
    public void onTimeout(ClientTransaction transaction, boolean transportError) {
        if (transaction != refresh || state != State.REFRESHING) {
            return;
        }
        refresh = null;
        try {
            call.onSessionExpired(peerName + (transportError ? " could not be reached with" : " did not answer")
                    + " the session refresh");
        } catch (RuntimeException | Error e) {
            call.b2bua.failSafe(call, e);
        }
    }

    /** The ACK for the 2xx to our re-INVITE, sent again for each copy of the 2xx. */
    private void acknowledge(ClientTransaction transaction, SipResponse response) {
        final B2bua b2bua = call.b2bua;
        final byte[] ack = dialog.request(SipMethod.ACK, response.cseq().number(),
                b2bua.local().newVia(dialog.destination.transport()), null).toBytes();
        b2bua.layer().sendStateless(ack, dialog.destination);
        transaction.listener(new AckRepeater(b2bua, ack, dialog));
    }

    private static long minSeOf(SipResponse response) {
        try {
            return response.minSe();
        } catch (SipParseException e) {
            return -1;
        }
    }

    /** Starts the clock from now: half the interval when we refresh, else until the session expires. */
    private void arm() {
        refreshedMonoMs = call.b2bua.monoMs();
        if (weRefresh) {
            state = State.WAITING;
            schedule(intervalSeconds * 500);
        } else {
            state = State.WATCHING;
            schedule(expiresAtMs() - refreshedMonoMs);
        }
    }

    /** RFC 4028 10: the non-refresher gives up {@code min(32, SE/3)} seconds before the interval ends. */
    private long expiresAtMs() {
        final long intervalMs = intervalSeconds * 1000;
        return refreshedMonoMs + intervalMs - Math.min(32_000, intervalMs / 3);
    }

    private void schedule(long delayMs) {
        final TimerService timers = call.b2bua.timers();
        timers.cancel(timer);
        timer = timers.schedule(this, call.b2bua.monoMs() + delayMs);
    }
}
