package org.callrouter.server.sipua;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * A bare UDP socket on loopback for sending bytes no SIP stack would produce (torture messages,
 * mutated or random datagrams) and reading whatever comes back.
 */
public final class RawUdpPeer implements AutoCloseable {
    private static final int MAX_DATAGRAM = 65_535;

    private final DatagramSocket socket;

    private RawUdpPeer(DatagramSocket socket) {
        this.socket = socket;
    }

    /** Binds 127.0.0.1:{@code port} (0: an ephemeral port). */
    public static RawUdpPeer open(int port) {
        return open(Ports.LOOPBACK, port);
    }

    /**
     * Binds {@code address}:{@code port}: another loopback address (127.0.0.2, any of 127/8 on
     * Linux) is a second host for tests of what the router accepts from whom.
     */
    public static RawUdpPeer open(InetAddress address, int port) {
        try {
            return new RawUdpPeer(new DatagramSocket(new InetSocketAddress(address, port)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind UDP " + address.getHostAddress() + ":" + port, e);
        }
    }

    /** The address it is bound to. */
    public InetAddress address() {
        return socket.getLocalAddress();
    }

    /** A datagram received, with where it came from. */
    public record Datagram(InetSocketAddress from, byte[] bytes) {
        /** The bytes as text (ISO-8859-1, so every byte maps to one character). */
        public String text() {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }

        @Override
        public String toString() {
            return "datagram from " + from + ": " + text();
        }
    }

    /** The port it is bound to. */
    public int port() {
        return socket.getLocalPort();
    }

    /** Sends {@code bytes} as one datagram to {@code to}. */
    public void send(InetSocketAddress to, byte[] bytes) {
        try {
            socket.send(new DatagramPacket(bytes, bytes.length, to));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send " + bytes.length + " bytes to " + to, e);
        }
    }

    /** Sends {@code text} (ISO-8859-1) as one datagram to {@code to}. */
    public void send(InetSocketAddress to, String text) {
        send(to, text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The next datagram that arrives within {@code timeout}, or empty. */
    public Optional<Datagram> receive(Duration timeout) {
        byte[] buffer = new byte[MAX_DATAGRAM];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
            socket.setSoTimeout(Math.toIntExact(Math.max(1, timeout.toMillis())));
            socket.receive(packet);
        } catch (SocketTimeoutException nothing) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot receive on UDP port " + port(), e);
        }
        return Optional.of(new Datagram((InetSocketAddress) packet.getSocketAddress(),
                Arrays.copyOf(buffer, packet.getLength())));
    }

    @Override
    public void close() {
        socket.close();
    }
}
