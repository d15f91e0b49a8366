package org.callrouter.server.b2bua;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The networks allowed to send calls ({@code server.sip.trusted}, CIDR notation, IPv4 and IPv6).
 * Everyone else gets 403 for an INVITE.
 */
public final class TrustedSources {

    private final List<Block> blocks;

    private TrustedSources(List<Block> blocks) {
        this.blocks = blocks;
    }

    /**
     * Parses CIDRs like {@code 10.0.0.0/8} or {@code ::1/128}; a bare address is a single host.
     *
     * @throws IllegalArgumentException naming the entry that is not a CIDR.
     */
    public static TrustedSources parse(List<String> cidrs) {
        final List<Block> blocks = new ArrayList<>(cidrs.size());
        for (String cidr : cidrs) {
            blocks.add(Block.parse(cidr));
        }
        return new TrustedSources(blocks);
    }

    /** True when {@code address} falls in any configured block. */
    public boolean allows(InetAddress address) {
        final byte[] bytes = address.getAddress();
        for (int i = 0, n = blocks.size(); i < n; i++) {
            if (blocks.get(i).contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    private record Block(byte[] network, int prefix) {

        static Block parse(String cidr) {
            final int slash = cidr.indexOf('/');
            final String host = slash < 0 ? cidr : cidr.substring(0, slash);
            if (!host.matches("[0-9a-fA-F:.]+")) {
                throw new IllegalArgumentException("'" + cidr + "' is not an IP address or CIDR");
            }
            final byte[] network;
            try {
                network = InetAddress.getByName(host).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("'" + cidr + "' is not an IP address or CIDR", e);
            }
            final int prefix;
            try {
                prefix = slash < 0 ? network.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + cidr + "': prefix length is not a number", e);
            }
            if (prefix < 0 || prefix > network.length * 8) {
                throw new IllegalArgumentException("'" + cidr + "': prefix length must be 0.." + network.length * 8);
            }
            return new Block(network, prefix);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int bits = prefix;
            for (int i = 0; i < network.length && bits > 0; i++, bits -= 8) {
                final int mask = bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF;
                if ((address[i] & mask) != (network[i] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
