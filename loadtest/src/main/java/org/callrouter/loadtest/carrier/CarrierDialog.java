package org.callrouter.loadtest.carrier;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.callrouter.loadtest.net.SipAddresses;
import org.callrouter.sip.header.NameAddress;
import org.callrouter.sip.message.HeaderName;
import org.callrouter.sip.message.SipResponse;
import org.callrouter.sip.uri.SipUri;
import org.callrouter.sip.uri.Uri;

/**
 * The carrier's dialog once a 2xx answered its INVITE (RFC 3261 12.1.2): the To with the remote
 * tag, and how requests inside the dialog (ACK, BYE) are addressed (12.2.1.1): the Request-URI,
 * the Route values and the next hop. The route set is the 2xx's Record-Route in reverse; with a
 * loose router first ({@code ;lr}) the Request-URI is the remote target (the 2xx's Contact), with
 * a strict router it is that router's URI and the remote target goes last in Route.
 *
 * @param to         the To value of the 2xx, with its tag
 * @param requestUri the Request-URI of in-dialog requests
 * @param routes     the Route values, in order
 * @param nextHop    where in-dialog requests are sent
 */
record CarrierDialog(String to, String requestUri, List<String> routes, InetSocketAddress nextHop) {

    /**
     * The dialog a 2xx establishes.
     *
     * @throws IllegalArgumentException when the 2xx has no usable Contact or route (the reason
     *                                  says which)
     * @throws org.callrouter.sip.codec.SipParseException when Contact or Record-Route is malformed
     */
    static CarrierDialog of(SipResponse ok, SipAddresses addresses) {
        List<NameAddress> contacts = ok.contacts();
        if (contacts.isEmpty()) {
            throw new IllegalArgumentException("2xx without Contact");
        }
        Uri target = contacts.get(0).uri();
        List<NameAddress> recordRoutes = ok.recordRoutes();
        String to = ok.header(HeaderName.TO);
        if (recordRoutes.isEmpty()) {
            return new CarrierDialog(to, target.toString(), List.of(), addresses.nextHop(target));
        }
        List<String> routes = new ArrayList<>(recordRoutes.size() + 1);
        for (int i = recordRoutes.size() - 1; i >= 0; i--) {
            routes.add(recordRoutes.get(i).toString());
        }
        Uri first = recordRoutes.get(recordRoutes.size() - 1).uri();
        InetSocketAddress nextHop = addresses.nextHop(first);
        if (first instanceof SipUri sip && sip.hasParam("lr")) {
            return new CarrierDialog(to, target.toString(), List.copyOf(routes), nextHop);
        }
        routes.remove(0);
        routes.add("<" + target + ">");
        return new CarrierDialog(to, first.toString(), List.copyOf(routes), nextHop);
    }
}
