package org.callrouter.server.b2bua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.callrouter.sip.uri.Uri;
import org.junit.jupiter.api.Test;

/** Addresses no datagram can go to are refused wherever a URI becomes a destination. */
class SipTargetsTest {

    private static final String[] REFUSED = {"sip:x@0.0.0.1:5093", "sip:x@0.0.0.0", "sip:x@224.0.0.1",
        "sip:x@239.1.2.3:5060", "sip:x@240.0.0.1", "sip:x@255.255.255.255", "sip:x@[::]", "sip:x@[ff02::1]"};

    @Test
    void peerUrisWithRefusedAddressesGiveNoDestinationAndSayWhy() {
        for (String text : REFUSED) {
            final Uri uri = Uri.parse(text);
            assertNull(SipTargets.literal(uri), text);
            assertNotNull(SipTargets.refusal(uri), text);
        }
        assertTrue(SipTargets.refusal(Uri.parse("sip:x@0.0.0.1:5093")).startsWith("0.0.0.1:5093 is in 0.0.0.0/8"));
        for (String text : new String[] {"sip:x@127.0.0.1:5093", "sip:x@10.1.2.3", "sip:x@[::1]:5070",
            "sip:x@carrier.example.test"}) {
            assertNull(SipTargets.refusal(Uri.parse(text)), text);
        }
        assertEquals(5093, SipTargets.literal(Uri.parse("sip:x@127.0.0.1:5093")).address().getPort());
    }

    @Test
    void aConfiguredHandlerAtARefusedAddressIsAConfigurationError() {
        final SipTargets targets = new SipTargets();
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> targets.resolve("sip:0.0.0.1:5093", Uri.parse("sip:0.0.0.1:5093")));
        assertTrue(e.getMessage().contains("0.0.0.1:5093 is in 0.0.0.0/8"), e.getMessage());
        assertNotNull(targets.resolve("sip:127.0.0.1:5093", Uri.parse("sip:127.0.0.1:5093")));
    }
}
