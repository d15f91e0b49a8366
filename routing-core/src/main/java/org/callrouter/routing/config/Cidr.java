package org.callrouter.routing.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An address block such as {@code 127.0.0.0/8} or {@code ::1/128}; a bare address is a
 * block of one. Matching works on raw address bytes so that the server can test each
 * datagram's source without allocating.
 */
public final class Cidr {

    private final byte[] network;
    private final int prefixLength;
    private final String text;

    private Cidr(byte[] network, int prefixLength, String text) {
        this.network = network;
        this.prefixLength = prefixLength;
        this.text = text;
    }

    /**
     * Parses {@code address/prefix} with a numeric address (no name lookups).
     *
     * @throws IllegalArgumentException with a message for the operator
     */
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes = address.indexOf(':') >= 0 ? ipv6(address, text) : ipv4(address, text);
        int max = bytes.length * 8;
        int prefix = max;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("prefix length must be a number, got \"" + text.substring(slash + 1) + "\"");
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException("prefix length must be between 0 and " + max + ", got " + prefix);
            }
        }
        for (int bit = prefix; bit < max; bit++) {
            if ((bytes[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
                throw new IllegalArgumentException("\"" + text + "\" has host bits set; did you mean "
                        + masked(bytes, prefix) + "/" + prefix + "?");
            }
        }
        return new Cidr(bytes, prefix, text);
    }

    private static byte[] ipv4(String address, String text) {
        String[] parts = address.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("expected a numeric IPv4 or IPv6 address, got \"" + text + "\"");
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int value = parts[i].isEmpty() || parts[i].length() > 3 || !parts[i].chars().allMatch(Character::isDigit)
                    ? -1 : Integer.parseInt(parts[i]);
            if (value < 0 || value > 255) {
                throw new IllegalArgumentException("not an IPv4 address: \"" + address + "\"");
            }
            bytes[i] = (byte) value;
        }
        return bytes;
    }

    private static byte[] ipv6(String address, String text) {
        // A literal with a colon is never looked up in DNS: InetAddress parses or rejects it.
        try {
            byte[] bytes = InetAddress.getByName(address).getAddress();
            if (bytes.length != 16) {
                throw new IllegalArgumentException("not an IPv6 address: \"" + text + "\"");
            }
            return bytes;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv6 address: \"" + address + "\"");
        }
    }

    private static String masked(byte[] bytes, int prefix) {
        byte[] copy = bytes.clone();
        for (int bit = prefix; bit < copy.length * 8; bit++) {
            copy[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        try {
            return InetAddress.getByAddress(copy).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the address (4 or 16 bytes) is inside this block; other lengths never match. */
    public boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int fullBytes = prefixLength / 8;
        for (int i = 0; i < fullBytes; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (address[fullBytes] & mask) == (network[fullBytes] & mask);
    }

    /** Whether the address is inside this block. */
    public boolean contains(InetAddress address) {
        return contains(address.getAddress());
    }

    public int prefixLength() {
        return prefixLength;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr other && other.prefixLength == prefixLength && Arrays.equals(other.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefixLength;
    }

    @Override
    public String toString() {
        return text;
    }
}
