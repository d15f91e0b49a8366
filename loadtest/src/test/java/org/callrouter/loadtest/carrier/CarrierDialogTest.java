package org.callrouter.loadtest.carrier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.callrouter.loadtest.net.SipAddresses;
import org.callrouter.sip.codec.SipParser;
import org.callrouter.sip.message.SipResponse;
import org.junit.jupiter.api.Test;

class CarrierDialogTest {

    private final SipAddresses addresses = new SipAddresses();

    private static SipResponse ok(String extraHeaders) {
        String text = "SIP/2.0 200 OK\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:47001;branch=z9hG4bKabc-1-1i;rport=47001\r\n"
                + extraHeaders
                + "From: <sip:+14152000001@127.0.0.1>;tag=f1\r\n"
                + "To: <sip:18005550100@127.0.0.1:5060>;tag=t9\r\n"
                + "Call-ID: 1-1-abc@127.0.0.1\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Content-Length: 0\r\n\r\n";
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        return (SipResponse) SipParser.parse(b, 0, b.length);
    }

    @Test
    void withoutRecordRouteRequestsGoToTheContact() {
        CarrierDialog d = CarrierDialog.of(ok("Contact: <sip:router@127.0.0.1:5062>\r\n"), addresses);
        assertEquals("sip:router@127.0.0.1:5062", d.requestUri());
        assertEquals(List.of(), d.routes());
        assertEquals(new InetSocketAddress("127.0.0.1", 5062), d.nextHop());
        assertEquals("<sip:18005550100@127.0.0.1:5060>;tag=t9", d.to());
    }

    @Test
    void looseRoutersAreRoutedThroughInReverseRecordRouteOrder() {
        CarrierDialog d = CarrierDialog.of(ok("Record-Route: <sip:10.0.0.2;lr>, <sip:127.0.0.1:5070;lr;ftag=f1>\r\n"
                + "Contact: <sip:handler@127.0.0.1:5080>\r\n"), addresses);
        assertEquals("sip:handler@127.0.0.1:5080", d.requestUri());
        assertEquals(List.of("<sip:127.0.0.1:5070;lr;ftag=f1>", "<sip:10.0.0.2;lr>"), d.routes());
        assertEquals(new InetSocketAddress("127.0.0.1", 5070), d.nextHop());
    }

    @Test
    void aStrictRouterGetsTheRequestUriAndTheTargetGoesLast() {
        CarrierDialog d = CarrierDialog.of(ok("Record-Route: <sip:10.0.0.2;lr>\r\nRecord-Route: <sip:127.0.0.1>\r\n"
                + "Contact: <sip:handler@127.0.0.1:5080>\r\n"), addresses);
        assertEquals("sip:127.0.0.1", d.requestUri());
        assertEquals(List.of("<sip:10.0.0.2;lr>", "<sip:handler@127.0.0.1:5080>"), d.routes());
        assertEquals(new InetSocketAddress("127.0.0.1", SipAddresses.DEFAULT_PORT), d.nextHop());
    }

    @Test
    void aTwoHundredWithoutContactCannotBeFollowed() {
        assertThrows(IllegalArgumentException.class, () -> CarrierDialog.of(ok(""), addresses));
        assertThrows(IllegalArgumentException.class,
                () -> CarrierDialog.of(ok("Contact: <tel:+14155550100>\r\n"), addresses));
    }
}
