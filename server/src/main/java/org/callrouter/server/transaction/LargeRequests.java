package org.callrouter.server.transaction;

import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.callrouter.sip.codec.SipMessageEditor;
import org.callrouter.sip.codec.SipParser;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.server.transport.Destination;
import org.callrouter.server.transport.Transport;

/**
 * RFC 3261 18.1.1 for the requests the router sends: one larger than 1300 bytes (the path MTU
 * is unknown) that would go over UDP goes over TCP instead, to the same address and port (a UDP
 * peer must listen on TCP there too, 18.2.1), with its top Via saying TCP and the router's TCP
 * sent-by. The Contact and Request-URI stay as they were, so the dialog's later requests go
 * over UDP again unless they too are large (what pjsip does).
 * <p>
 * The RFC does not say what to do when the TCP connection cannot be made. Many PBXs and call
 * centres listen on UDP only, and they take a fragmented datagram; refusing the call, or
 * skipping a handler that answers UDP calls every day, would lose calls that work. So the
 * request falls back to UDP (its original bytes, with retransmissions) within the same
 * transaction, and the address is remembered for {@link #REFUSED_MEMORY_MS}: its large
 * requests go straight over UDP meanwhile, so a peer whose firewall drops SYNs costs one
 * connect timeout per ten minutes, not one per call.
 * <p>
 * Without a TCP socket of its own the router keeps large requests on UDP: a Via must name
 * where the peer can reach it over the transport it says.
 * <p>
 * Shared by the SIP workers (the memory of refused addresses is the router's). The only cost to a request that is small, or not over UDP,
 * is the length comparison in {@link ClientTransaction}.
 */
public final class LargeRequests {

    /** RFC 3261 18.1.1: "larger than 1300 bytes and the path MTU is unknown". */
    public static final int MAX_UDP_REQUEST_BYTES = 1300;
    /** How long an address whose TCP connection failed gets its large requests over UDP. */
    static final long REFUSED_MEMORY_MS = 600_000;
    /** Addresses remembered at most; past it the memory starts afresh (a bound, not an LRU). */
    static final int MAX_REMEMBERED = 4096;

    /** Keeps every request on the transport it was given (no TCP socket, or tests). */
    public static final LargeRequests NEVER = new LargeRequests(null);

    private final String tcpSentBy;
    private final ConcurrentHashMap<InetSocketAddress, Long> refusedUntilMs = new ConcurrentHashMap<>();
    private final LongAdder overTcp = new LongAdder();
    private final LongAdder fellBack = new LongAdder();
    private final LongAdder keptOnUdp = new LongAdder();

    /** @param tcpSentBy the router's TCP {@code host:port} for the Via, or null when it has no TCP socket. */
    public LargeRequests(String tcpSentBy) {
        this.tcpSentBy = tcpSentBy;
    }

    /**
     * The TCP form of a large request bound for {@code udp}, or null when it stays on UDP.
     *
     * @param request the request as it would go over UDP
     * @param nowMs   the layer's clock
     */
    Switched overTcp(SipRequest request, Destination udp, long nowMs) {
        if (tcpSentBy == null) {
            return null;
        }
        final InetSocketAddress address = udp.address();
        final Long until = refusedUntilMs.get(address);
        if (until != null) {
            if (nowMs < until) {
                keptOnUdp.increment();
                return null;
            }
            refusedUntilMs.remove(address, until);
        }
        final byte[] encoded = SipMessageEditor.of(request).setTopViaSentBy("TCP", tcpSentBy).toBytes();
        overTcp.increment();
        return new Switched(Destination.of(Transport.TCP, address), encoded,
                (SipRequest) SipParser.parse(encoded, 0, encoded.length));
    }

    /** The TCP connection to {@code address} failed: its large requests go over UDP for a while. */
    void refused(InetSocketAddress address, long nowMs) {
        fellBack.increment();
        if (refusedUntilMs.size() >= MAX_REMEMBERED) {
            refusedUntilMs.clear();
        }
        refusedUntilMs.put(address, nowMs + REFUSED_MEMORY_MS);
    }

    /** Large requests sent over TCP instead of UDP. */
    public long overTcp() {
        return overTcp.sum();
    }

    /** Of those, the ones whose TCP connection failed and that went over UDP after all. */
    public long fellBack() {
        return fellBack.sum();
    }

    /** Large requests sent over UDP at once, their peer's TCP having failed within {@link #REFUSED_MEMORY_MS}. */
    public long keptOnUdp() {
        return keptOnUdp.sum();
    }

    /** A request moved to TCP: where it goes, its bytes and its parsed form. */
    record Switched(Destination destination, byte[] encoded, SipRequest request) {
    }
}
