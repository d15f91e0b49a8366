package org.callrouter.server.b2bua;

import java.net.Inet4Address;
import java.net.InetAddress;

import org.callrouter.server.transport.Destination;

/**
 * Where the router's own requests in a carrier's dialog (a BYE when the handler hangs up, a
 * relayed re-INVITE) go when the carrier is behind a NAT. RFC 3581 brings responses back to the
 * address a request came from; a request the router starts goes to the carrier's Contact (or
 * first Record-Route), and a carrier behind a NAT writes its private address there, which the
 * router cannot reach. When the carrier asked for {@code rport} (it knows it may be behind a
 * NAT) and that address is a private one other than the source, the dialog's requests go to the
 * source address and port instead, where the NAT's binding leads back (what Kamailio's
 * {@code fix_nated_contact} does for the same case). A public Contact is always followed.
 */
final class CarrierNat {

    private CarrierNat() {
    }

    /**
     * @param rport  whether the INVITE's top Via had {@code rport}
     * @param target where the Contact or route leads
     * @param source where the INVITE came from
     * @return {@code source} when {@code target} is a private address behind the carrier's NAT, else {@code target}
     */
    static Destination target(boolean rport, Destination target, Destination source) {
        if (!rport || target == source) {
            return target;
        }
        final InetAddress to = target.address().getAddress();
        final InetAddress from = source.address().getAddress();
        return !to.equals(from) && isPrivate(to) && !isPrivate(from) ? source : target;
    }

    /** RFC 1918, RFC 6598 (carrier-grade NAT, 100.64.0.0/10) and RFC 4193 (fc00::/7) addresses. */
    static boolean isPrivate(InetAddress address) {
        if (address.isSiteLocalAddress()) {
            return true;
        }
        final byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return (b[0] & 0xFF) == 100 && (b[1] & 0xC0) == 64;
        }
        return (b[0] & 0xFE) == 0xFC;
    }
}
