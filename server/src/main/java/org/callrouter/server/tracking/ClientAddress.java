package org.callrouter.server.tracking;

import java.net.InetAddress;
import java.util.List;

import io.netty.util.NetUtil;
import org.callrouter.routing.config.Cidr;

/**
 * Who a tracking request comes from, as the rate limits and the drain cap count it.
 *
 * <p>The socket's peer, unless the peer is one of {@code server.tracking.trusted_proxies}: then
 * {@code X-Forwarded-For} is read from its right end (the entry the nearest proxy added) leftwards,
 * skipping trusted proxies, and the first other address is the client. Entries further left were
 * written by the client itself and prove nothing. A peer that is not trusted cannot choose its
 * address by sending the header. Only IP literals are read (never a DNS lookup).
 *
 * <p>An IPv6 client is counted by its /64: one subscriber usually gets a whole /64 and could
 * otherwise pick a new address for every request.
 */
final class ClientAddress {

    private ClientAddress() {
    }

    /**
     * The client's key: an IPv4 address in dotted form, or an IPv6 /64 as {@code 2001:db8:1:2::/64}.
     *
     * @param peer          the socket's remote address
     * @param forwardedFor  the request's {@code X-Forwarded-For} headers joined by commas, or null
     * @param trusted       the proxies whose header is believed
     */
    static String of(InetAddress peer, String forwardedFor, List<Cidr> trusted) {
        byte[] client = unmapped(peer.getAddress());
        if (forwardedFor != null && !trusted.isEmpty() && trustedBy(client, trusted)) {
            int end = forwardedFor.length();
            while (end > 0) {
                final int comma = forwardedFor.lastIndexOf(',', end - 1);
                final byte[] hop = literal(forwardedFor.substring(comma + 1, end).trim());
                if (hop == null) {
                    break; // garbage: trust nothing further left
                }
                client = hop;
                if (!trustedBy(hop, trusted)) {
                    break;
                }
                end = comma < 0 ? 0 : comma;
            }
        }
        return key(client);
    }

    /** The key of an address given as 4 or 16 bytes. */
    static String key(byte[] address) {
        if (address.length == 4) {
            return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "." + (address[3] & 0xff);
        }
        final StringBuilder prefix = new StringBuilder(24);
        for (int i = 0; i < 8; i += 2) {
            prefix.append(Integer.toHexString(((address[i] & 0xff) << 8) | (address[i + 1] & 0xff))).append(':');
        }
        return prefix.append(":/64").toString();
    }

    private static boolean trustedBy(byte[] address, List<Cidr> trusted) {
        for (Cidr cidr : trusted) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** An IP literal's bytes (an IPv4-mapped IPv6 address as its 4 IPv4 bytes), or null. */
    private static byte[] literal(String text) {
        String bare = text;
        if (bare.startsWith("[")) {
            // "[2001:db8::1]:443", as some proxies write it
            final int close = bare.indexOf(']');
            bare = close > 0 ? bare.substring(1, close) : bare;
        } else if (bare.indexOf(':') > 0 && bare.indexOf(':') == bare.lastIndexOf(':') && bare.indexOf('.') > 0) {
            bare = bare.substring(0, bare.indexOf(':')); // "192.0.2.1:5123"
        }
        final byte[] bytes = NetUtil.createByteArrayFromIpAddressString(bare);
        return bytes == null ? null : unmapped(bytes);
    }

    /** An IPv4-mapped IPv6 address ({@code ::ffff:192.0.2.1}) as its IPv4 bytes; others as they are. */
    private static byte[] unmapped(byte[] address) {
        if (address.length == 16 && isV4Mapped(address)) {
            final byte[] v4 = new byte[4];
            System.arraycopy(address, 12, v4, 0, 4);
            return v4;
        }
        return address;
    }

    private static boolean isV4Mapped(byte[] v6) {
        for (int i = 0; i < 10; i++) {
            if (v6[i] != 0) {
                return false;
            }
        }
        return v6[10] == (byte) 0xff && v6[11] == (byte) 0xff;
    }
}
