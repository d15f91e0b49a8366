package org.callrouter.server.b2bua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.callrouter.routing.CallContext;
import org.callrouter.routing.config.Cidr;
import org.callrouter.routing.config.ServerSettings;
import org.callrouter.routing.config.ServerSettings.CallerSource;
import org.callrouter.sip.codec.SipParser;
import org.callrouter.sip.message.HeaderName;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.server.transport.Destination;
import org.callrouter.server.transport.Transport;
import org.junit.jupiter.api.Test;

/** {@link CarrierIdentity}: asserted identities from trusted sources only, privacy, diversion. */
class CarrierIdentityTest {

    private static final Destination TRUSTED = Destination.of(Transport.UDP, new InetSocketAddress("10.1.2.3", 5060));
    private static final Destination OTHER = Destination.of(Transport.UDP, new InetSocketAddress("192.0.2.9", 5060));
    private static final ServerSettings.Stir STIR = new ServerSettings.Stir((Path) null, null, 200, 2000, 3600, 30, 60);

    private static ServerSettings.Identity settings(CallerSource... from) {
        return new ServerSettings.Identity(List.of(from), List.of(Cidr.parse("10.0.0.0/8")), STIR);
    }

    private static SipRequest invite(String... extraHeaders) {
        final StringBuilder text = new StringBuilder("INVITE sip:18005550100@router SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 10.1.2.3;branch=z9hG4bK1\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: \"Caller\" <sip:+14155550111@carrier>;tag=a\r\n"
                + "To: <sip:18005550100@router>\r\n"
                + "Call-ID: c1@carrier\r\n"
                + "CSeq: 1 INVITE\r\n");
        for (String header : extraHeaders) {
            text.append(header).append("\r\n");
        }
        text.append("Content-Length: 0\r\n\r\n");
        final byte[] bytes = text.toString().getBytes(StandardCharsets.ISO_8859_1);
        return (SipRequest) SipParser.parse(bytes, 0, bytes.length);
    }

    private static Map<String, String> tags(CarrierIdentity identity) {
        final CallContext.Builder context = CallContext.builder();
        identity.tags(context);
        return context.build().tags();
    }

    @Test
    void aPlainInviteHasNoIdentity() {
        assertNull(CarrierIdentity.read(invite("Subject: hi"), settings(CallerSource.FROM), TRUSTED));
    }

    /**
     * The plain-INVITE path must not pay for this: a request with none of the headers costs a
     * pass over its header codes and allocates nothing (counted by the JVM for this thread).
     */
    @Test
    void aPlainInviteAllocatesNothing() {
        final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        final SipRequest plain = invite("Contact: <sip:carrier@10.1.2.3>", "Subject: hi", "User-Agent: trunk");
        final ServerSettings.Identity settings = settings(CallerSource.P_ASSERTED_IDENTITY, CallerSource.FROM);
        final int rounds = 100_000;
        int found = 0;
        for (int i = 0; i < rounds; i++) {
            found += CarrierIdentity.read(plain, settings, TRUSTED) == null ? 0 : 1;
        }
        final long id = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < rounds; i++) {
            found += CarrierIdentity.read(plain, settings, TRUSTED) == null ? 0 : 1;
        }
        final long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertEquals(0, found);
        // One object per read would be 16 bytes or more each; what is left is the JIT's own.
        assertTrue(allocated < rounds, allocated + " bytes allocated by " + rounds + " reads of a plain INVITE");
    }

    @Test
    void theAssertedNumberIsBelievedFromTrustedSourcesOnly() {
        final SipRequest request = invite("P-Asserted-Identity: <sip:+14155550222@carrier;user=phone>, <tel:+14155550333>");
        final ServerSettings.Identity settings = settings(CallerSource.P_ASSERTED_IDENTITY, CallerSource.FROM);
        assertEquals("+14155550333", CarrierIdentity.read(request, settings, TRUSTED).callerNumber(),
                "the tel: value wins (RFC 3325 9.1)");
        assertEquals("+14155550111", CarrierIdentity.read(request, settings, OTHER).callerNumber(),
                "an untrusted source's assertion is ignored: From");
        assertEquals("+14155550111", CarrierIdentity.read(request, settings(CallerSource.FROM), TRUSTED).callerNumber(),
                "not configured: From");
    }

    @Test
    void remotePartyIdOfTheCallingPartyAndItsPrivacy() {
        final SipRequest request = invite("Remote-Party-ID: <sip:+14155550999@carrier>;party=called",
                "Remote-Party-ID: \"Al\" <sip:+14155550444@carrier>;party=calling;privacy=full;screen=yes");
        final CarrierIdentity identity = CarrierIdentity.read(request,
                settings(CallerSource.REMOTE_PARTY_ID, CallerSource.FROM), TRUSTED);
        assertEquals("+14155550444", identity.callerNumber());
        assertTrue(identity.privacy(), "privacy=full");
        assertEquals("id", tags(identity).get("caller_privacy"));
    }

    @Test
    void privacyIdHidesTheCallerButKeepsTheNumberForRouting() {
        final CarrierIdentity identity = CarrierIdentity.read(invite("Privacy: header;id"),
                settings(CallerSource.FROM), OTHER);
        assertTrue(identity.privacy());
        assertEquals("+14155550111", identity.callerNumber());
        assertEquals(List.of(HeaderName.DIVERSION), identity.passedDiversionHeaders(), "header privacy hides History-Info");
        assertFalse(CarrierIdentity.read(invite("Privacy: none"), settings(CallerSource.FROM), OTHER).privacy());
    }

    @Test
    void diversionGivesTheOriginalNumberAndReason() {
        final CarrierIdentity identity = CarrierIdentity.read(invite(
                        "Diversion: <sip:+18005550177@carrier>;reason=user-busy;counter=1",
                        "Diversion: <tel:+18005550199>;reason=No-Answer;counter=1"),
                settings(CallerSource.FROM), OTHER);
        assertEquals(Map.of("diverted_from", "+18005550199", "diversion_reason", "no-answer"), tags(identity),
                "the last Diversion is the first diversion (RFC 5806)");
    }

    @Test
    void historyInfoGivesTheFirstTargetAndTheCauseAsADiversionReason() {
        final CarrierIdentity cause = CarrierIdentity.read(invite(
                        "History-Info: <sip:+18005550199@carrier>;index=1, <sip:+18005550100@router;cause=486>;index=1.1"),
                settings(CallerSource.FROM), OTHER);
        assertEquals(Map.of("diverted_from", "+18005550199", "diversion_reason", "user-busy"), tags(cause));
        final CarrierIdentity reason = CarrierIdentity.read(invite(
                        "History-Info: <sip:+18005550199@carrier?Reason=SIP%3Bcause%3D408>;index=1,"
                                + " <sip:+18005550100@router>;index=1.1"),
                settings(CallerSource.FROM), OTHER);
        assertEquals("no-answer", tags(reason).get("diversion_reason"), "a Reason escaped in the URI (RFC 7044 9.4)");
    }

    @Test
    void aMalformedHeaderIsIgnored() {
        final CarrierIdentity identity = CarrierIdentity.read(invite("P-Asserted-Identity: <<not a uri",
                "Diversion: nonsense<"), settings(CallerSource.P_ASSERTED_IDENTITY, CallerSource.FROM), TRUSTED);
        assertEquals("+14155550111", identity.callerNumber());
        assertEquals(Map.of(), tags(identity));
    }

    @Test
    void onlyPlainAssertedUsersGoIntoTheBLegFrom() {
        assertTrue(CarrierIdentity.isPlainUser("+14155550111"));
        assertFalse(CarrierIdentity.isPlainUser("1\r\nX: y"));
        assertFalse(CarrierIdentity.isPlainUser(""));
    }
}
