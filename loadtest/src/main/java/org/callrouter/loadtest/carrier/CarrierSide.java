package org.callrouter.loadtest.carrier;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import org.agrona.collections.Int2ObjectHashMap;
import org.callrouter.loadtest.net.BadRequests;
import org.callrouter.loadtest.net.ErrorLog;
import org.callrouter.loadtest.net.MessageListener;
import org.callrouter.loadtest.net.SipAddresses;
import org.callrouter.loadtest.net.UdpEndpoint;
import org.callrouter.loadtest.plan.Pacer;
import org.callrouter.loadtest.plan.RatePlan;
import org.callrouter.loadtest.stats.Correlation;
import org.callrouter.loadtest.stats.RunStats;
import org.callrouter.loadtest.stats.StepStats;
import org.callrouter.loadtest.time.SipTimers;
import org.callrouter.loadtest.time.TimerWheel;
import org.callrouter.sip.codec.InboundMessage;
import org.callrouter.sip.message.SipMessage;
import org.callrouter.sip.message.SipMethod;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.sip.message.SipResponse;

/**
 * The carrier side: places calls on the rate plan's schedule ({@link #tick(long)}, called every
 * millisecond), matches responses to calls by their top Via branch and requests by Call-ID (both
 * start with the call's key), and hears from the handler side about each call
 * ({@link Correlation}). Event loop only.
 */
public final class CarrierSide implements MessageListener, Correlation {

    /** At most this much of the fastest step's calls leave in one tick. */
    private static final long CATCH_UP_NS = 5_000_000L;

    private final CarrierSettings settings;
    private final SipTimers timers;
    private final TimerWheel wheel;
    private final RunStats stats;
    private final ErrorLog errors;
    private final CallerNumbers numbers;
    private final SipAddresses addresses = new SipAddresses();
    private final Int2ObjectHashMap<CarrierCall> calls = new Int2ObjectHashMap<>();
    private final SplittableRandom random;
    private final String nonce;
    private final Pacer pacer;

    private UdpEndpoint endpoint;
    private CarrierMessages messages;
    private CallIds ids;
    private long startNs;
    private long placed;
    private int active;
    private int maxActive;
    private boolean offering;
    private int step = -1;

    /**
     * A carrier side; {@link #attach(UdpEndpoint)} gives it its socket, {@link #start(long)} starts it.
     *
     * @param seed seeds the choice of the calls that get a planned CANCEL
     */
    public CarrierSide(CarrierSettings settings, SipTimers timers, TimerWheel wheel, RunStats stats, ErrorLog errors,
            long seed) {
        this.settings = settings;
        this.timers = timers;
        this.wheel = wheel;
        this.stats = stats;
        this.errors = errors;
        this.numbers = new CallerNumbers(settings.callerPrefix());
        this.random = new SplittableRandom(seed);
        // not from the seed: two runs with one seed must not share Call-IDs
        this.nonce = Long.toString(ThreadLocalRandom.current().nextLong() >>> 16, 36);
        this.pacer = new Pacer(settings.plan(), settings.maxCalls(), CATCH_UP_NS);
    }

    /** Gives the side its socket (bound with this side as the listener). */
    public void attach(UdpEndpoint udp) {
        this.endpoint = udp;
        this.messages = new CarrierMessages(udp.localAddress(), settings.target(), settings.number());
        this.ids = new CallIds(nonce, messages.host());
    }

    /** Starts the plan at {@code nowNs}. */
    public void start(long nowNs) {
        startNs = nowNs;
        offering = true;
        tick(nowNs);
    }

    /**
     * Places the calls the {@link Pacer} allows by {@code nowNs}, each counted in the step its due
     * time falls in; stops offering at the end of the plan or the call limit.
     */
    public void tick(long nowNs) {
        if (!offering) {
            return;
        }
        RatePlan plan = settings.plan();
        long elapsed = nowNs - startNs;
        long due = pacer.allowed(elapsed, placed);
        while (placed < due) {
            long seq = placed++;
            long dueNs = plan.dueTimeNs(seq);
            int s = plan.stepAt(dueNs);
            if (s != step && !enterStep(s, nowNs)) {
                return;
            }
            StepStats stepStats = stats.step(step);
            boolean warmup = stepStats.warmup();
            if (!warmup) {
                stats.pacingLag().record(elapsed - dueNs);
            }
            if (active >= settings.maxConcurrent()) {
                stepStats.limited();
            } else {
                launch(seq, stepStats, warmup ? 0 : settings.holdNs(), nowNs);
            }
        }
        if (pacer.done(elapsed, placed)) {
            stopOffering(nowNs);
        }
    }

    /** Moves to step {@code next}; false when the run stops offering instead (stop-on-dirty). */
    private boolean enterStep(int next, long nowNs) {
        closeStep(nowNs);
        step = next;
        if (settings.stopOnDirty() && earlierStepDirty()) {
            stopOffering(nowNs);
            return false;
        }
        return true;
    }

    /**
     * Whether an earlier step was unclean: any step so far with a failed or shed call, or a step
     * before the one just finished that is not {@link StepStats#clean()} (its calls had a whole
     * step to be answered, so a router falling behind shows as a low achieved rate).
     */
    private boolean earlierStepDirty() {
        for (int i = 0; i < step; i++) {
            StepStats s = stats.step(i);
            if (s.warmup()) {
                continue;
            }
            if (s.failedCount() > 0 || s.shedCount() > 0 || i < step - 1 && !s.clean()) {
                return true;
            }
        }
        return false;
    }

    private void closeStep(long nowNs) {
        if (step >= 0) {
            RatePlan plan = settings.plan();
            stats.step(step).offerWindow(startNs + plan.stepStartNs(step),
                    Math.min(nowNs, startNs + plan.stepEndNs(step)));
        }
    }

    private void launch(long seq, StepStats stepStats, long holdNs, long nowNs) {
        int key = CallerNumbers.keyOf(seq);
        if (calls.containsKey(key)) {
            // 8,000,000 calls later the key's previous call still lingers: impossible at sane
            // rates; never confuse two calls
            stepStats.limited();
            return;
        }
        CarrierCall call = new CarrierCall(this, key, seq, stepStats);
        calls.put(key, call);
        active++;
        maxActive = Math.max(maxActive, active);
        boolean planned = settings.cancelAfterNs() >= 0
                && (settings.cancelShare() >= 1 || random.nextDouble() < settings.cancelShare());
        call.start(nowNs, holdNs, planned ? settings.cancelAfterNs() : -1);
    }

    /** Stops placing calls; the calls under way go on. */
    public void stopOffering(long nowNs) {
        if (offering) {
            closeStep(nowNs);
            offering = false;
        }
    }

    /** Whether it still places calls. */
    public boolean offering() {
        return offering;
    }

    /** Whether it has stopped placing calls and every call has ended. */
    public boolean finished() {
        return !offering && active == 0;
    }

    /** Ends every call still under way as unfinished (the run's drain time is over). */
    public void abandon(long nowNs) {
        List<CarrierCall> all = new ArrayList<>(calls.values());
        for (CarrierCall c : all) {
            c.abandon(nowNs);
        }
    }

    /** Calls placed and not yet ended. */
    public int activeCalls() {
        return active;
    }

    /** The most calls active at once. */
    public int maxActiveCalls() {
        return maxActive;
    }

    @Override
    public void onMessage(InboundMessage inbound, long nowNs) {
        if (!inbound.isSuccess()) {
            unexpected("unparseable (" + inbound.failure().status() + ")");
            BadRequests.answer(inbound, endpoint);
            return;
        }
        SipMessage m = inbound.message();
        if (m instanceof SipResponse response) {
            CarrierCall call = byBranch(response.topVia().branch());
            if (call == null) {
                unexpected("response for no call");
            } else {
                call.onResponse(response, nowNs);
            }
            return;
        }
        SipRequest request = (SipRequest) m;
        CarrierCall call = byCallId(request.callId());
        if (call != null) {
            call.onRequest(request, inbound.sender(), nowNs);
        } else if (request.method().equals(SipMethod.OPTIONS)) {
            send(CarrierMessages.ok(request), SipAddresses.responseAddress(request, inbound.sender()));
        } else if (!request.method().equals(SipMethod.ACK)) {
            unexpected(request.method().name() + " for no call");
            send(CarrierMessages.reject(request, 481, "Call/Transaction Does Not Exist"),
                    SipAddresses.responseAddress(request, inbound.sender()));
        }
    }

    private CarrierCall byBranch(String branch) {
        int key = ids.keyOfBranch(branch);
        CarrierCall call = key < 0 ? null : calls.get(key);
        return call != null && (branch.equals(call.branch(CallIds.INVITE)) || branch.equals(call.branch(CallIds.BYE)))
                ? call : null;
    }

    private CarrierCall byCallId(String callId) {
        int key = ids.keyOfCallId(callId);
        CarrierCall call = key < 0 ? null : calls.get(key);
        return call != null && callId.equals(call.callId()) ? call : null;
    }

    @Override
    public void inviteReceived(String caller, int port, long nowNs) {
        CarrierCall call = byCaller(caller);
        if (call != null) {
            call.handlerInviteReceived(nowNs);
        }
    }

    @Override
    public void answered(String caller, long inviteReceivedNs, long answerSentNs) {
        CarrierCall call = byCaller(caller);
        if (call != null) {
            call.handlerAnswered(inviteReceivedNs, answerSentNs);
        }
    }

    private CarrierCall byCaller(String caller) {
        int key = numbers.keyOf(caller);
        return key < 0 ? null : calls.get(key);
    }

    // what calls use

    CarrierMessages messages() {
        return messages;
    }

    SipTimers timers() {
        return timers;
    }

    TimerWheel wheel() {
        return wheel;
    }

    SipAddresses addresses() {
        return addresses;
    }

    ErrorLog errors() {
        return errors;
    }

    CallIds ids() {
        return ids;
    }

    CallerNumbers numbers() {
        return numbers;
    }

    InetSocketAddress target() {
        return settings.target();
    }

    long answerTimeoutNs() {
        return settings.answerTimeoutNs();
    }

    void send(byte[] message, InetSocketAddress to) {
        endpoint.send(message, to);
    }

    void answered(long setupNs) {
        stats.recentSetup().record(setupNs);
    }

    void retransmitted(String method) {
        stats.retransmissions().add(method);
    }

    void ackResent() {
        stats.retransmissions().add("ACK (re-sent)");
    }

    void unexpected(String what) {
        stats.unexpected().add(what);
    }

    void ended(CarrierCall call) {
        active--;
    }

    void forget(CarrierCall call) {
        calls.remove(call.key());
    }
}
