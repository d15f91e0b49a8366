package org.callrouter.server.sipua;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Free loopback ports for test peers: a port is handed out only when both a UDP socket and a TCP
 * listener can bind it on 127.0.0.1. Within a range the search goes round from just after the
 * last port handed out, so two ports asked for one after the other differ even before either is
 * bound (the router and its peers in one test), and a range is never used up by a long run.
 * Ranges given to different callers should not overlap.
 */
public final class Ports {
    /** The loopback address every test peer binds. */
    public static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private static final int MAX_EPHEMERAL_TRIES = 50;
    /** Per range ({@code from << 32 | to}): the first port to try next. */
    private static final Map<Long, Integer> NEXT = new HashMap<>();
    private static final Set<Integer> EPHEMERAL_HANDED_OUT = new HashSet<>();

    private Ports() {
    }

    /**
     * A port in {@code [from, to]} that is free for UDP and TCP on loopback.
     *
     * @throws IllegalStateException when every port of the range is taken
     */
    public static synchronized int free(int from, int to) {
        return freeBlock(from, to, 1);
    }

    /**
     * The first of {@code count} consecutive ports in {@code [from, to]} that are all free for UDP
     * and TCP on loopback (SIPp's media ports, for example, need neighbours).
     *
     * @throws IllegalStateException when the range has no such block
     */
    public static synchronized int freeBlock(int from, int to, int count) {
        if (from < 1 || to > 65535 || from > to || count < 1 || count > to - from + 1) {
            throw new IllegalArgumentException("bad port range [" + from + ", " + to + "] for " + count + " port(s)");
        }
        long range = ((long) from << 32) | to;
        int firsts = to - from + 2 - count;
        int start = NEXT.getOrDefault(range, from) - from;
        for (int i = 0; i < firsts; i++) {
            int first = from + (start + i) % firsts;
            if (blockFree(first, count)) {
                NEXT.put(range, first + count);
                return first;
            }
        }
        throw new IllegalStateException("no block of " + count + " free UDP+TCP port(s) in [" + from + ", " + to + "]");
    }

    /**
     * A kernel-chosen ephemeral port that is also free for UDP, never the same twice in one JVM.
     *
     * @throws IllegalStateException when no such port turns up after a few tries
     */
    public static synchronized int free() {
        for (int attempt = 0; attempt < MAX_EPHEMERAL_TRIES; attempt++) {
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
                port = probe.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot bind an ephemeral TCP port on loopback", e);
            }
            if (!EPHEMERAL_HANDED_OUT.contains(port) && blockFree(port, 1)) {
                EPHEMERAL_HANDED_OUT.add(port);
                return port;
            }
        }
        throw new IllegalStateException("no ephemeral port free for both UDP and TCP after " + MAX_EPHEMERAL_TRIES + " tries");
    }

    private static boolean blockFree(int first, int count) {
        for (int port = first; port < first + count; port++) {
            if (!bindable(port)) {
                return false;
            }
        }
        return true;
    }

    private static boolean bindable(int port) {
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(LOOPBACK, port));
             ServerSocket tcp = new ServerSocket(port, 1, LOOPBACK)) {
            return udp.isBound() && tcp.isBound();
        } catch (IOException taken) {
            return false;
        }
    }
}
