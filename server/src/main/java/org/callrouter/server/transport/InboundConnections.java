package org.callrouter.server.transport;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Bounds on the TCP and TLS connections peers open to the router: in total, and from one IP
 * address. A connection over either bound is refused (the transport closes it as soon as it is
 * accepted, before a TLS handshake or a byte of SIP) and counted; the connections already open
 * are not touched. Outbound connections (to handlers) are not counted: the configuration bounds them.
 * Used on the SIP event loop only; the counters are read by metrics from other threads.
 */
public final class InboundConnections {

    /** Why a connection was refused. */
    public enum Refusal { NONE, TOTAL, PER_ADDRESS }

    private final Map<InetAddress, Integer> perAddress = new HashMap<>();
    private int max;
    private int maxPerAddress;
    private int open;
    private volatile long refusedTotal;
    private volatile long refusedPerAddress;
    private volatile int openNow;

    /**
     * @param max           connections at once, all addresses together.
     * @param maxPerAddress connections at once from one address.
     */
    public InboundConnections(int max, int maxPerAddress) {
        limits(max, maxPerAddress);
    }

    /** New bounds (a reload); connections already open stay, even over them. */
    public void limits(int max, int maxPerAddress) {
        if (max < 1 || maxPerAddress < 1) {
            throw new IllegalArgumentException("max=" + max + " and maxPerAddress=" + maxPerAddress + " must be >= 1");
        }
        this.max = max;
        this.maxPerAddress = maxPerAddress;
    }

    /**
     * A connection from {@code peer} was accepted: admits it (then {@link #closed} must follow)
     * or says which bound refuses it (and counts the refusal).
     */
    public Refusal opened(InetAddress peer) {
        if (open >= max) {
            refusedTotal++;
            return Refusal.TOTAL;
        }
        final int fromPeer = perAddress.getOrDefault(peer, 0);
        if (fromPeer >= maxPerAddress) {
            refusedPerAddress++;
            return Refusal.PER_ADDRESS;
        }
        perAddress.put(peer, fromPeer + 1);
        openNow = ++open;
        return Refusal.NONE;
    }

    /** An admitted connection from {@code peer} closed. */
    public void closed(InetAddress peer) {
        perAddress.computeIfPresent(peer, (address, n) -> n == 1 ? null : n - 1);
        openNow = --open;
    }

    /** Inbound connections open now. */
    public int open() {
        return openNow;
    }

    /** Connections refused because {@code max} were open. */
    public long refusedTotal() {
        return refusedTotal;
    }

    /** Connections refused because {@code max_per_address} were open from their address. */
    public long refusedPerAddress() {
        return refusedPerAddress;
    }
}
