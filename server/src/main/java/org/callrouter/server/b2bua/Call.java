package org.callrouter.server.b2bua;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import org.callrouter.routing.CallContext;
import org.callrouter.routing.Candidate;
import org.callrouter.routing.ConversionOutcome;
import org.callrouter.routing.Reservation;
import org.callrouter.routing.Router;
import org.callrouter.routing.RoutingPlan;
import org.callrouter.routing.SharedStateException;
import org.callrouter.routing.Skip;
import org.callrouter.routing.config.ServerSettings;
import org.callrouter.routing.pool.Attribution;
import org.callrouter.sip.codec.SipParseException;
import org.callrouter.sip.codec.SipResponseBuilder;
import org.callrouter.sip.header.SessionExpires;
import org.callrouter.sip.message.HeaderName;
import org.callrouter.sip.message.SipMessage;
import org.callrouter.sip.message.SipMethod;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.sip.message.SipResponse;
import org.callrouter.sip.header.NameAddress;
import org.callrouter.sip.uri.SipUri;
import org.callrouter.sip.uri.TelUri;
import org.callrouter.sip.uri.Uri;
import org.callrouter.server.records.CallEvents;
import org.callrouter.server.stir.Passport;
import org.callrouter.server.stir.StirVerifier;
import org.callrouter.server.stir.Verification;
import org.callrouter.server.timer.TimerService;
import org.callrouter.server.timer.TimerTarget;
import org.callrouter.server.transaction.InviteServerTransaction;
import org.callrouter.server.transaction.ServerTransaction;
import org.callrouter.server.callback.CallbackListener;
import org.callrouter.server.callback.CallbackOutcome;
import org.callrouter.server.callback.CallbackRequest;
import org.callrouter.server.transport.Destination;
import org.callrouter.server.resolve.Resolution;

/**
 * One tracked call through the B2BUA (DESIGN.md, "The call, step by step"): the carrier's
 * dialog, the routing plan, the handler legs tried in plan order, and the end of the call.
 * Lives on the SIP event loop; every state change goes through {@link #state(State, String)}.
 *
 * <p>A lost call's callback (issue 13) is a Call too, whose A side the router originated: the
 * customer's leg ({@link CustomerLeg}) stands where the carrier's INVITE transaction would, the
 * handlers are tried the same way (with no offer), and once a handler and then the customer
 * answered the two are joined (RFC 3725 flow I) and the call goes on as any other.
 */
final class Call implements TimerTarget {

    /** The call's life from the carrier's point of view. */
    enum State {
        /** The plan is being made and handlers are being tried. */
        RINGING,
        /** A handler answered; our 2xx to the carrier awaits its ACK. */
        ANSWERED,
        /** A callback's handler answered; the customer is being called through the trunk. */
        JOINING,
        /** The carrier acknowledged: both dialogs are up. */
        CONFIRMED,
        /** Over; the record has been emitted. */
        ENDED
    }

    /** The start of a record's reason when a session timer ended the call (server README, "Carrier interop"). */
    static final String SESSION_EXPIRED = "session expired";

    final B2bua b2bua;
    final String id;
    /**
     * The call's secret key (the handler's X-Call-Key, the record, the live-call store); null
     * once the carrier acknowledged the answer, when all of those have it.
     */
    String key;
    /** The carrier's INVITE transaction; dropped once the carrier acknowledged the answer. Null for a callback. */
    private InviteServerTransaction invite;
    private final long inviteCseq;
    final Dialog carrier;
    private final long receivedMonoMs;

    private State state = State.RINGING;
    private RoutingPlan plan;
    private int nextCandidate;
    private int reportedSkips;
    private HandlerLeg ringing;
    private HandlerLeg answered;
    private Reservation lastReservation;
    private long answeredMonoMs;
    private long maxDurationTimer = TimerService.NO_TIMER;
    private int attempts;
    private int busyAttempts;
    private boolean noAnswerSeen;
    /** The answered handler hung up before the carrier acknowledged our 2xx; its BYE waits for the ACK. */
    private boolean handlerHungUp;
    private DtmfSender dtmf;
    private Relay pendingReinvite;
    /** What the identity headers said; null for an INVITE without any (the usual case). */
    private CarrierIdentity identity;
    /** While the PASSporT's signature is being verified: the call's context, not yet routed. */
    private CallContext.Builder pendingContext;
    private Passport pendingPassport;
    /** While a cluster node asks Redis for the repeat caller's last handler: the call, not yet routed. */
    private CallContext awaitingRoute;
    private long verificationTimer = TimerService.NO_TIMER;
    /** While the visitor of the dialed pool number is looked up in Redis: the call's context, not yet routed. */
    private CallContext.Builder visitorContext;
    /** The customer's side when this call is a lost call's callback; null for a carrier's call. */
    private final CustomerLeg callback;
    /** The carrier's leg's session timer (RFC 4028), when its INVITE asked for one; else null. */
    private SessionTimer carrierTimer;
    /** The answered handler's leg's session timer, when its 2xx granted one; else null. */
    private SessionTimer handlerTimer;
    /** The carrier's reliable provisional responses (RFC 3262), when its INVITE supports 100rel; else null. */
    private CarrierPrack carrierPrack;

    Call(B2bua b2bua, InviteServerTransaction invite, String id, String key) {
        this.b2bua = b2bua;
        this.invite = invite;
        this.inviteCseq = invite.request().cseq().number();
        this.id = id;
        this.key = key;
        this.receivedMonoMs = b2bua.monoMs();
        final SipRequest request = invite.request();
        this.carrier = new Dialog(request.callId(),
                request.header(HeaderName.TO) + ";tag=" + org.callrouter.server.transaction.BranchIds.tag(),
                request.header(HeaderName.FROM), 0);
        carrier.remoteTag(request.fromTag());
        carrier.routeSet = request.headerValues(HeaderName.RECORD_ROUTE);
        carrier.destination = invite.peer();
        carrier.peer = invite.peer();
        b2bua.updateTarget(request, carrier);
        carrier.destination = CarrierNat.target(request.topVia().hasRport(), carrier.destination, invite.peer());
        invite.attach(this);
        this.callback = null;
    }

    /**
     * A lost call's callback: the customer is called through {@code trunk} (at {@code trunkAt})
     * once a handler answered. Started by {@link #startCallback}.
     */
    Call(B2bua b2bua, CallbackRequest request, CallbackListener listener, Trunk trunk, Destination trunkAt,
         String id, String key) {
        this.b2bua = b2bua;
        this.invite = null;
        this.inviteCseq = 0;
        this.id = id;
        this.key = key;
        this.receivedMonoMs = b2bua.monoMs();
        this.callback = new CustomerLeg(this, request, listener, trunk, trunkAt);
        this.carrier = callback.dialog;
    }

    State state() {
        return state;
    }

    /** The carrier's INVITE asked for a session timer: granted in our 2xx, armed once answered. */
    void carrierSessionTimer(SessionTimer granted) {
        carrierTimer = granted;
    }

    /** The carrier's INVITE supports or requires 100rel: its 18x go reliably (RFC 3262 3). */
    void carrierPrack(CarrierPrack prack) {
        carrierPrack = prack;
    }

    /**
     * Whether the handlers' INVITEs say {@code Supported: 100rel}: when a reliable 18x could be
     * acknowledged. Its PRACK may owe an answer to an offer in the 18x, which only the carrier
     * can give: so a carrier's INVITE without an offer needs a carrier that takes 100rel too,
     * and a callback (no offer, no carrier) never offers it.
     */
    boolean offersReliableProvisionals() {
        return callback == null && b2bua.settings().reliableProvisionals()
                && (carrierPrack != null || invite.request().bodyLength() > 0);
    }

    /** Whether {@code leg} is the leg now ringing, not answered, failed or given up on. */
    boolean stillRinging(HandlerLeg leg) {
        return leg == ringing && state == State.RINGING;
    }

    /**
     * The session timer of one of the call's dialogs, or null when that leg has none (and before
     * the answer: an early dialog's UPDATE refreshes no session).
     */
    SessionTimer sessionTimerOf(Dialog dialog) {
        if (answered == null) {
            return null;
        }
        return dialog == carrier ? carrierTimer : dialog == answered.dialog ? handlerTimer : null;
    }

    String carrierTag() {
        return carrier.localTag();
    }

    /**
     * The dialog of this call {@code request} belongs to (RFC 3261 12.2.2), or null: the
     * carrier's, the answered handler's, or the early dialog of the handler now ringing (matched
     * on our tag only, see {@link Dialog#matchesLocalTag}).
     */
    Dialog dialogOf(SipRequest request) {
        // A callback's customer has a dialog only once it answered (before, its tag is unknown).
        if (carrier.matches(request) && (callback == null || answered != null)) {
            return carrier;
        }
        if (answered != null && answered.dialog.matches(request)) {
            return answered.dialog;
        }
        if (ringing != null && ringing.dialog.matchesLocalTag(request)) {
            return ringing.dialog;
        }
        return null;
    }

    /**
     * Reads who calls (DESIGN step 3: the caller, its privacy, diversion, the signed identity),
     * then routes: at once, or once the PASSporT's signature is verified or
     * {@code verify_wait_ms} ran out, whichever comes first.
     */
    void start() {
        final SipRequest request = invite.request();
        final B2buaSettings s = b2bua.settings();
        final String dialed = dialedNumber(request, s);
        final ServerSettings.Identity identitySettings = s.sip().identity();
        identity = CarrierIdentity.read(request, identitySettings, invite.peer());
        final String caller = identity == null ? userOf(request.from().uri()) : identity.callerNumber();
        final CallContext.Builder context = CallContext.builder()
                .callId(id)
                .dialedNumber(dialed)
                .callerNumber(caller);
        s.headerTags().forEach((header, tag) -> {
            final String value = request.header(header);
            if (value != null) {
                context.tag(tag, value);
            }
        });
        if (identity != null) {
            identity.tags(context);
            if (identity.identities() != null) {
                final ServerSettings.Stir stir = identitySettings.stir();
                final Passport passport = Passport.select(identity.identities(), b2bua.wallMs(), stir.maxAgeSeconds(),
                        caller, dialed);
                final StirVerifier verifier = b2bua.stirVerifier();
                if (passport.verifiable() && verifier != null) {
                    awaitVerification(context, passport, verifier, stir.verifyWaitMs());
                    return;
                }
                passport.tags(context, false, null, false);
                countAttestation(false, !passport.verifiable());
            }
        }
        route(context);
    }

    /** DESIGN steps 2-5: the routing decision, then the first handler. */
    private void route(CallContext.Builder context) {
        if (context.visitor() == null && awaitVisitor(context)) {
            return;
        }
        final long now = b2bua.wallMs();
        final long routingStartNs = System.nanoTime();
        final Router router = b2bua.router();
        if (router.sharesCallers()) {
            awaitRoute(router, context.nowMs(now).build(), now, routingStartNs);
            return;
        }
        plan = router.route(context.nowMs(now).build());
        routed(now, System.nanoTime() - routingStartNs);
    }

    /**
     * With a cluster the repeat caller's last handler is in Redis (server README, "Cluster:
     * shared state in Redis"): the call stays {@link State#RINGING} with no leg while Redis
     * answers, at most {@code cluster.timeout_ms}, and goes on on the SIP loop.
     */
    private void awaitRoute(Router router, CallContext call, long now, long routingStartNs) {
        final CompletableFuture<RoutingPlan> decided = router.routeShared(call).toCompletableFuture();
        if (decided.isDone() && !decided.isCompletedExceptionally()) {
            // No repeat-caller lookup was needed: no hop through the loop's queue.
            plan = decided.join();
            routed(now, System.nanoTime() - routingStartNs);
            return;
        }
        awaitingRoute = call;
        decided.whenComplete((routedPlan, error) -> b2bua.sipLoop().execute(() -> {
            try {
                if (state != State.RINGING) {
                    return; // cancelled meanwhile: end() recorded who called
                }
                awaitingRoute = null;
                if (error != null) {
                    b2bua.failSafe(this, error);
                    return;
                }
                plan = routedPlan;
                routed(now, System.nanoTime() - routingStartNs);
            } catch (RuntimeException | Error e) {
                b2bua.failSafe(this, e);
            }
        }));
    }

    /** The plan is made: the record hears of it, then the carrier is refused or the first handler rung. */
    private void routed(long now, long routingNs) {
        b2bua.events().received(id, key, now, routingNs, plan.callerNumber(), plan.dialedNumber(), plan.campaignId(),
                plan.sourceId(), plan.tags());
        final Attribution visitor = plan.attribution();
        if (visitor != null && visitor.sessionId() != null) {
            b2bua.events().visitor(id, visitor.sessionId(), visitor.pagePath());
        }
        switch (plan.outcome()) {
            case UNKNOWN_NUMBER -> refuse(404, "number " + plan.call().dialedNumber() + " is not tracked");
            case REJECTED -> refuse(603, plan.rejectionReason());
            case QUARANTINED -> refuse(b2bua.router().config().numberPolicy().quarantineStatus(),
                    plan.rejectionReason());
            case UNAVAILABLE -> refuse(503, plan.rejectionReason());
            case ROUTED -> {
                reportNewSkips();
                tryNextHandler();
            }
        }
    }

    /**
     * With a cluster, a call to a pool number learns its visitor's session from Redis before it
     * is routed (server README, "Cluster: shared state in Redis"): the call stays
     * {@link State#RINGING} with no leg while Redis answers, and is routed on the SIP loop when
     * it did. Whether a lookup was started (false: no cluster, or not a pool number).
     */
    private boolean awaitVisitor(CallContext.Builder context) {
        final CompletionStage<Attribution> lookup = b2bua.router().sharedVisitor(context.dialedNumber());
        if (lookup == null) {
            return false;
        }
        visitorContext = context;
        lookup.whenComplete((visitor, error) -> b2bua.sipLoop().execute(() -> onVisitor(visitor, error)));
        return true;
    }

    /** What an asynchronous step failed with, without the {@link CompletionException} its stage wrapped it in. */
    private static Throwable unwrapped(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /**
     * A step of the cluster's shared store failed: the campaign's {@code on_shared_state_error}
     * refused the call (503 with its reason), or something else broke (the call fails safe).
     */
    private void sharedStepFailed(Throwable error) {
        final Throwable cause = unwrapped(error);
        if (cause instanceof SharedStateException) {
            refuse(503, cause.getMessage());
        } else {
            b2bua.failSafe(this, cause);
        }
    }

    /** On the SIP loop: the visitor Redis found (or the pool's attribution), or the policy's refusal. */
    private void onVisitor(Attribution visitor, Throwable error) {
        try {
            if (visitorContext == null || state != State.RINGING) {
                return; // the carrier cancelled while Redis answered
            }
            if (error != null) {
                // Refused unrouted: the record says who called (see finish).
                sharedStepFailed(error);
                return;
            }
            final CallContext.Builder context = visitorContext;
            visitorContext = null;
            route(context.visitor(visitor));
        } catch (RuntimeException | Error e) {
            b2bua.failSafe(this, e);
        }
    }

    /**
     * The PASSporT's signature is checked off the SIP loop; the call waits for it at most
     * {@code waitMs} (server README, "Carrier interop": a certificate already cached is
     * verified well within it; one that must be fetched usually is not, and the call goes on
     * with {@code attestation_verified=false} while the fetch fills the cache).
     */
    private void awaitVerification(CallContext.Builder context, Passport passport, StirVerifier verifier, int waitMs) {
        pendingContext = context;
        pendingPassport = passport;
        verificationTimer = b2bua.timers().schedule(this, b2bua.monoMs() + waitMs);
        verifier.verify(passport, this::onVerified);
    }

    /** On the SIP loop: the verification's outcome, ignored when the wait is over. */
    private void onVerified(Verification verification) {
        if (pendingContext == null || state != State.RINGING) {
            return;
        }
        try {
            verificationTimer = b2bua.timers().cancel(verificationTimer);
            routeVerified(verification.outcome() == Verification.Outcome.VERIFIED, verification.reason(),
                    verification.outcome() == Verification.Outcome.INVALID);
        } catch (RuntimeException | Error e) {
            b2bua.failSafe(this, e);
        }
    }

    private void routeVerified(boolean verified, String reason, boolean invalid) {
        final CallContext.Builder context = pendingContext;
        pendingContext = null;
        pendingPassport.tags(context, verified, reason, invalid);
        pendingPassport = null;
        countAttestation(verified, invalid);
        route(context);
    }

    private void countAttestation(boolean verified, boolean invalid) {
        final B2buaStats stats = b2bua.stats();
        if (verified) {
            stats.attestationsVerified++;
        } else if (invalid) {
            stats.attestationsInvalid++;
        } else {
            stats.attestationsUnverified++;
        }
    }

    /**
     * A callback's routing decision (the lost call's dialed number, the customer as the caller,
     * the lost call's tags), then the first handler. The campaign must still be the lost call's.
     */
    void startCallback() {
        final CallbackRequest request = callback.request;
        final long now = b2bua.wallMs();
        final CallContext.Builder context = CallContext.builder()
                .callId(id)
                .dialedNumber(request.dialed())
                .callerNumber(request.customer())
                .nowMs(now);
        request.tags().forEach(context::tag);
        final long routingStartNs = System.nanoTime();
        plan = b2bua.router().route(context.build());
        final long routingNs = System.nanoTime() - routingStartNs;
        b2bua.events().received(id, key, now, routingNs, plan.callerNumber(), plan.dialedNumber(), plan.campaignId(),
                plan.sourceId(), plan.tags());
        b2bua.events().callback(id, request.callbackId(), request.lostCallId(), request.attempt());
        switch (plan.outcome()) {
            case UNKNOWN_NUMBER -> refuse(404, plan.rejectionReason());
            case REJECTED -> refuse(603, plan.rejectionReason());
            case ROUTED -> {
                if (request.campaign() != null && !request.campaign().equals(plan.campaignId())) {
                    refuse(404, "number " + plan.dialedNumber() + " now belongs to campaign " + plan.campaignId()
                            + ", not " + request.campaign());
                    return;
                }
                reportNewSkips();
                tryNextHandler();
            }
        }
    }

    /** Whether a handler's 2xx waits for its ACK until the customer answered (a callback, RFC 3725 flow I). */
    boolean acknowledgesLater() {
        return callback != null;
    }

    // ---- handler legs -------------------------------------------------------------------

    private void tryNextHandler() {
        final List<Candidate> candidates = plan.candidates();
        while (nextCandidate < candidates.size() && state == State.RINGING) {
            final Candidate candidate = candidates.get(nextCandidate++);
            final Resolution where = b2bua.targets().lookup(candidate.uri());
            if (!where.resolved()) {
                b2bua.events().skipped(id, candidate.handlerId(), "dns: " + where.reason());
                continue;
            }
            final long now = b2bua.wallMs();
            if (plan.sharesCaps()) {
                awaitReservation(candidate, where, now);
                return;
            }
            if (startAttempt(candidate, where, plan.reserve(candidate, now), now)) {
                return;
            }
        }
        if (state == State.RINGING) {
            allHandlersFailed();
        }
    }

    /**
     * Sends the call to the candidate whose slot was taken; whether a leg started (false: a cap
     * ran out, or the transport is not served, so the next candidate is tried).
     */
    private boolean startAttempt(Candidate candidate, Resolution where, Reservation reservation, long now) {
        if (reservation == null) {
            reportNewSkips();
            return false;
        }
        lastReservation = reservation;
        attempts++;
        b2bua.events().attemptStarted(id, candidate.handlerId(), now);
        if (!b2bua.local().supports(where.destinations().get(0).transport())) {
            reservation.failed(now);
            b2bua.events().attemptEnded(id, candidate.handlerId(), AttemptResult.FAILED, 0, now);
            return false;
        }
        ringing = new HandlerLeg(this, candidate, reservation, where.destinations(), callerFromHeader());
        if (callback == null) {
            ringing.start(invite.request(), Math.max(0, invite.request().maxForwards() < 0 ? 69 : invite.request().maxForwards() - 1));
        } else {
            ringing.start(null, 70);
        }
        return true;
    }

    /**
     * With a cluster the slot is taken in the shared store (server README, "Cluster: shared state
     * in Redis"): the call stays {@link State#RINGING} with no leg while the store answers, and
     * goes on on the SIP loop when it did. Never longer than {@code cluster.timeout_ms} per step.
     */
    private void awaitReservation(Candidate candidate, Resolution where, long now) {
        plan.reserveShared(candidate, now).whenComplete((reservation, error) ->
                b2bua.sipLoop().execute(() -> onReserved(candidate, where, reservation, error)));
    }

    /** On the SIP loop: the shared store's answer. */
    private void onReserved(Candidate candidate, Resolution where, Reservation reservation, Throwable error) {
        try {
            final long now = b2bua.wallMs();
            if (state != State.RINGING) {
                // The carrier cancelled (or the call failed) while the store answered.
                if (reservation != null) {
                    reservation.failed(now);
                }
                return;
            }
            if (error != null) {
                sharedStepFailed(error);
                return;
            }
            if (!startAttempt(candidate, where, reservation, now)) {
                tryNextHandler();
            }
        } catch (RuntimeException | Error e) {
            b2bua.failSafe(this, e);
        }
    }

    /**
     * A handler's 18x: relayed to the carrier (reliably when the carrier takes 100rel). {@code
     * owed} is the PRACK a reliable 18x owes the handler, null for an unreliable one: it goes at
     * once unless the carrier's own PRACK of the relayed 18x is to bring it (RFC 3262 4, 5).
     */
    void onLegProvisional(HandlerLeg leg, SipResponse response, HandlerPrack.Owed owed) {
        if (leg == ringing && state == State.RINGING && callback == null) {
            if (carrierPrack != null) {
                carrierPrack.relay(response.statusCode(), response.reasonPhrase(), response, owed);
                return;
            }
            answerCarrier(response.statusCode(), response.reasonPhrase(), response);
        }
        if (owed != null) {
            owed.send();
        }
    }

    /** The handler is answering: a PRACK still owed to it goes first (see {@link CarrierPrack#onHandlerAnswer}). */
    void onLegAnswering() {
        if (carrierPrack != null) {
            carrierPrack.onHandlerAnswer();
        }
    }

    void onLegAnswered(HandlerLeg leg, SipResponse response) {
        if (leg != ringing || state != State.RINGING) {
            leg.hangUp();
            return;
        }
        ringing = null;
        if (callback != null) {
            callCustomer(leg, response);
            return;
        }
        answered = leg;
        answeredMonoMs = b2bua.monoMs();
        final long now = b2bua.wallMs();
        leg.reservation.answered(now);
        PassiveHealth.report(b2bua.router().health(), leg.handlerId(), response.statusCode(), AttemptResult.ANSWERED,
                true, now);
        b2bua.events().attemptEnded(id, leg.handlerId(), AttemptResult.ANSWERED, response.statusCode(), now);
        b2bua.events().answered(id, leg.handlerId(), now);
        state(State.ANSWERED, "answered by " + leg.handlerId());
        // The transaction lets go of the INVITE once answered: the handler's leg keeps its offer first.
        handlerTimer = leg.sessionTimer();
        if (handlerTimer != null) {
            handlerTimer.sdpSent(invite.request());
            handlerTimer.start();
        }
        answerCarrier(response.statusCode(), response.reasonPhrase(), response);
        if (carrierTimer != null) {
            carrierTimer.sdpSent(response);
            carrierTimer.start();
        }
        talking(leg, now);
    }

    /** Both sides are up: kept for crash recovery, the maximum duration runs, send digits go. */
    private void talking(HandlerLeg leg, long now) {
        DialogSnapshots.answered(this, plan, leg, now); // crash recovery: removed once the record is written
        maxDurationTimer = b2bua.timers().schedule(this, answeredMonoMs + b2bua.settings().maxCallDurationMs());
        final String digits = leg.candidate.sendDigits();
        if (digits != null && !digits.isEmpty()) {
            dtmf = new DtmfSender(this, leg.dialog, digits);
            dtmf.start();
        }
    }

    // ---- a callback's customer (RFC 3725 flow I) --------------------------------------------

    /**
     * A callback's handler answered with an offer: the customer is called with it, and the
     * handler's ACK waits for the customer's answer. The handler's reservation counts as
     * answered (caps, repeat callers) only once the customer answered too.
     */
    private void callCustomer(HandlerLeg leg, SipResponse response) {
        final long now = b2bua.wallMs();
        PassiveHealth.report(b2bua.router().health(), leg.handlerId(), response.statusCode(), AttemptResult.ANSWERED,
                true, now);
        b2bua.events().attemptEnded(id, leg.handlerId(), AttemptResult.ANSWERED, response.statusCode(), now);
        state(State.JOINING, "answered by " + leg.handlerId() + "; calling the customer");
        if (response.bodyLength() == 0) {
            // RFC 3261 13.2.1: a 2xx to an INVITE without an offer must carry one.
            callback.hold(leg);
            onCustomerFailed(CallbackOutcome.Result.FAILED, CallStatus.FAILED, 0,
                    "handler " + leg.handlerId() + " answered without an SDP offer");
            return;
        }
        callback.start(leg, response);
    }

    /** The customer answered: the handler's ACK carries the customer's answer, and the call is up. */
    void onCustomerAnswered(SipResponse response) {
        final HandlerLeg leg = callback.takeWaiting();
        final byte[] answer = CustomerLeg.bodyOf(response);
        leg.acknowledge(response.contentType(), answer);
        handlerTimer = leg.sessionTimer();
        if (handlerTimer != null) {
            handlerTimer.sdpSent(response.contentType(), answer);
            handlerTimer.start();
        }
        answered = leg;
        answeredMonoMs = b2bua.monoMs();
        final long now = b2bua.wallMs();
        leg.reservation.answered(now);
        b2bua.events().answered(id, leg.handlerId(), now);
        state(State.CONFIRMED, "customer answered");
        talking(leg, now);
        callback.report(CallbackOutcome.Result.CONNECTED, "joined " + leg.handlerId() + " and the customer");
    }

    /**
     * The customer was not reached (or the trunk refused us): the waiting handler gets its ACK
     * (refusing its offer) and a BYE, its slot back, and the call ends with {@code status}.
     */
    void onCustomerFailed(CallbackOutcome.Result result, CallStatus status, int sipStatus, String reason) {
        releaseWaitingHandler();
        callback.failure(result);
        finish(status, sipStatus, reason);
    }

    /** Hangs up the handler that answered a callback and waits for the customer, if there is one. */
    private void releaseWaitingHandler() {
        final HandlerLeg leg = callback.takeWaiting();
        if (leg != null) {
            final byte[] offer = callback.offer();
            // No offer (a 2xx without SDP) owes no answer.
            leg.acknowledge(RejectingAnswer.CONTENT_TYPE, offer == null ? null : RejectingAnswer.to(offer));
            leg.hangUp();
            leg.reservation.failed(b2bua.wallMs());
        }
    }

    void onLegFailed(HandlerLeg leg, int status, String reason, AttemptResult result) {
        if (leg != ringing) {
            return;
        }
        ringing = null;
        final long now = b2bua.wallMs();
        leg.reservation.failed(now);
        PassiveHealth.report(b2bua.router().health(), leg.handlerId(), status, result, leg.responded(), now);
        b2bua.events().attemptEnded(id, leg.handlerId(), result, status, now);
        tally(result);
        if (isGlobalFailure(status)) {
            // RFC 3261 16.7: a 6xx means no other destination will do; relay it.
            refuseASide(status, reason, null, CallbackOutcome.Result.NO_HANDLER);
            finish(status == 600 ? CallStatus.BUSY : CallStatus.FAILED, status,
                    "handler " + leg.handlerId() + " answered " + status);
            return;
        }
        tryNextHandler();
    }

    void onRingTimeout(HandlerLeg leg) {
        if (leg != ringing) {
            return;
        }
        leg.abandon();
        onLegFailed(leg, 0, "no answer", AttemptResult.NO_ANSWER);
    }

    // ---- the carrier's side --------------------------------------------------------------

    /** CANCEL from the carrier (RFC 3261 9.2): 487 to the INVITE, and the ringing leg is cancelled. */
    void onCarrierCancel() {
        endBeforeAnswer("carrier cancelled");
    }

    /**
     * The carrier gave up before the answer (CANCEL, or BYE in the early dialog, RFC 3261
     * 15.1.2): 487 to its INVITE, the ringing leg cancelled, the call {@code canceled}.
     */
    private void endBeforeAnswer(String reason) {
        if (state != State.RINGING && !answerHeld()) {
            return;
        }
        answerCarrier(487, "Request Terminated", null);
        dropRingingLeg(AttemptResult.CANCELED);
        if (answered != null) {
            // Its 2xx was held for the carrier's PRACK and never went: the carrier had no answer.
            hangUpHandler();
        }
        finish(CallStatus.CANCELED, 487, reason);
    }

    /** Cancels the leg now ringing, if any, and gives its slot back. */
    private void dropRingingLeg(AttemptResult result) {
        if (ringing != null) {
            final HandlerLeg leg = ringing;
            ringing = null;
            leg.abandon();
            final long now = b2bua.wallMs();
            leg.reservation.failed(now);
            b2bua.events().attemptEnded(id, leg.handlerId(), result, 0, now);
        }
    }

    /** Whether a handler's 2xx waits for the carrier's PRACK (RFC 3262 3): the INVITE has no final answer yet. */
    private boolean answerHeld() {
        return state == State.ANSWERED && carrierPrack != null && invite != null
                && invite.state() == InviteServerTransaction.State.PROCEEDING;
    }

    // ---- reliable provisional responses (RFC 3262) ----------------------------------------

    /** A PRACK in one of the call's dialogs: the carrier's is answered here; the router sends handlers no reliable 18x. */
    private void onPrack(ServerTransaction transaction, boolean fromCarrier) {
        if (!fromCarrier || carrierPrack == null) {
            transaction.respond(481, SipResponseBuilder.forRequest(transaction.request(), 481, Reasons.of(481))
                    .header(HeaderName.REASON, Reasons.header(481, "no reliable provisional response was sent"))
                    .toBytes());
            return;
        }
        carrierPrack.onPrack(transaction, inviteCseq);
    }

    /** Sends a response {@link CarrierPrack} built or held to the carrier's INVITE: a reliable 18x (again), a held 2xx. */
    void respondToCarrier(int status, byte[] encoded) {
        if (invite != null) {
            invite.respond(status, encoded);
        }
    }

    /**
     * RFC 3262 3: a reliable 18x was retransmitted for 64*T1 without a PRACK; the INVITE is
     * rejected with a 5xx (500), the handler cancelled or, if its 2xx was held, hung up.
     */
    void onPrackTimeout(long waitedMs) {
        if (state != State.RINGING && !answerHeld()) {
            return;
        }
        b2bua.stats().prackTimeouts++;
        final String why = "carrier sent no PRACK for a reliable provisional response within " + waitedMs / 1000 + " s";
        answerCarrier(500, Reasons.of(500), null, why);
        dropRingingLeg(AttemptResult.CANCELED);
        if (answered != null) {
            hangUpHandler();
        }
        finish(CallStatus.FAILED, 500, why);
    }

    /** An ACK in one of the call's dialogs: for our 2xx to the carrier, or for a relayed re-INVITE. */
    void onAck(SipRequest ack) {
        final boolean fromCarrier = ack.callId().equals(carrier.callId);
        if (fromCarrier && state == State.ANSWERED && ack.cseq().number() == inviteCseq) {
            invite.acknowledged();
            // A long call keeps only what its dialogs and its record need: the INVITE and its
            // answer go (kilobytes per call, times 100,000 live calls); the plan stays, as it
            // decides the call's conversion at the end, but lets go of what only routing needed.
            invite = null;
            if (plan != null) {
                plan.settle();
            }
            key = null;
            state(State.CONFIRMED, "carrier acknowledged");
            if (handlerHungUp) {
                b2bua.sendBye(carrier);
                finish(CallStatus.COMPLETED, 200, "handler hung up");
            }
            return;
        }
        final Relay relay = pendingReinvite;
        if (relay != null && relay.fromCarrier() == fromCarrier && relay.matchesAck(ack)) {
            relay.forwardAck(ack);
            pendingReinvite = null;
        }
    }

    /** Our 2xx to the carrier was never acknowledged: the call cannot go on. */
    void onAckTimeout(InviteServerTransaction transaction) {
        if (transaction == invite && state == State.ANSWERED) {
            hangUpBoth();
            finish(CallStatus.FAILED, 200, "carrier never acknowledged the answer");
        }
    }

    /**
     * A request inside one of the call's dialogs: {@code dialog}, which {@link #dialogOf} found
     * for it and whose peer (or a trusted source) sent it.
     */
    void onInDialogRequest(ServerTransaction transaction, Dialog dialog) {
        final SipRequest request = transaction.request();
        final boolean fromCarrier = dialog == carrier;
        final SipMethod method = request.method();
        if (state == State.ENDED) {
            transaction.respond(481, Reasons.of(481));
            return;
        }
        if (method.equals(SipMethod.BYE)) {
            onBye(transaction, dialog);
            return;
        }
        if (method.equals(SipMethod.OPTIONS)) {
            b2bua.answerOptions(transaction);
            return;
        }
        if (method.equals(SipMethod.PRACK)) {
            onPrack(transaction, fromCarrier);
            return;
        }
        if (answered == null && method.equals(SipMethod.UPDATE) && relayEarlyUpdate(transaction, fromCarrier)) {
            return;
        }
        if (answered == null) {
            // RFC 3261 14.2 spirit: not ready for it yet, try again shortly.
            transaction.respond(500, SipResponseBuilder.forRequest(request, 500, "Not Ready")
                    .header(HeaderName.RETRY_AFTER, "1").toBytes());
            return;
        }
        if (method.equals(SipMethod.INVITE) && pendingReinvite != null) {
            transaction.respond(491, Reasons.of(491));
            return;
        }
        final SessionTimer timer = sessionTimerOf(dialog);
        SessionExpires granted = null;
        if (timer != null && (method.equals(SipMethod.INVITE) || method.equals(SipMethod.UPDATE))) {
            try {
                granted = timer.negotiate(transaction, b2bua.settings().sessionTimer());
            } catch (SipParseException e) {
                transaction.respond(400, SipResponseBuilder.forRequest(request, 400, e.reason()).toBytes());
                return;
            }
            if (granted == null) {
                return; // answered 422
            }
            if (method.equals(SipMethod.UPDATE) && request.bodyLength() == 0) {
                // Only a refresh: this leg's business, the other leg has its own timer (README).
                timer.answerRefresh(transaction, granted);
                return;
            }
        }
        final Relay relay = new Relay(this, transaction, fromCarrier, fromCarrier ? answered.dialog : carrier,
                timer, granted);
        if (method.equals(SipMethod.INVITE)) {
            pendingReinvite = relay;
        }
        relay.start();
    }

    /**
     * An UPDATE in the early dialog (RFC 3311 5.1), usually a new offer for early media: relayed
     * to the other leg's early dialog, its answer passed back. The carrier's has one once it got
     * an 18x from us; the handler's, once it sent an 18x with a To tag.
     *
     * @return false when the other side has no early dialog yet
     */
    private boolean relayEarlyUpdate(ServerTransaction transaction, boolean fromCarrier) {
        if (state != State.RINGING || callback != null || ringing == null) {
            return false;
        }
        final Dialog target = fromCarrier ? ringing.earlyDialog()
                : invite != null && invite.lastStatus() > 100 ? carrier : null;
        if (target == null) {
            return false;
        }
        new Relay(this, transaction, fromCarrier, target, null, null).start();
        return true;
    }

    /** BYE in one of the call's dialogs (RFC 3261 15.1.2). */
    private void onBye(ServerTransaction transaction, Dialog dialog) {
        if (dialog == carrier) {
            transaction.respond(200, "OK");
            if (answered == null || answerHeld()) {
                // The caller may end its early dialog with BYE: the INVITE is then answered 487.
                endBeforeAnswer("carrier hung up before the answer");
                return;
            }
            hangUpHandler();
            finish(CallStatus.COMPLETED, 200, aSide() + " hung up");
        } else if (answered != null) {
            transaction.respond(200, "OK");
            if (state == State.ANSWERED) {
                // RFC 3261 15: no BYE on a dialog whose 2xx is not acknowledged yet. It goes when
                // the carrier's ACK comes, or the call fails when timer H says it never will.
                handlerHungUp = true;
                b2bua.unregister(answered.dialog.callId);
                return;
            }
            byeASide();
            finish(CallStatus.COMPLETED, 200, "handler hung up");
        } else {
            onHandlerByeBeforeAnswer(transaction);
        }
    }

    /**
     * The ringing handler sent BYE before its 2xx. A callee must not end an early dialog with
     * BYE (RFC 3261 15), so there is no dialog it could end: 481. The carrier's side is not
     * touched (this is not the carrier cancelling); the handler has shown it will not take the
     * call, so its INVITE is cancelled and the next handler is tried, as after a failure answer.
     */
    private void onHandlerByeBeforeAnswer(ServerTransaction transaction) {
        transaction.respond(481, SipResponseBuilder.forRequest(transaction.request(), 481, Reasons.of(481))
                .header(HeaderName.REASON, Reasons.header(481, "BYE before the answer: no confirmed dialog"))
                .toBytes());
        final HandlerLeg leg = ringing;
        leg.abandon();
        onLegFailed(leg, 0, "handler hung up before answering", AttemptResult.FAILED);
    }

    /** The relayed re-INVITE failed or was never acknowledged: a new one may go. */
    void onRelayDone(Relay relay) {
        if (pendingReinvite == relay) {
            pendingReinvite = null;
        }
    }

    @Override
    public void onTimer(long timerId, long nowMs) {
        if (timerId == verificationTimer) {
            verificationTimer = TimerService.NO_TIMER;
            try {
                routeVerified(false, "not verified within " + b2bua.settings().sip().identity().stir().verifyWaitMs()
                        + " ms", false);
            } catch (RuntimeException | Error e) {
                b2bua.failSafe(this, e);
            }
            return;
        }
        if (timerId == maxDurationTimer) {
            maxDurationTimer = TimerService.NO_TIMER;
            try {
                hangUpBoth();
                finish(CallStatus.COMPLETED, 200, "maximum call duration reached");
            } catch (RuntimeException | Error e) {
                b2bua.failSafe(this, e);
            }
        }
    }

    /**
     * A leg's session timer ran out (RFC 4028 10): its peer did not refresh in time, or did not
     * take our refresh (408, 481, no answer). Both legs get BYE; the record says why.
     */
    void onSessionExpired(String why) {
        if (state != State.CONFIRMED && state != State.ANSWERED) {
            return;
        }
        b2bua.stats().sessionsExpired++;
        hangUpBoth();
        finish(CallStatus.COMPLETED, 200, SESSION_EXPIRED + ": " + why);
    }

    /** Ends the call from outside (shutdown after the drain timeout). */
    void terminate(String reason) {
        if (state == State.ENDED) {
            return;
        }
        final boolean carrierAnswered = endLegs("router shutting down");
        finish(carrierAnswered ? CallStatus.COMPLETED : CallStatus.FAILED, carrierAnswered ? 200 : 503, reason);
    }

    /**
     * Ends the call after its processing threw ({@link B2bua#failSafe}), from whatever point it
     * had reached. Each step runs on its own, so one that throws again (the same broken store)
     * cannot stop the others: the peers hear of the end, the caps are given back and the record
     * says {@code failed} with {@code reason}.
     */
    void fail(String reason) {
        if (state == State.ENDED) {
            return;
        }
        final boolean carrierAnswered = endLegs("internal error");
        step(() -> finish(CallStatus.FAILED, carrierAnswered ? 200 : 503, reason));
        // The attempt the failure interrupted may hold a slot no leg owns yet (reserved, not
        // started). Reservations are idempotent: one already ended or failed ignores this.
        final Reservation reservation = lastReservation;
        if (reservation != null) {
            step(() -> reservation.failed(b2bua.wallMs()));
        }
    }

    /**
     * Hangs up what the call has: CANCEL to a ringing leg (its slot given back), BYE to an
     * answered one, and to the carrier a 503 with {@code why} while it has no final answer, else
     * BYE. Returns whether the carrier had been answered (so the call was up).
     */
    private boolean endLegs(String why) {
        final boolean carrierAnswered = callback == null ? state != State.RINGING && !answerHeld()
                : state == State.CONFIRMED;
        final HandlerLeg leg = ringing;
        ringing = null;
        if (leg != null) {
            step(leg::abandon);
            step(() -> leg.reservation.failed(b2bua.wallMs()));
        }
        final HandlerLeg up = answered;
        if (up != null) {
            // Also when the handler answered but the failure came before the carrier heard of it.
            step(up::hangUp);
        }
        if (carrierAnswered) {
            step(this::byeASide);
        } else if (callback != null) {
            step(callback::abandon);
            step(this::releaseWaitingHandler);
        } else if (invite != null && invite.state() == InviteServerTransaction.State.PROCEEDING) {
            step(() -> answerCarrier(503, Reasons.of(503), null, why));
        }
        return carrierAnswered;
    }

    /** One step of ending a call: what it throws is reported, and the next step runs. */
    private void step(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException | Error e) {
            b2bua.reportError(e);
        }
    }

    // ---- helpers -------------------------------------------------------------------------

    private void refuse(int status, String why) {
        refuseASide(status, Reasons.of(status), why, CallbackOutcome.Result.FAILED);
        finish(CallStatus.REJECTED, status, why);
    }

    /**
     * The call fails before the answer: the carrier gets the final answer; a callback's
     * listener will hear {@code result} when the call ends.
     */
    private void refuseASide(int status, String phrase, String why, CallbackOutcome.Result result) {
        if (callback == null) {
            answerCarrier(status, phrase, null, why);
        } else {
            callback.failure(result);
        }
    }

    /** "carrier", or "customer" for a callback (in reasons). */
    private String aSide() {
        return callback == null ? "carrier" : "customer";
    }

    /** BYE to the A side: the carrier, or a callback's customer (through the trunk, answering its challenge). */
    private void byeASide() {
        if (callback == null) {
            b2bua.sendBye(carrier);
        } else {
            callback.hangUp();
        }
    }

    private void allHandlersFailed() {
        final int status = b2bua.settings().noHandlerStatus();
        final String why = attempts == 0 ? "no handler available" : "no handler answered";
        refuseASide(status, Reasons.of(status), why, CallbackOutcome.Result.NO_HANDLER);
        final CallStatus outcome = attempts == 0 ? CallStatus.FAILED
                : busyAttempts == attempts ? CallStatus.BUSY
                : noAnswerSeen ? CallStatus.NO_ANSWER
                : CallStatus.FAILED;
        finish(outcome, status, why);
    }

    private void tally(AttemptResult result) {
        if (result == AttemptResult.BUSY) {
            busyAttempts++;
        } else if (result == AttemptResult.NO_ANSWER) {
            noAnswerSeen = true;
        }
    }

    private void hangUpBoth() {
        if (answered != null) {
            hangUpHandler();
        }
        byeASide();
    }

    /** BYE to the answered handler, unless it hung up itself already. */
    private void hangUpHandler() {
        if (!handlerHungUp) {
            answered.hangUp();
        }
    }

    private void answerCarrier(int status, String reason, SipMessage bodySource) {
        answerCarrier(status, reason, bodySource, null);
    }

    /**
     * Answers the carrier's INVITE, relaying a handler's body (SDP) when there is one. With
     * 100rel on the carrier's leg a 2xx may wait for a PRACK, and a final answer ends the
     * reliable 18x.
     */
    private void answerCarrier(int status, String reason, SipMessage bodySource, String why) {
        final SipResponseBuilder b = carrierResponse(status, reason, why);
        if (bodySource != null && bodySource.bodyLength() > 0) {
            b.body(bodySource.contentType(), bodySource.array(), bodySource.bodyOffset(), bodySource.bodyLength());
        }
        final byte[] encoded = b.toBytes();
        if (carrierPrack != null && status >= 200) {
            if (status < 300 && carrierPrack.holds(status, encoded)) {
                return;
            }
            carrierPrack.stop();
        }
        invite.respond(status, encoded);
    }

    /** A response to the carrier's INVITE without a body: our tag, and Contact and Allow for 1xx and 2xx. */
    SipResponseBuilder carrierResponse(int status, String reason, String why) {
        final SipRequest request = invite.request();
        final SipResponseBuilder b = SipResponseBuilder.forRequest(request, status, reason);
        if (status > 100 && status < 300) {
            b.toTag(carrierTag())
                    .copyHeaders(request, HeaderName.RECORD_ROUTE)
                    .header(HeaderName.CONTACT, b2bua.local().contact(invite.peer().transport()))
                    .header(HeaderName.ALLOW, B2bua.ALLOW);
            if (status >= 200 && carrierTimer != null) {
                carrierTimer.addGrant(b);
            }
        } else if (status >= 300) {
            b.toTag(carrierTag());
            if (why != null) {
                b.header(HeaderName.REASON, Reasons.header(status, why));
            }
            if (status == 503) {
                b.header(HeaderName.RETRY_AFTER, Integer.toString(b2bua.settings().retryAfterSeconds()));
            }
        }
        return b;
    }

    private void finish(CallStatus status, int sipStatus, String reason) {
        if (state == State.ENDED) {
            return;
        }
        final boolean wasAnswered = answered != null;
        state(State.ENDED, reason);
        maxDurationTimer = b2bua.timers().cancel(maxDurationTimer);
        verificationTimer = b2bua.timers().cancel(verificationTimer);
        if (carrierTimer != null) {
            carrierTimer.stop();
        }
        if (handlerTimer != null) {
            handlerTimer.stop();
        }
        if (carrierPrack != null) {
            carrierPrack.stop();
        }
        if (pendingContext != null) {
            // Ended while its signature was being verified (a CANCEL, shutdown): never routed,
            // the record still says who called.
            pendingPassport.tags(pendingContext, false, "call ended before its verification", false);
            receivedUnrouted(pendingContext.build());
            pendingContext = null;
            pendingPassport = null;
        }
        if (visitorContext != null) {
            // Ended while its pool visitor was looked up (a CANCEL, or Redis failed under reject).
            receivedUnrouted(visitorContext.build());
            visitorContext = null;
        }
        if (awaitingRoute != null) {
            // Ended while Redis was asked about the repeat caller: never routed.
            receivedUnrouted(awaitingRoute);
            awaitingRoute = null;
        }
        if (dtmf != null) {
            dtmf.stop();
        }
        final long mono = b2bua.monoMs();
        final long now = b2bua.wallMs();
        final long ringMs = (wasAnswered ? answeredMonoMs : mono) - receivedMonoMs;
        final long talkMs = wasAnswered ? mono - answeredMonoMs : 0;
        releaseVisitorNumber(now);
        if (wasAnswered && plan.sharesCallers()) {
            endShared(status, sipStatus, reason, now, ringMs, talkMs);
            return;
        }
        Throwable failure = null;
        try {
            if (wasAnswered) {
                answered.reservation.ended(now, talkMs);
            }
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        recordEnd(status, sipStatus, reason, now, ringMs, talkMs, failure);
    }

    /**
     * With a cluster a timer conversion's dedupe is decided in Redis: the record (and the end of
     * the call's bookkeeping) waits for it off the SIP loop, at most {@code cluster.timeout_ms}
     * (a failure decides it in this node's caller index: the conversion is never lost).
     */
    private void endShared(CallStatus status, int sipStatus, String reason, long now, long ringMs, long talkMs) {
        final CompletableFuture<Void> decided;
        try {
            decided = answered.reservation.endedShared(now, talkMs).toCompletableFuture();
        } catch (RuntimeException | Error e) {
            recordEnd(status, sipStatus, reason, now, ringMs, talkMs, e);
            return;
        }
        if (decided.isDone()) {
            recordEnd(status, sipStatus, reason, now, ringMs, talkMs, decided.isCompletedExceptionally()
                    ? decided.handle((v, e) -> e).join() : null);
            return;
        }
        decided.whenComplete((v, error) -> b2bua.sipLoop().execute(() -> {
            try {
                recordEnd(status, sipStatus, reason, now, ringMs, talkMs, error);
            } catch (RuntimeException | Error e) {
                b2bua.reportError(e);
            }
        }));
    }

    /**
     * The record hears of the end with the call's conversion, then the call is gone. {@code
     * failure}: what the end's bookkeeping (a store) threw, or null.
     */
    private void recordEnd(CallStatus status, int sipStatus, String reason, long now, long ringMs, long talkMs,
                           Throwable failure) {
        ConversionOutcome conversion = null;
        CallStatus outcome = status;
        String why = reason;
        Throwable error = unwrapped(failure);
        if (error == null && lastReservation != null) {
            try {
                // The call's view: a side an earlier attempt converted stays converted after a failover.
                conversion = plan.conversion();
            } catch (RuntimeException | Error e) {
                error = e;
            }
        }
        if (error != null) {
            // The peers are already told; what failed is the call's bookkeeping (a store). The
            // record is still written, and says so; the reservation gave its slot back anyway.
            b2bua.reportError(error);
            outcome = CallStatus.FAILED;
            why = Reasons.internalError(error);
        }
        try {
            b2bua.events().ended(id, outcome, sipStatus, why, now, ringMs, talkMs, conversion);
        } finally {
            b2bua.onCallEnded(this);
            if (callback != null) {
                callback.ended(why);
            }
        }
    }

    /**
     * With {@code release_on_call_end}, the pool number the visitor's session held goes back
     * to the pool (the session stays findable for the grace window). A store failure here is
     * the pool's bookkeeping, not the call's: it is reported and the record is unaffected.
     */
    private void releaseVisitorNumber(long now) {
        // A callback's dialed number may be a pool number another visitor holds now: not its call.
        final Attribution visitor = plan == null || callback != null ? null : plan.attribution();
        if (visitor == null || visitor.sessionId() == null || !visitor.releaseOnCallEnd()) {
            return;
        }
        try {
            b2bua.router().releaseVisitor(visitor.sessionId(), now);
        } catch (RuntimeException e) {
            b2bua.reportError(e);
        }
    }

    /** Drops the registry entries of the legs (the call is over). */
    void forgetLegs() {
        if (ringing != null) {
            b2bua.unregister(ringing.dialog.callId);
        }
        if (answered != null) {
            b2bua.unregister(answered.dialog.callId);
        }
    }

    private void receivedUnrouted(CallContext unrouted) {
        b2bua.events().received(id, key, b2bua.wallMs(), CallEvents.NOT_ROUTED, unrouted.callerNumber(),
                unrouted.dialedNumber(), null, null, unrouted.tags());
    }

    private void state(State next, String reason) {
        b2bua.onCallState(this, state, next, reason);
        state = next;
    }

    private void reportNewSkips() {
        final List<Skip> skipped = plan.skipped();
        for (; reportedSkips < skipped.size(); reportedSkips++) {
            final Skip skip = skipped.get(reportedSkips);
            b2bua.events().skipped(id, skip.handlerId(), skip.reason());
        }
    }

    /**
     * The From of the B leg: the caller's number and display name, our host (topology hiding);
     * anonymous (RFC 3323 4.1.1.3) when the caller asked for privacy.
     */
    private String callerFromHeader() {
        if (callback != null) {
            return "<sip:" + callback.request.customer() + "@" + b2bua.local().host() + ">";
        }
        if (identity != null && identity.privacy()) {
            return CarrierIdentity.ANONYMOUS_FROM;
        }
        final NameAddress from = invite.request().from();
        // As written (escapes kept): the parser accepted it as a URI user part, so it still is
        // one here; the decoded form may hold characters a header cannot carry. An asserted
        // number goes in only when it is plainly one.
        final String asserted = identity == null ? null : identity.callerNumber();
        final String user = asserted != null && CarrierIdentity.isPlainUser(asserted) ? asserted
                : from.uri() instanceof SipUri sip ? sip.rawUser() : userOf(from.uri());
        final String display = from.displayName();
        final StringBuilder sb = new StringBuilder(64);
        if (display != null && !display.isEmpty()) {
            sb.append('"').append(Reasons.quotable(display)).append("\" ");
        }
        sb.append("<sip:").append(user == null || user.isEmpty() ? "anonymous" : user)
                .append('@').append(b2bua.local().host()).append('>');
        return sb.toString();
    }

    /**
     * The carrier's headers telling how the call was diverted, when the campaign lets its
     * handlers see them ({@code pass_diversion}); none otherwise.
     */
    List<HeaderName> diversionHeadersForHandler() {
        return identity != null && plan.passDiversion() ? identity.passedDiversionHeaders() : List.of();
    }

    /**
     * Why the dialed number cannot be taken as written, or null: a control character (a
     * {@code %00}, {@code %0D}, {@code %0A}, {@code %01}, {@code %7F} escape in the URI's user
     * part, decoded once by the URI), which no phone number has and no header may carry.
     */
    static String dialedNumberProblem(String dialed) {
        if (dialed == null) {
            return null;
        }
        for (int i = 0; i < dialed.length(); i++) {
            final char c = dialed.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                return "dialed number has a control character (" + Reasons.quotable(String.valueOf(c)) + ")";
            }
        }
        return null;
    }

    /** The number the carrier dialed, from where the settings say to look (Request-URI, To). */
    static String dialedNumber(SipRequest request, B2buaSettings settings) {
        for (String where : settings.dialedNumberFrom()) {
            final String user = switch (where) {
                case "request_uri" -> userOf(request.requestUri());
                case "to" -> userOf(request.to().uri());
                default -> null;
            };
            if (user != null && !user.isEmpty()) {
                return user;
            }
        }
        return null;
    }

    static String userOf(Uri uri) {
        if (uri instanceof SipUri sip) {
            return sip.user();
        }
        if (uri instanceof TelUri tel) {
            return tel.number();
        }
        return null;
    }

    private static boolean isGlobalFailure(int status) {
        return status == 600 || status == 603 || status == 604 || status == 606;
    }
}
