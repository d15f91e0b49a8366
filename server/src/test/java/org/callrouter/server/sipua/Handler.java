package org.callrouter.server.sipua;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.header.CallIdHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * A call handler (the buyer's side, UAS) for integration tests: a {@link SipUa} that answers
 * each new INVITE as its script says ({@link Behaviour}) and records everything it receives.
 *
 * <p>INVITEs take the scripted behaviours in order ({@link #script}), then the default
 * ({@link #behaviour}, initially {@link Behaviour#answer()}). A CANCEL is answered 200 and the
 * INVITE it cancels 487 when that has no final answer yet (RFC 3261 section 9.2). In-dialog BYE,
 * INFO, UPDATE, re-INVITE and OPTIONS probes get 200.
 */
public final class Handler implements AutoCloseable {
    private final Deque<Behaviour> script = new ArrayDeque<>();
    private volatile Behaviour behaviour = Behaviour.answer();
    /** INVITE transactions by branch; kept after the final answer so a late CANCEL still matches. */
    private final Map<String, Invite> invites = new ConcurrentHashMap<>();
    private final Map<String, Duration> hangUpAfterAck = new ConcurrentHashMap<>();
    /** Calls ringing or up here now (by Call-ID), and the most there ever were at once. */
    private final Set<String> live = new HashSet<>();
    private int peakLive;
    private final ScheduledExecutorService timers;
    private final SipUa ua;
    private volatile Gate gate = (agent, transaction, request, toTag) -> false;

    /** Looks at a new INVITE before its behaviour does, and may answer it itself (a challenge, a refusal). */
    @FunctionalInterface
    interface Gate {
        /** @return whether the gate answered the INVITE (its behaviour then does nothing) */
        boolean answered(SipUa agent, ServerTransaction transaction, Request request, String toTag) throws Exception;
    }

    private Handler(String name, int port, EnumSet<SipUa.Transport> transports, TlsIdentity tls) {
        timers = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, name + "-timers");
            thread.setDaemon(true);
            return thread;
        });
        ua = new SipUa(name, port, transports, tls, this::onRequest);
    }

    /** A UDP handler named {@code handler} on {@code port} (0: an ephemeral port). */
    public static Handler open(int port) {
        return open("handler", port, SipUa.Transport.UDP);
    }

    /**
     * A handler on {@code port} (0: an ephemeral port) for the given transports.
     *
     * @param name names its stack and its Contact user, for logs
     */
    public static Handler open(String name, int port, SipUa.Transport first, SipUa.Transport... more) {
        return new Handler(name, port, EnumSet.of(first, more), null);
    }

    /** A handler on {@code port} listening on TLS only, presenting and trusting {@code tls}. */
    public static Handler openTls(String name, int port, TlsIdentity tls) {
        return new Handler(name, port, EnumSet.of(SipUa.Transport.TLS), tls);
    }

    /** Puts {@code next} in front of every new INVITE's behaviour. */
    Handler gate(Gate next) {
        gate = next;
        return this;
    }

    /** Sets what every INVITE gets once the {@link #script} is used up; returns this handler. */
    public Handler behaviour(Behaviour next) {
        behaviour = next;
        return this;
    }

    /** Queues behaviours for the next INVITEs, one each, in order; returns this handler. */
    public Handler script(Behaviour... next) {
        synchronized (script) {
            script.addAll(List.of(next));
        }
        return this;
    }

    /** The port it listens on. */
    public int port() {
        return ua.port();
    }

    /** {@code 127.0.0.1:port}. */
    public String hostPort() {
        return ua.hostPort();
    }

    /** Its address as a handler target in the router's configuration: {@code sip:127.0.0.1:port}. */
    public String uri() {
        return "sip:" + ua.hostPort();
    }

    /** The user agent underneath, for its name, transports and errors. */
    public SipUa ua() {
        return ua;
    }

    /** Every request received so far, in arrival order. */
    public List<ReceivedRequest> requests() {
        return ua.requests();
    }

    /** The new (out-of-dialog) INVITEs received so far: one per INVITE transaction. */
    public List<ReceivedRequest> invites() {
        return ua.requestRecorder().matching(Handler::isNewInvite);
    }

    /** How many INVITE transactions it received (retransmissions are absorbed, not counted). */
    public int inviteCount() {
        return invites().size();
    }

    /** Waits for {@code count} new INVITEs and returns them. */
    public List<ReceivedRequest> awaitInvites(int count, Duration timeout) {
        return ua.requestRecorder().await(Handler::isNewInvite, count, timeout, "new INVITE at " + ua.name());
    }

    /** Waits for the first request of {@code method}. */
    public ReceivedRequest awaitRequest(String method, Duration timeout) {
        return awaitRequests(method, 1, timeout).get(0);
    }

    /** Waits for {@code count} requests of {@code method} and returns the first {@code count}. */
    public List<ReceivedRequest> awaitRequests(String method, int count, Duration timeout) {
        return ua.requestRecorder().await(r -> r.method().equals(method), count, timeout, method + " at " + ua.name());
    }

    /** Waits for {@code count} INFO requests (send digits arrive as INFO) and returns them in order. */
    public List<ReceivedRequest> awaitInfos(int count, Duration timeout) {
        return awaitRequests(Request.INFO, count, timeout);
    }

    /** Responses to the requests this handler sent (its BYEs). */
    public List<ReceivedResponse> responses() {
        return ua.responses();
    }

    /** Waits for the first final response to a request of {@code method} this handler sent. */
    public ReceivedResponse awaitResponse(String method, Duration timeout) {
        return ua.responseRecorder().awaitFirst(r -> r.isFinal() && r.method().equals(method), timeout,
                "final response to " + method + " at " + ua.name());
    }

    /** Hangs up the answered call {@code callId} now (BYE) and returns the final answer to the BYE. */
    public ReceivedResponse hangUp(String callId, Duration timeout) {
        return request(callId, Request.BYE, null, null, timeout);
    }

    /**
     * Sends {@code method} (INFO, UPDATE, re-INVITE, …) inside the answered call {@code callId},
     * with a body of {@code mediaType} unless {@code body} is null, and returns the final response.
     */
    public ReceivedResponse request(String callId, String method, String mediaType, String body, Duration timeout) {
        return ua.requestInDialog(callId, method, mediaType, body, timeout);
    }

    /** What went wrong inside the handler (see {@link SipUa#errors()}). */
    public List<String> errors() {
        return ua.errors();
    }

    /** Stops the scheduled answers and hang-ups, then the user agent. */
    @Override
    public void close() {
        timers.shutdownNow();
        ua.close();
    }

    /**
     * The most calls that were ringing or up at this handler at once, counted at the peer: from
     * a new INVITE's arrival to the BYE it sends or receives, or the CANCEL it receives.
     */
    public int peakLiveCalls() {
        synchronized (live) {
            return peakLive;
        }
    }

    private void callStarted(String callId) {
        synchronized (live) {
            live.add(callId);
            peakLive = Math.max(peakLive, live.size());
        }
    }

    private void callEnded(String callId) {
        synchronized (live) {
            live.remove(callId);
        }
    }

    private static boolean isNewInvite(ReceivedRequest request) {
        return request.method().equals(Request.INVITE) && !request.inDialog();
    }

    private Behaviour nextBehaviour() {
        synchronized (script) {
            Behaviour next = script.poll();
            return next == null ? behaviour : next;
        }
    }

    private boolean onRequest(SipUa agent, RequestEvent event, ServerTransaction transaction, ReceivedRequest request)
            throws Exception {
        if (isNewInvite(request)) {
            callStarted(request.callId());
            onInvite(agent, transaction, event.getRequest(), request);
            return true;
        }
        if (request.method().equals(Request.BYE)) {
            callEnded(request.callId());
        }
        if (request.method().equals(Request.CANCEL)) {
            callEnded(request.callId());
            onCancel(agent, transaction, event.getRequest(), request);
            return true;
        }
        if (request.method().equals(Request.ACK)) {
            Duration delay = hangUpAfterAck.remove(request.callId());
            if (delay != null) {
                timers.schedule(guarded(agent, "hang up " + request.callId(), () -> {
                            // Counted as over before the BYE leaves: the router frees the slot only on it.
                            callEnded(request.callId());
                            hangUpIfLive(agent, request.callId());
                        }),
                        delay.toNanos(), TimeUnit.NANOSECONDS);
            }
        }
        return false;
    }

    private void onInvite(SipUa agent, ServerTransaction transaction, Request request, ReceivedRequest received)
            throws Exception {
        if (gate.answered(agent, transaction, request, SipUa.newTag())) {
            return;
        }
        Behaviour next = nextBehaviour();
        Invite invite = new Invite(agent, transaction, request);
        invites.put(received.branch(), invite);
        if (next.ringing()) {
            agent.respond(transaction, request, Response.RINGING, invite.toTag, false);
        }
        if (next.earlyMedia()) {
            agent.respond(transaction, request, Response.SESSION_PROGRESS, invite.toTag, true);
        }
        if (next.hangUpAfterAck() != null) {
            hangUpAfterAck.put(received.callId(), next.hangUpAfterAck());
        }
        if (next.finalAfter() == null) {
            return;
        }
        if (next.finalAfter().isZero()) {
            invite.finish(next.finalStatus());
        } else {
            invite.schedule(next.finalStatus(), next.finalAfter());
        }
    }

    private void onCancel(SipUa agent, ServerTransaction transaction, Request cancel, ReceivedRequest received)
            throws Exception {
        Invite invite = invites.get(received.branch());
        if (invite == null) {
            agent.respond(transaction, cancel, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, SipUa.newTag(), false);
            return;
        }
        agent.respond(transaction, cancel, Response.OK, invite.toTag, false);
        invite.finish(Response.REQUEST_TERMINATED);
    }

    private static void hangUpIfLive(SipUa agent, String callId) {
        if (agent.dialogLive(callId)) {
            agent.sendInDialog(callId, Request.BYE, null, null);
        }
    }

    private static Runnable guarded(SipUa agent, String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | AssertionError e) {
                agent.error("could not " + what, e);
            }
        };
    }

    /** One INVITE server transaction and its single final answer. */
    private final class Invite {
        private final SipUa agent;
        private final ServerTransaction transaction;
        private final Request request;
        private final String toTag = SipUa.newTag();
        private ScheduledFuture<?> pendingAnswer;
        private boolean answered;

        Invite(SipUa agent, ServerTransaction transaction, Request request) {
            this.agent = agent;
            this.transaction = transaction;
            this.request = request;
        }

        synchronized void schedule(int status, Duration delay) {
            pendingAnswer = timers.schedule(guarded(agent, "answer " + status, () -> finish(status)),
                    delay.toNanos(), TimeUnit.NANOSECONDS);
        }

        /** Sends the final answer unless one was sent already (a CANCEL and a timer can race). */
        synchronized void finish(int status) {
            if (answered) {
                return;
            }
            answered = true;
            if (status >= 300) {
                callEnded(((CallIdHeader) request.getHeader(CallIdHeader.NAME))
                        .getCallId());
            }
            if (pendingAnswer != null) {
                pendingAnswer.cancel(false);
            }
            try {
                agent.respond(transaction, request, status, toTag, status / 100 == 2);
            } catch (Exception e) {
                agent.error("could not answer " + status + " to INVITE " + SipUa.callIdOf(request), e);
            }
        }
    }
}
