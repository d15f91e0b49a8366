package org.callrouter.server.b2bua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import org.callrouter.sip.codec.SipParser;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.server.transport.Destination;
import org.callrouter.server.transport.Transport;
import org.junit.jupiter.api.Test;

/** RFC 3261 12.2.2 dialog matching and the peer check of {@link Dialog}. */
class DialogTest {

    private static final Destination CARRIER = Destination.of(Transport.UDP, new InetSocketAddress("192.0.2.10", 5060));

    private static Dialog carrierDialog() {
        final Dialog dialog = new Dialog("abc@192.0.2.10", "<sip:18005550100@router>;tag=ours", "<sip:caller@x>", 0);
        dialog.remoteTag("theirs");
        dialog.peer = CARRIER;
        dialog.destination = Destination.of(Transport.UDP, new InetSocketAddress("198.51.100.7", 5070));
        return dialog;
    }

    private static SipRequest bye(String callId, String fromTag, String toTag) {
        final String text = "BYE sip:router SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK1\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:caller@x>" + (fromTag == null ? "" : ";tag=" + fromTag) + "\r\n"
                + "To: <sip:18005550100@router>" + (toTag == null ? "" : ";tag=" + toTag) + "\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 2 BYE\r\n"
                + "Content-Length: 0\r\n\r\n";
        final byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        return (SipRequest) SipParser.parse(bytes, 0, bytes.length);
    }

    @Test
    void aRequestMatchesOnlyWithTheCallIdAndBothTags() {
        final Dialog dialog = carrierDialog();
        assertTrue(dialog.matches(bye("abc@192.0.2.10", "theirs", "ours")));
        assertFalse(dialog.matches(bye("abd@192.0.2.10", "theirs", "ours")), "another Call-ID");
        assertFalse(dialog.matches(bye("abc@192.0.2.10", "theirs", "other")), "another local tag");
        assertFalse(dialog.matches(bye("abc@192.0.2.10", "theirs", null)), "no local tag");
        assertFalse(dialog.matches(bye("abc@192.0.2.10", "other", "ours")), "another remote tag");
        assertFalse(dialog.matches(bye("abc@192.0.2.10", null, "ours")), "no remote tag");
    }

    @Test
    void aPeerWithoutAFromTagMatchesOnlyWithoutOne() {
        final Dialog dialog = carrierDialog();
        dialog.remoteTag(null);
        assertTrue(dialog.matches(bye("abc@192.0.2.10", null, "ours")));
        assertFalse(dialog.matches(bye("abc@192.0.2.10", "made-up", "ours")));
    }

    @Test
    void thePeersTagIsFoundInItsHeaderOrKeptApart() {
        final Dialog dialog = carrierDialog();
        dialog.remote("<sip:theirs@x>;TAG=theirs;x=1", "theirs");
        assertEquals("theirs", dialog.remoteTag());
        assertTrue(dialog.matches(bye("abc@192.0.2.10", "theirs", "ours")));
        assertFalse(dialog.matches(bye("abc@192.0.2.10", "their", "ours")), "a prefix of the tag");
        assertFalse(dialog.matches(bye("abc@192.0.2.10", "theirs2", "ours")), "a longer tag");
        dialog.remote("<sip:caller@x>;tag=theirs-and-more", "theirs");
        assertEquals("theirs", dialog.remoteTag(), "not the header's tag parameter: kept apart");
        assertTrue(dialog.isRemoteTag("theirs"));
        assertFalse(dialog.isRemoteTag("theirs-and-more"));
        dialog.remote("<sip:caller@x>", null);
        assertNull(dialog.remoteTag());
        assertTrue(dialog.isRemoteTag(null));
        assertFalse(dialog.isRemoteTag("theirs"));
        assertEquals("ours", dialog.localTag());
        assertFalse(dialog.matchesLocalTag(bye("abc@192.0.2.10", null, "ours2")), "a longer local tag");
        assertFalse(dialog.matchesLocalTag(bye("abc@192.0.2.10", null, "our")), "a prefix of the local tag");
    }

    @Test
    void anEarlyDialogMatchesOnTheCallIdAndOurTag() {
        final Dialog dialog = carrierDialog();
        dialog.remoteTag(null);
        assertTrue(dialog.matchesLocalTag(bye("abc@192.0.2.10", "any", "ours")));
        assertFalse(dialog.matchesLocalTag(bye("abc@192.0.2.10", "any", "guess")));
        assertFalse(dialog.matchesLocalTag(bye("other@192.0.2.10", "any", "ours")));
    }

    @Test
    void thePeerIsTheAddressAndTransportTheDialogBeganWithOrSendsTo() {
        final Dialog dialog = carrierDialog();
        assertTrue(dialog.isPeer(Destination.of(Transport.UDP, new InetSocketAddress("192.0.2.10", 5060))));
        assertTrue(dialog.isPeer(Destination.of(Transport.UDP, new InetSocketAddress("192.0.2.10", 40000))),
                "another port of the same host");
        assertTrue(dialog.isPeer(Destination.of(Transport.UDP, new InetSocketAddress("198.51.100.7", 5070))),
                "the Contact's host");
        assertFalse(dialog.isPeer(Destination.of(Transport.UDP, new InetSocketAddress("192.0.2.11", 5060))),
                "another host");
        assertFalse(dialog.isPeer(Destination.of(Transport.TCP, new InetSocketAddress("192.0.2.10", 5060))),
                "another transport");
    }
}
