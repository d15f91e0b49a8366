package org.callrouter.server.transport;

import java.net.InetSocketAddress;

/**
 * The {@link Destination} of each UDP source address, shared by all datagrams from it. Every
 * datagram arrives with a new {@link InetSocketAddress}, and a call keeps the destination of its
 * carrier's INVITE (and a transaction that of its peer) for its whole life: without sharing,
 * 100,000 live calls hold 100,000 copies of the same few addresses (five objects each).
 * A direct-mapped table: a collision only costs a new destination. Used on the SIP event loop only.
 */
final class UdpSources {

    private static final int SLOTS = 256;

    private final Destination[] slots = new Destination[SLOTS];

    /** The shared destination for datagrams from {@code sender}. */
    Destination of(InetSocketAddress sender) {
        final int slot = sender.hashCode() & (SLOTS - 1);
        Destination destination = slots[slot];
        if (destination == null || !destination.address().equals(sender)) {
            destination = Destination.of(Transport.UDP, sender);
            slots[slot] = destination;
        }
        return destination;
    }
}
