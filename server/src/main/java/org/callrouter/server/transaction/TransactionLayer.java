package org.callrouter.server.transaction;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.function.LongSupplier;

import io.netty.util.NetUtil;
import org.agrona.collections.Object2ObjectHashMap;
import org.callrouter.sip.codec.SipParser;
import org.callrouter.sip.codec.SipMessageEditor;
import org.callrouter.sip.codec.SipResponseBuilder;
import org.callrouter.sip.header.CSeq;
import org.callrouter.sip.header.Via;
import org.callrouter.sip.message.HeaderName;
import org.callrouter.sip.message.SipMethod;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.sip.message.SipResponse;
import org.callrouter.server.timer.TimerService;
import org.callrouter.server.transport.Destination;
import org.callrouter.server.transport.SipSender;
import org.callrouter.server.transport.Transport;

/**
 * The SIP transaction layer (RFC 3261 section 17): matches requests to server transactions and
 * responses to client transactions, creates new ones, and hands what is new to the
 * {@link TransactionUser}. Single-threaded: each SIP worker has its own, and everything of it
 * runs on that worker's event loop.
 */
public final class TransactionLayer {

    private static final String MAGIC_COOKIE = "z9hG4bK";

    /**
     * Stateless refusals answered per second, at most (a fixed one-second window). A refused
     * source learns why (a misconfigured carrier sees its 403), while a flood costs at most this
     * many small datagrams a second and cannot be reflected at a spoofed victim at its own rate.
     */
    public static final int STATELESS_REFUSALS_PER_SECOND = 100;

    private final SipSender sender;
    private final TimerService timers;
    private final SipTimers sipTimers;
    private final LongSupplier clockMs;
    private final MessageCounters counters;
    private final LargeRequests largeRequests;
    private final TransactionStats stats = new TransactionStats();
    private final Object2ObjectHashMap<String, ServerTransaction> serverTransactions = new Object2ObjectHashMap<>();
    private final Object2ObjectHashMap<String, ClientTransaction> clientTransactions = new Object2ObjectHashMap<>();
    private TransactionUser user;
    /** The stateless refusals' allowance and To tag, shared with the other SIP workers' layers. */
    private final RefusalAllowance refusals;

    /**
     * @param sender    the transports.
     * @param timers    the SIP loop's timer wheel.
     * @param sipTimers T1, T2, T4.
     * @param clockMs   a monotonic millisecond clock, the same the timer wheel is polled with.
     * @param counters  told of requests received and responses sent.
     */
    public TransactionLayer(SipSender sender, TimerService timers, SipTimers sipTimers, LongSupplier clockMs,
                            MessageCounters counters) {
        this(sender, timers, sipTimers, clockMs, counters, LargeRequests.NEVER);
    }

    /** As above, with large requests moved from UDP to TCP as {@code largeRequests} says (RFC 3261 18.1.1). */
    public TransactionLayer(SipSender sender, TimerService timers, SipTimers sipTimers, LongSupplier clockMs,
                            MessageCounters counters, LargeRequests largeRequests) {
        this(sender, timers, sipTimers, clockMs, counters, largeRequests, new RefusalAllowance());
    }

    /** As above, answering stateless refusals within {@code refusals}, which other layers may share. */
    public TransactionLayer(SipSender sender, TimerService timers, SipTimers sipTimers, LongSupplier clockMs,
                            MessageCounters counters, LargeRequests largeRequests, RefusalAllowance refusals) {
        this.refusals = refusals;
        this.largeRequests = largeRequests;
        this.sender = sender;
        this.timers = timers;
        this.sipTimers = sipTimers;
        this.clockMs = clockMs;
        this.counters = counters;
    }

    /** Sets the user; done once while wiring, before any message arrives. */
    public void user(TransactionUser user) {
        this.user = user;
    }

    /**
     * A request from the network (RFC 3261 17.2.3 matching).
     *
     * @param request the parsed request.
     * @param source  the transport it came on, the sender's address and, for TCP, its connection.
     */
    public void onRequest(SipRequest request, Destination source) {
        counters.requestReceived(request.method());
        final SipRequest stamped = stampVia(request, source.address());
        final Destination replyTo = replyDestination(stamped.topVia(), source);
        final SipMethod method = stamped.method();

        if (method.equals(SipMethod.ACK)) {
            final ServerTransaction invite = serverTransactions.get(serverKey(stamped, SipMethod.INVITE));
            if (invite instanceof InviteServerTransaction ist && ist.lastStatus() >= 300) {
                ist.onAck();
            } else {
                user.onAck(stamped, source);
            }
            return;
        }

        final String key = serverKey(stamped, method);
        final ServerTransaction existing = serverTransactions.get(key);
        if (existing != null) {
            existing.onRetransmission();
            return;
        }

        // Admission before any state: a source the user refuses costs no transaction (and no
        // 32 s of timers), only a stateless answer while the second's allowance lasts.
        final Refusal refusal = user.admit(stamped, source);
        if (refusal != null) {
            refuseStateless(stamped, refusal, replyTo);
            return;
        }
        stats.serverTransactionsCreated++;

        if (method.equals(SipMethod.INVITE)) {
            final InviteServerTransaction ist = new InviteServerTransaction(this, key, replyTo, stamped);
            serverTransactions.put(key, ist);
            try {
                user.onRequest(ist);
            } finally {
                ist.tryingUnlessAnswered();
            }
        } else if (method.equals(SipMethod.CANCEL)) {
            final NonInviteServerTransaction cancel = new NonInviteServerTransaction(this, key, replyTo, stamped);
            serverTransactions.put(key, cancel);
            final ServerTransaction invite = serverTransactions.get(serverKey(stamped, SipMethod.INVITE));
            if (invite instanceof InviteServerTransaction ist) {
                ist.markCancelled();
                user.onCancel(cancel, ist);
            } else {
                cancel.respond(481, "Call/Transaction Does Not Exist");
            }
        } else {
            final NonInviteServerTransaction nist = new NonInviteServerTransaction(this, key, replyTo, stamped);
            serverTransactions.put(key, nist);
            user.onRequest(nist);
        }
    }

    /** A response from the network (RFC 3261 17.1.3 matching); strays are counted and dropped. */
    public void onResponse(SipResponse response) {
        final Via via = response.topVia();
        final CSeq cseq = response.cseq();
        final ClientTransaction transaction = via.branch() == null
                ? null
                : clientTransactions.get(clientKey(via.branch(), cseq.method()));
        if (transaction == null) {
            stats.strayResponses++;
            return;
        }
        transaction.onResponse(response);
    }

    /**
     * Sends an INVITE in a new client transaction. The request's top Via must carry a branch
     * from {@link BranchIds}; {@code request} is {@code encoded} parsed back, kept to build the
     * ACK and CANCEL.
     */
    public InviteClientTransaction sendInvite(SipRequest request, byte[] encoded, Destination destination,
                                              ClientTransactionListener listener) {
        final String key = clientKey(request.topVia().branch(), SipMethod.INVITE);
        final InviteClientTransaction transaction =
                new InviteClientTransaction(this, key, destination, request, encoded, listener);
        clientTransactions.put(key, transaction);
        transaction.start();
        return transaction;
    }

    /** Sends a request other than INVITE and ACK in a new client transaction. */
    public NonInviteClientTransaction sendNonInvite(SipRequest request, byte[] encoded, Destination destination,
                                                    ClientTransactionListener listener) {
        final String key = clientKey(request.topVia().branch(), request.method());
        final NonInviteClientTransaction transaction =
                new NonInviteClientTransaction(this, key, destination, request, encoded, listener);
        clientTransactions.put(key, transaction);
        transaction.start();
        return transaction;
    }

    /** Sends a response outside any transaction: to a request too malformed to have one. */
    public void respondStateless(int status, byte[] encoded, Destination destination) {
        counters.responseSent(status);
        sender.send(destination, encoded, null);
    }

    private void refuseStateless(SipRequest request, Refusal refusal, Destination replyTo) {
        if (!refusals.take(clockMs.getAsLong())) {
            stats.refusalsDropped++;
            return;
        }
        stats.refusedStateless++;
        respondStateless(refusal.status(), SipResponseBuilder.forRequest(request, refusal.status(), refusal.phrase())
                .toTag(refusals.tag())
                .header(HeaderName.REASON, refusal.reasonHeader())
                .toBytes(), replyTo);
    }

    /** Sends a message outside any transaction: the ACK for a 2xx (RFC 3261 13.2.2.4). */
    public void sendStateless(byte[] encoded, Destination destination) {
        sender.send(destination, encoded, null);
    }

    /** Live server plus client transactions. */
    public int size() {
        return serverTransactions.size() + clientTransactions.size();
    }

    public TransactionStats stats() {
        return stats;
    }

    /** What became of requests too large for UDP. */
    public LargeRequests largeRequests() {
        return largeRequests;
    }

    long nowMs() {
        return clockMs.getAsLong();
    }

    TimerService timers() {
        return timers;
    }

    SipTimers sipTimers() {
        return sipTimers;
    }

    SipSender sender() {
        return sender;
    }

    TransactionUser user() {
        return user;
    }

    MessageCounters counters() {
        return counters;
    }

    void remove(Transaction transaction) {
        if (transaction instanceof ServerTransaction) {
            serverTransactions.remove(transaction.key, transaction);
        } else {
            clientTransactions.remove(transaction.key, transaction);
        }
    }

    /**
     * RFC 3261 18.2.1 and RFC 3581: the server transport records where a request really came
     * from in its top Via ({@code received}, and {@code rport} when the client asked for it), so
     * that the responses, which copy the Via, carry it back. Most requests need no change.
     */
    private static SipRequest stampVia(SipRequest request, InetSocketAddress from) {
        final Via via = request.topVia();
        final boolean v6 = from.getAddress() instanceof Inet6Address;
        // An IPv6 received in its RFC 5952 form (::1), as the router writes its own addresses.
        final String sourceIp = v6 ? NetUtil.toAddressString(from.getAddress()) : from.getAddress().getHostAddress();
        final boolean needsReceived = v6 ? !sameIpv6(via.host(), from.getAddress()) : !sourceIp.equals(via.host());
        if (!needsReceived && !via.hasRport()) {
            return request;
        }
        final byte[] edited = SipMessageEditor.of(request)
                .setTopViaReceived(sourceIp, via.hasRport() ? from.getPort() : -1)
                .toBytes();
        return (SipRequest) SipParser.parse(edited, 0, edited.length);
    }

    /**
     * Whether a Via host is the IPv6 address {@code source}: the text cannot be compared, as
     * {@code [::1]}, {@code [0:0::1]} and Java's {@code 0:0:0:0:0:0:0:1} are one address.
     * A bracketed literal is parsed without a DNS lookup; a host name is never the same.
     */
    private static boolean sameIpv6(String viaHost, InetAddress source) {
        if (viaHost.length() < 3 || viaHost.charAt(0) != '[' || viaHost.charAt(viaHost.length() - 1) != ']'
                || viaHost.indexOf(':') < 0) {
            return false;
        }
        try {
            return InetAddress.getByName(viaHost.substring(1, viaHost.length() - 1)).equals(source);
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * Where responses to a request go (RFC 3261 18.2.2, RFC 3581 section 4): back on the
     * connection for TCP and TLS; over UDP to the source address, at the source port when the client
     * asked for {@code rport}, else at the sent-by port.
     */
    static Destination replyDestination(Via via, Destination source) {
        if (source.transport().reliable()) {
            return source;
        }
        if (via.hasRport()) {
            return source;
        }
        final int port = via.port() > 0 ? via.port() : 5060;
        return Destination.of(Transport.UDP, new InetSocketAddress(source.address().getAddress(), port));
    }

    private static String serverKey(SipRequest request, SipMethod method) {
        final Via via = request.topVia();
        final String branch = via.branch();
        if (branch != null && branch.startsWith(MAGIC_COOKIE)) {
            return branch + '\u0000' + via.host() + ':' + via.port() + '\u0000' + method.name();
        }
        // RFC 2543 peers: the request's identity is its Request-URI, From tag, Call-ID, CSeq
        // number and top Via (RFC 3261 17.2.3); the To tag is left out so an ACK matches.
        return "2543\u0000" + request.requestUriString() + '\u0000' + request.fromTag() + '\u0000'
                + request.callId() + '\u0000' + request.cseq().number() + '\u0000' + via + '\u0000' + method.name();
    }

    private static String clientKey(String branch, SipMethod method) {
        return branch + '\u0000' + method.name();
    }
}
