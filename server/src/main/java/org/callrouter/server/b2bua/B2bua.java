package org.callrouter.server.b2bua;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

import org.agrona.ErrorHandler;
import org.agrona.collections.Object2ObjectHashMap;
import org.agrona.collections.ObjectHashSet;
import org.callrouter.routing.Router;
import org.callrouter.sip.codec.SipParseException;
import org.callrouter.sip.codec.SipResponseBuilder;
import org.callrouter.sip.message.HeaderName;
import org.callrouter.sip.message.SipMessage;
import org.callrouter.sip.message.SipMethod;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.sip.message.SipResponse;
import org.callrouter.sip.header.NameAddress;
import org.callrouter.sip.header.SessionExpires;
import org.callrouter.sip.uri.Uri;
import org.callrouter.sip.validate.Rejection;
import org.callrouter.sip.validate.RequestValidator;
import org.callrouter.server.RepeatedStrings;
import org.callrouter.server.callback.CallbackListener;
import org.callrouter.server.callback.CallbackOutcome;
import org.callrouter.server.callback.CallbackRequest;
import org.callrouter.server.records.CallEvents;
import org.callrouter.server.resolve.Resolution;
import org.callrouter.server.recovery.LiveCallStore;
import org.callrouter.server.stir.StirVerifier;
import org.callrouter.server.timer.TimerService;
import org.callrouter.server.transaction.BranchIds;
import org.callrouter.server.transaction.ClientTransaction;
import org.callrouter.server.transaction.ClientTransactionListener;
import org.callrouter.server.transaction.InviteServerTransaction;
import org.callrouter.server.transaction.NonInviteServerTransaction;
import org.callrouter.server.transaction.Refusal;
import org.callrouter.server.transaction.ServerTransaction;
import org.callrouter.server.transaction.TransactionLayer;
import org.callrouter.server.transaction.TransactionUser;
import org.callrouter.server.transport.Backlog;
import org.callrouter.server.transport.Destination;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The back-to-back user agent (DESIGN.md, "The call, step by step"): the transaction user that
 * turns a carrier's INVITE into a {@link Call}, finds the call of every in-dialog request, and
 * answers what belongs to no call. Single-threaded, on the SIP event loop.
 */
public final class B2bua implements TransactionUser {

    private static final Logger LOG = LoggerFactory.getLogger(B2bua.class);

    /** Methods the router accepts (RFC 3261 20.5). */
    static final String ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, PRACK";

    private static final Refusal UNTRUSTED = new Refusal(403, Reasons.of(403),
            Reasons.header(403, "source is not trusted"));
    private static final Refusal NO_DIALOG = new Refusal(481, Reasons.of(481),
            Reasons.header(481, "no such dialog"));
    private static final Refusal NOT_THE_PEER = new Refusal(403, Reasons.of(403),
            Reasons.header(403, "source is not this dialog's peer"));

    /** For client transactions whose answer does not matter (BYE, CANCEL). */
    static final ClientTransactionListener IGNORE = new ClientTransactionListener() {
        @Override
        public void onResponse(ClientTransaction transaction, SipResponse response) {
        }

        @Override
        public void onTimeout(ClientTransaction transaction, boolean transportError) {
        }
    };

    private final TransactionLayer layer;
    private final TimerService timers;
    private final LongSupplier monoMs;
    private final Clock wall;
    private final Router router;
    private final CallEvents events;
    private final LocalContact local;
    private final SipTargets targets;
    /**
     * The RFC 3261 8.2 checks, by the extensions on now: index bit 0 = {@code timer} accepted in
     * Require (session timers on), bit 1 = {@code 100rel} (reliable provisionals supported).
     */
    private final RequestValidator[] validators = new RequestValidator[4];
    private final ErrorHandler errors;
    private final Backlog backlog;
    private volatile B2buaSettings settings;
    private final B2buaStats stats = new B2buaStats();
    private Executor sipLoop;
    private final Object2ObjectHashMap<String, Call> calls = new Object2ObjectHashMap<>();
    private final ObjectHashSet<Call> live = new ObjectHashSet<>();
    /** Peers' Contact URIs: a handler or a carrier's gateway sends the same one call after call. */
    private final RepeatedStrings remoteTargets = new RepeatedStrings();
    private volatile boolean draining;
    private final Trunks trunks;
    /** What the overload bounds count: this B2BUA's calls, or every SIP worker's ({@link #load}). */
    private CallLoad load = new CallLoad() {
        @Override
        public int activeCalls() {
            return stats.activeCalls;
        }

        @Override
        public int pendingCalls() {
            return stats.pendingCalls;
        }
    };
    /** Where answered calls are kept for crash recovery; null when not in use. */
    private LiveCallStore liveCalls;
    /** Verifies PASSporT signatures; null when {@code server.sip.identity.stir} names no trust anchors. */
    private StirVerifier stirVerifier;

    /**
     * @param layer     the transaction layer this is the user of.
     * @param timers    the SIP loop's timer wheel.
     * @param monoMs    the monotonic millisecond clock the wheel runs on.
     * @param wall      wall-clock time for routing and records.
     * @param router    the routing decision.
     * @param events    where call events go (records, webhooks, metrics).
     * @param local     how the router names itself.
     * @param targets   handler URIs resolved to destinations.
     * @param validator the RFC 3261 8.2 checks.
     * @param settings  B2BUA settings.
     * @param errors    told of anything a call's processing throws (the call is then ended).
     * @param backlog   whether the SIP loop is behind (new calls are then refused with 503).
     */
    public B2bua(TransactionLayer layer, TimerService timers, LongSupplier monoMs, Clock wall, Router router,
                 CallEvents events, LocalContact local, SipTargets targets, RequestValidator validator,
                 B2buaSettings settings, ErrorHandler errors, Backlog backlog) {
        this(layer, timers, monoMs, wall, router, events, local, targets, validator, settings, errors, backlog,
                new Trunks());
    }

    /**
     * As above, with {@code trunks} shared with the B2BUAs of the other SIP workers (a trunk's
     * {@code max_concurrent} counts the calls of all of them).
     */
    public B2bua(TransactionLayer layer, TimerService timers, LongSupplier monoMs, Clock wall, Router router,
                 CallEvents events, LocalContact local, SipTargets targets, RequestValidator validator,
                 B2buaSettings settings, ErrorHandler errors, Backlog backlog, Trunks trunks) {
        this.trunks = trunks;
        this.layer = layer;
        this.timers = timers;
        this.monoMs = monoMs;
        this.wall = wall;
        this.router = router;
        this.events = events;
        this.local = local;
        this.targets = targets;
        validators[0] = validator;
        validators[1] = validator.supporting(SessionTimer.TIMER);
        validators[2] = validator.supporting(CarrierPrack.TAG);
        validators[3] = validator.supporting(SessionTimer.TIMER, CarrierPrack.TAG);
        this.settings = settings;
        this.errors = errors;
        this.backlog = backlog;
        layer.user(this);
    }

    // ---- TransactionUser -------------------------------------------------------------------

    /**
     * Admission before a transaction exists (issue 14): a trusted source ({@code
     * server.sip.trusted}) may send anything; any other source only requests inside a dialog
     * it is the peer of (a handler's BYE, re-INVITE, INFO...). The rest is refused without a
     * transaction: 403 outside a dialog (an INVITE, OPTIONS), 481 for a dialog that does not
     * exist, 403 for someone else's dialog.
     */
    @Override
    public Refusal admit(SipRequest request, Destination source) {
        if (trusted(source)) {
            return null;
        }
        if (request.toTag() == null) {
            return UNTRUSTED;
        }
        final Call call = calls.get(request.callId());
        final Dialog dialog = call == null ? null : call.dialogOf(request);
        if (dialog == null) {
            return NO_DIALOG;
        }
        return dialog.isPeer(source) ? null : NOT_THE_PEER;
    }

    @Override
    public void onRequest(ServerTransaction transaction) {
        final SipRequest request = transaction.request();
        if (request.toTag() != null) {
            onInDialogRequest(transaction);
            return;
        }
        final SipMethod method = request.method();
        if (method.equals(SipMethod.INVITE)) {
            onNewInvite((InviteServerTransaction) transaction);
            return;
        }
        // A malformed request gets 400 before its method is looked at (RFC 4475 3.1.2.13).
        final Rejection rejection = validator().validate(request);
        if (rejection != null) {
            reject(transaction, rejection);
        } else if (method.equals(SipMethod.OPTIONS)) {
            answerOptions(transaction);
        } else if (method.equals(SipMethod.BYE) || method.equals(SipMethod.INFO) || method.equals(SipMethod.UPDATE)
                || method.equals(SipMethod.PRACK)) {
            transaction.respond(481, Reasons.of(481));
        } else {
            transaction.respond(405, SipResponseBuilder.forRequest(request, 405, Reasons.of(405))
                    .header(HeaderName.ALLOW, ALLOW).toBytes());
        }
    }

    @Override
    public void onCancel(NonInviteServerTransaction cancel, InviteServerTransaction invite) {
        cancel.respond(200, "OK");
        final Call call = invite.attachment();
        if (call != null) {
            try {
                call.onCarrierCancel();
            } catch (RuntimeException | Error e) {
                failSafe(call, e);
            }
        }
    }

    @Override
    public void onAck(SipRequest ack, Destination from) {
        final Call call = calls.get(ack.callId());
        final Dialog dialog = call == null ? null : call.dialogOf(ack);
        if (dialog == null || !dialog.isPeer(from) && !trusted(from)) {
            stats.strayAcks++;
        } else {
            try {
                call.onAck(ack);
            } catch (RuntimeException | Error e) {
                failSafe(call, e);
            }
        }
    }

    @Override
    public void onAckTimeout(InviteServerTransaction transaction) {
        final Call call = transaction.attachment();
        if (call != null) {
            try {
                call.onAckTimeout(transaction);
            } catch (RuntimeException | Error e) {
                failSafe(call, e);
            }
        }
    }

    /**
     * A request with a To tag (RFC 3261 12.2.2): it must match one of a call's dialogs by
     * Call-ID, To tag and From tag, else 481. Knowing a Call-ID is not enough to end or change
     * a call. {@link #admit} has already refused it unless a trusted source or the dialog's
     * peer sent it.
     */
    private void onInDialogRequest(ServerTransaction transaction) {
        final SipRequest request = transaction.request();
        final Call call = calls.get(request.callId());
        final Dialog dialog = call == null ? null : call.dialogOf(request);
        if (dialog == null) {
            transaction.respond(481, Reasons.of(481));
            return;
        }
        try {
            call.onInDialogRequest(transaction, dialog);
        } catch (RuntimeException | Error e) {
            failSafe(call, e);
        }
    }

    private boolean trusted(Destination source) {
        return settings.trusts(source.address().getAddress().getAddress());
    }

    // ---- new calls -------------------------------------------------------------------------

    /**
     * DESIGN step 1: syntax, hop count and capacity checks, then the call. The source was
     * checked by {@link #admit}, before the transaction.
     */
    private void onNewInvite(InviteServerTransaction transaction) {
        final SipRequest request = transaction.request();
        final B2buaSettings s = settings;
        if (request.maxForwards() == 0) {
            refuseAndRecord(transaction, 483, "Max-Forwards is 0", null, null);
            return;
        }
        final Rejection rejection = validator().validate(request);
        if (rejection != null) {
            reject(transaction, rejection);
            record(request, rejection.status(), rejection.reason());
            return;
        }
        final String dialedProblem = Call.dialedNumberProblem(Call.dialedNumber(request, s));
        if (dialedProblem != null) {
            refuseAndRecord(transaction, 400, dialedProblem, null, null);
            return;
        }
        final String unreachable = unreachablePeer(request);
        if (unreachable != null) {
            refuseAndRecord(transaction, 400, unreachable, null, null);
            return;
        }
        // Looked up by header id: an INVITE without Session-Expires parses nothing more here.
        final boolean asksForTimer = s.sessionTimer().enabled() && request.hasHeader(HeaderName.SESSION_EXPIRES);
        SessionExpires asked = null;
        long askedMinSe = -1;
        if (asksForTimer) {
            try {
                asked = request.sessionExpires();
                askedMinSe = request.minSe();
            } catch (SipParseException e) {
                refuseAndRecord(transaction, 400, e.reason(), null, null);
                return;
            }
            final int minSe = s.sessionTimer().minSeSeconds();
            if (asked.seconds() < minSe) {
                // RFC 4028 9: too short an interval is refused, saying what we take.
                refuseAndRecord(transaction, 422, "Session-Expires " + asked.seconds() + " is below our Min-SE " + minSe,
                        HeaderName.MIN_SE, Integer.toString(minSe));
                return;
            }
        }
        if (calls.containsKey(request.callId())) {
            refuseAndRecord(transaction, 482, "a call with this Call-ID is in progress", null, null);
            return;
        }
        if (draining || load.activeCalls() >= s.maxActiveCalls() || load.pendingCalls() >= s.maxPendingInvites()
                || backlog.backlogged()) {
            stats.overloadRejections++;
            refuseAndRecord(transaction, 503, draining ? "shutting down" : "overloaded",
                    HeaderName.RETRY_AFTER, Integer.toString(s.retryAfterSeconds()));
            return;
        }
        final Call call = new Call(this, transaction, newCallId(), newCallKey());
        if (asksForTimer) {
            call.carrierSessionTimer(SessionTimer.forCarrier(call, request, asked, askedMinSe, s.sessionTimer()));
        }
        // Header ids again: an INVITE with neither Supported nor Require reads no option tag here.
        if (s.reliableProvisionals() && (request.hasHeader(HeaderName.SUPPORTED) || request.hasHeader(HeaderName.REQUIRE))
                && CarrierPrack.wantedBy(request)) {
            call.carrierPrack(new CarrierPrack(call, s.sip().t1Ms()));
        }
        register(request.callId(), call);
        live.add(call);
        stats.activeCalls++;
        stats.pendingCalls++;
        try {
            call.start();
        } catch (RuntimeException | Error e) {
            failSafe(call, e);
        }
    }

    // ---- callbacks (issue 13) ----------------------------------------------------------------

    /**
     * Places one try of a lost call's callback (on the SIP loop; {@link B2buaCallbackDialer}
     * brings it here). Refused at once, without a call or a record, when the request is not
     * usable, the router is draining or overloaded, or the trunk is unknown, failed, unresolved
     * or at its {@code max_concurrent}; otherwise a {@link Call} whose customer is called once a
     * handler answered. The listener hears the outcome exactly once, on this thread.
     */
    void dial(CallbackRequest request, CallbackListener listener) {
        final Trunk trunk = trunks.get(request.trunk());
        final String refused = refusal(request, trunk);
        if (refused != null) {
            tell(listener, new CallbackOutcome(CallbackOutcome.Result.FAILED, null, refused));
            return;
        }
        if (trunk.failedBecause() != null) {
            tell(listener, new CallbackOutcome(CallbackOutcome.Result.TRUNK_FAILED, null,
                    "trunk " + trunk.id() + " is marked failed (" + trunk.failedBecause() + ")"));
            return;
        }
        final Resolution where = targets.lookup(trunk.settings().config().uri());
        final Destination trunkAt = where.resolved() ? where.destinations().get(0) : null;
        if (trunkAt == null || !local.supports(trunkAt.transport())) {
            final String why = "trunk " + trunk.id() + (trunkAt == null ? " does not resolve: " + where.reason()
                    : " needs " + trunkAt.transport() + ", which the router does not listen on");
            trunk.failed(Trunk.Failure.UNREACHABLE, why);
            tell(listener, new CallbackOutcome(CallbackOutcome.Result.TRUNK_FAILED, null, why));
            return;
        }
        if (!trunk.tryAcquire()) {
            tell(listener, new CallbackOutcome(CallbackOutcome.Result.TRUNK_BUSY, null, "trunk busy (" + trunk.id()
                    + ": max_concurrent " + trunk.settings().config().maxConcurrent() + ")"));
            return;
        }
        final Call call = new Call(this, request, listener, trunk, trunkAt, newCallId(), newCallKey());
        register(call.carrier.callId, call);
        live.add(call);
        stats.activeCalls++;
        stats.pendingCalls++;
        try {
            call.startCallback();
        } catch (RuntimeException | Error e) {
            failSafe(call, e);
        }
    }

    /**
     * Why a callback try cannot be placed at all, or null: an unusable request (the customer's
     * number goes into a Request-URI, so only E.164 will do), no such trunk, a drain, overload.
     */
    private String refusal(CallbackRequest request, Trunk trunk) {
        if (request.callbackId() == null || request.lostCallId() == null || request.dialed() == null) {
            return "callback request without callbackId, lostCallId or dialed number";
        }
        final String customer = request.customer();
        if (customer == null || !customer.matches("\\+[1-9][0-9]{3,14}")) {
            return "customer number " + (customer == null ? "missing" : "\"" + Reasons.quotable(customer) + "\"")
                    + " is not E.164 (+ and 4 to 15 digits)";
        }
        if (trunk == null) {
            return "no trunk \"" + request.trunk() + "\" is configured";
        }
        if (draining) {
            return "router shutting down";
        }
        final B2buaSettings s = settings;
        if (load.activeCalls() >= s.maxActiveCalls() || load.pendingCalls() >= s.maxPendingInvites()
                || backlog.backlogged()) {
            return "router overloaded";
        }
        return null;
    }

    private void tell(CallbackListener listener, CallbackOutcome outcome) {
        try {
            listener.onOutcome(outcome);
        } catch (RuntimeException e) {
            errors.onError(e);
        }
    }

    /** The outbound trunks (callbacks); configured on the SIP loop at start and reload. */
    public Trunks trunks() {
        return trunks;
    }

    /**
     * Something in a call's processing threw: an exception, or an {@code Error} from the
     * off-heap stores (Chronicle Map throws them when a map is full or its file is unmapped).
     * The error is reported (logged once per kind, counted), and the call is ended so that
     * nothing leaks and both peers learn of it ({@link Call#fail}): BYE to an answered leg,
     * CANCEL to a ringing one, a final answer or BYE to the carrier, caps given back, a
     * {@code failed} record with the reason. In any case the call leaves the registry and the
     * counters, and nothing propagates: the SIP loop goes on with its next event.
     */
    void failSafe(Call call, Throwable error) {
        errors.onError(error);
        try {
            call.fail(Reasons.internalError(error));
        } catch (RuntimeException | Error again) {
            errors.onError(again);
        }
        onCallEnded(call);
    }

    /** A step of ending a call threw; the other steps go on (see {@link Call#fail}). */
    void reportError(Throwable error) {
        errors.onError(error);
    }

    /**
     * Why the carrier's dialog could not work, or null: its Contact (the remote target) or first
     * Record-Route (where in-dialog requests would go) is an address no message can be sent to,
     * so the BYE ending the call would fail on every retransmission. Refused before the call
     * exists, with the address and why.
     */
    private static String unreachablePeer(SipRequest request) {
        final List<String> recordRoutes = request.headerValues(HeaderName.RECORD_ROUTE);
        if (!recordRoutes.isEmpty()) {
            final String why = SipTargets.refusal(Uri.parse(stripAngles(recordRoutes.get(0))));
            if (why != null) {
                return "Record-Route " + why;
            }
        }
        final List<NameAddress> contacts = request.contacts();
        if (!contacts.isEmpty()) {
            final String why = SipTargets.refusal(contacts.get(0).uri());
            if (why != null) {
                return "Contact " + why;
            }
        }
        return null;
    }

    /** Answers what the validator refused, with the headers it asks for (Unsupported, Accept). */
    private static void reject(ServerTransaction transaction, Rejection rejection) {
        final SipResponseBuilder b = SipResponseBuilder.forRequest(transaction.request(), rejection.status(),
                rejection.reason()).toTag(BranchIds.tag());
        for (String line : rejection.extraHeaderLines()) {
            final int colon = line.indexOf(':');
            b.header(HeaderName.of(line.substring(0, colon).trim()), line.substring(colon + 1).trim());
        }
        transaction.respond(rejection.status(), b.toBytes());
    }

    /** Refuses with a Reason, and {@code extra} (Retry-After, Min-SE) when not null. */
    private void refuse(ServerTransaction transaction, int status, String why, HeaderName extra, String extraValue) {
        final SipResponseBuilder b = SipResponseBuilder.forRequest(transaction.request(), status, Reasons.of(status))
                .toTag(BranchIds.tag())
                .header(HeaderName.REASON, Reasons.header(status, why));
        if (extra != null) {
            b.header(extra, extraValue);
        }
        transaction.respond(status, b.toBytes());
    }

    /**
     * Record ids: time-ordered (hex milliseconds) then random, so they sort by arrival. The
     * random part needs no secrecy (the id is shown to handlers and in webhooks; the key is
     * what authorises a postback), so the fast generator does.
     */
    private String newCallId() {
        return "c" + Long.toHexString(wall.millis()) + BranchIds.hex(ThreadLocalRandom.current().nextLong()).substring(6);
    }

    /** The secret a postback must show for a call: 128 bits from a {@code SecureRandom}. */
    private static String newCallKey() {
        return BranchIds.callKey();
    }

    private void refuseAndRecord(ServerTransaction transaction, int status, String why, HeaderName extra,
                                 String extraValue) {
        final SipRequest request = transaction.request(); // a transaction with its final answer lets go of it
        refuse(transaction, status, why, extra, extraValue);
        record(request, status, why);
    }

    /**
     * A {@code rejected} record for an INVITE from a trusted source refused before it became a
     * call (hop count, syntax, a duplicate Call-ID, overload, shutdown): the carrier offered a
     * call and the journal says what became of it, with the caller and the number the request
     * gives (no campaign: the number is not looked up). Untrusted sources get none: a scanner's
     * flood must not fill the journal; the metrics count it.
     */
    private void record(SipRequest request, int status, String why) {
        String caller = null;
        String dialed = null;
        try {
            caller = Call.userOf(request.from().uri());
            dialed = Call.dialedNumber(request, settings);
        } catch (SipParseException e) {
            // A request refused for its syntax may not have them; the record goes without.
        }
        final long now = wall.millis();
        final String id = newCallId();
        events.received(id, newCallKey(), now, CallEvents.NOT_ROUTED, caller, dialed, null, null, Map.of());
        events.ended(id, CallStatus.REJECTED, status, why, now, 0, 0, null);
    }

    // ---- services for calls ----------------------------------------------------------------

    void answerOptions(ServerTransaction transaction) {
        transaction.respond(200, SipResponseBuilder.forRequest(transaction.request(), 200, "OK")
                .header(HeaderName.ALLOW, ALLOW)
                .header(HeaderName.ACCEPT, "application/sdp")
                .toBytes());
    }

    /** Sends BYE in a dialog, answer ignored. */
    void sendBye(Dialog dialog) {
        final byte[] encoded = dialog.request(SipMethod.BYE, dialog.nextCseq(),
                local.newVia(dialog.destination.transport()), null).toBytes();
        layer.sendNonInvite(Dialog.parseOwn(encoded), encoded, dialog.destination, IGNORE);
    }

    /**
     * Takes the remote target (Contact) of a dialog from a message, and where in-dialog requests
     * go: the first route, else the target, when it is an address literal; else the dialog
     * keeps the destination it has (the address the peer's messages came from).
     */
    void updateTarget(SipMessage message, Dialog dialog) {
        final List<NameAddress> contacts = message.contacts();
        if (!contacts.isEmpty()) {
            dialog.remoteTarget = remoteTargets.canonical(contacts.get(0).uri().toString());
        } else if (dialog.remoteTarget == null) {
            dialog.remoteTarget = remoteTargets.canonical(message.from().uri().toString());
        }
        final Destination next;
        if (!dialog.routeSet.isEmpty()) {
            next = SipTargets.literal(Uri.parse(stripAngles(dialog.routeSet.get(0))));
        } else {
            next = contacts.isEmpty() ? null : SipTargets.literal(contacts.get(0).uri());
        }
        // The same address as now (the usual case) keeps the shared destination object: a live
        // call should not hold its own copy of its peer's address.
        if (next != null && !next.equals(dialog.destination) && local.supports(next.transport())) {
            dialog.destination = next;
        }
    }

    void register(String callId, Call call) {
        calls.put(callId, call);
    }

    void unregister(String callId) {
        calls.remove(callId);
    }

    void onCallState(Call call, Call.State from, Call.State to, String reason) {
        if (from == Call.State.RINGING && to != Call.State.RINGING) {
            stats.pendingCalls--;
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("call {} {} -> {}: {}", call.id, from, to, reason);
        }
    }

    /** The call is over (or given up on after an internal error): forget it. Idempotent. */
    void onCallEnded(Call call) {
        if (!live.remove(call)) {
            return;
        }
        calls.remove(call.carrier.callId, call);
        call.forgetLegs();
        stats.activeCalls--;
        if (call.state() == Call.State.RINGING) {
            stats.pendingCalls--;
        }
    }

    /** Stops taking new calls: INVITEs get 503 from now on. Live calls go on. */
    public void drain() {
        draining = true;
    }

    /** Ends every live call (after the drain timeout): BYE or 503 on both sides, records emitted. */
    public void terminateAll(String reason) {
        for (Call call : new ArrayList<>(live)) {
            call.terminate(reason);
        }
    }

    /** Keeps each answered call in {@code store} from now on, for crash recovery (before the first call). */
    public void liveCalls(LiveCallStore store) {
        this.liveCalls = store;
    }

    LiveCallStore liveCalls() {
        return liveCalls;
    }

    /**
     * The SIP loop, where a call goes on once the cluster's shared store answered (set at start
     * with {@code cluster:}; unused without it).
     */
    public void sipLoop(Executor loop) {
        this.sipLoop = loop;
    }

    Executor sipLoop() {
        return sipLoop;
    }

    /** Checks the overload bounds against {@code all} from now on, the calls of every SIP worker (before the first call). */
    public void load(CallLoad all) {
        this.load = all;
    }

    /** Verifies the signatures of PASSporTs from now on (before the first call). */
    public void stirVerifier(StirVerifier verifier) {
        this.stirVerifier = verifier;
    }

    StirVerifier stirVerifier() {
        return stirVerifier;
    }

    /** The request checks of the settings now: {@code timer} and {@code 100rel} are supported while on. */
    private RequestValidator validator() {
        final B2buaSettings s = settings;
        return validators[(s.sessionTimer().enabled() ? 1 : 0) | (s.reliableProvisionals() ? 2 : 0)];
    }

    /** Swaps the settings after a configuration reload. */
    public void settings(B2buaSettings next) {
        this.settings = next;
    }

    public B2buaStats stats() {
        return stats;
    }

    B2buaSettings settings() {
        return settings;
    }

    TransactionLayer layer() {
        return layer;
    }

    TimerService timers() {
        return timers;
    }

    Router router() {
        return router;
    }

    CallEvents events() {
        return events;
    }

    LocalContact local() {
        return local;
    }

    SipTargets targets() {
        return targets;
    }

    long monoMs() {
        return monoMs.getAsLong();
    }

    long wallMs() {
        return wall.millis();
    }

    private static String stripAngles(String nameAddr) {
        final int lt = nameAddr.indexOf('<');
        final int gt = nameAddr.indexOf('>', lt + 1);
        return lt >= 0 && gt > lt ? nameAddr.substring(lt + 1, gt) : nameAddr;
    }
}
