package org.callrouter.sip.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.address.SipUri;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sip.address.Address;
import javax.sip.header.ContactHeader;
import javax.sip.header.ViaHeader;
import org.callrouter.sip.header.NameAddress;
import org.callrouter.sip.header.Via;
import org.callrouter.sip.message.HeaderName;
import org.callrouter.sip.message.SipMessage;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.sip.message.SipResponse;
import org.callrouter.sip.uri.TelUri;
import org.callrouter.sip.uri.Uri;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Parses a corpus of realistic messages (test resources under {@code /corpus/}: INVITE, ACK, BYE,
 * CANCEL, OPTIONS, INFO, UPDATE, PRACK, REGISTER and responses, in the styles of Asterisk,
 * FreeSWITCH, Cisco gateways, Twilio, Bandwidth and Telnyx) with this codec and with jain-sip-ri's
 * {@code StringMsgParser}, and checks that both agree on every field both expose.
 */
class JainSipDifferentialTest {

    static List<Path> corpus() {
        return CorpusFiles.corpus();
    }

    @Test
    void corpusHasAtLeastFiftyMessages() {
        assertTrue(corpus().size() >= 50);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void agreesWithJainSip(Path file) throws Exception {
        byte[] bytes = CorpusFiles.read(file);
        SipMessage ours = SipParser.parse(bytes, 0, bytes.length);
        SIPMessage theirs = new StringMsgParser().parseSIPMessage(bytes, true, false, null);

        assertEquals(theirs instanceof SIPRequest, ours.isRequest(), "kind");
        if (ours instanceof SipRequest) {
            SipRequest req = (SipRequest) ours;
            SIPRequest jreq = (SIPRequest) theirs;
            assertEquals(jreq.getMethod(), req.method().name(), "method");
            assertUri(jreq.getRequestURI(), req.requestUri(), "Request-URI");
        } else {
            SipResponse res = (SipResponse) ours;
            SIPResponse jres = (SIPResponse) theirs;
            assertEquals(jres.getStatusCode(), res.statusCode(), "status");
            assertEquals(jres.getReasonPhrase(), res.reasonPhrase(), "reason");
        }
        assertEquals(theirs.getCallId().getCallId(), ours.callId(), "Call-ID");
        assertEquals(theirs.getCSeq().getSeqNumber(), ours.cseq().number(), "CSeq number");
        assertEquals(theirs.getCSeq().getMethod(), ours.cseq().method().name(), "CSeq method");
        assertVias(theirs, ours.vias());
        assertAddress(theirs.getFrom().getAddress(), ours.from(), "From");
        assertEquals(theirs.getFrom().getTag(), ours.fromTag(), "From tag");
        assertAddress(theirs.getTo().getAddress(), ours.to(), "To");
        assertEquals(theirs.getTo().getTag(), ours.toTag(), "To tag");
        assertContacts(theirs, ours.contacts());
        assertEquals(theirs.getMaxForwards() == null ? -1 : theirs.getMaxForwards().getMaxForwards(),
                ours.maxForwards(), "Max-Forwards");
        assertEquals(theirs.getContentLength().getContentLength(), ours.contentLength(), "Content-Length");
        assertEquals(theirs.getContentTypeHeader() == null ? null
                : (theirs.getContentTypeHeader().getContentType() + "/"
                        + theirs.getContentTypeHeader().getContentSubType()).toLowerCase(Locale.ROOT),
                ours.mediaType(), "Content-Type");
        byte[] theirBody = theirs.getRawContent();
        assertArrayEquals(theirBody == null ? new byte[0] : theirBody, ours.body(), "body");
        assertEquals(headerCounts(theirs), headerCounts(ours), "header values per name");
    }

    private static void assertVias(SIPMessage theirs, List<Via> ours) {
        List<ViaHeader> vias = new ArrayList<>();
        for (Iterator<?> it = theirs.getHeaders(ViaHeader.NAME); it.hasNext(); ) {
            vias.add((ViaHeader) it.next());
        }
        assertEquals(vias.size(), ours.size(), "Via count");
        for (int i = 0; i < vias.size(); i++) {
            ViaHeader j = vias.get(i);
            Via v = ours.get(i);
            assertEquals(j.getTransport().toUpperCase(Locale.ROOT), v.transport(), "Via transport");
            assertEquals(j.getHost(), v.host(), "Via host");
            assertEquals(j.getPort(), v.port(), "Via port");
            assertEquals(j.getBranch(), v.branch(), "Via branch");
            assertEquals(j.getReceived(), v.received(), "Via received");
            assertEquals(j.getRPort(), v.rport(), "Via rport");
            assertEquals(((gov.nist.javax.sip.header.Via) j).hasParameter("rport"), v.hasRport(), "Via has rport");
        }
    }

    private static void assertContacts(SIPMessage theirs, List<NameAddress> ours) {
        List<ContactHeader> contacts = new ArrayList<>();
        for (Iterator<?> it = theirs.getHeaders(ContactHeader.NAME); it.hasNext(); ) {
            contacts.add((ContactHeader) it.next());
        }
        assertEquals(contacts.size(), ours.size(), "Contact count");
        for (int i = 0; i < contacts.size(); i++) {
            assertAddress(contacts.get(i).getAddress(), ours.get(i), "Contact");
            assertEquals(contacts.get(i).getExpires(), ours.get(i).param("expires") == null ? -1
                    : Integer.parseInt(ours.get(i).param("expires")), "Contact expires");
        }
    }

    private static void assertAddress(Address theirs, NameAddress ours, String what) {
        assertEquals(theirs.getDisplayName(), ours.displayName(), what + " display name");
        assertUri(theirs.getURI(), ours.uri(), what + " URI");
    }

    private static void assertUri(javax.sip.address.URI theirs, Uri ours, String what) {
        assertEquals(theirs.getScheme().toLowerCase(Locale.ROOT), ours.scheme(), what + " scheme");
        if (theirs instanceof SipUri) {
            SipUri j = (SipUri) theirs;
            org.callrouter.sip.uri.SipUri u = (org.callrouter.sip.uri.SipUri) ours;
            assertEquals(j.getUser(), u.rawUser(), what + " user");
            assertEquals(j.getHost(), u.host(), what + " host");
            assertEquals(j.getPort(), u.port(), what + " port");
            assertEquals(j.isSecure(), u.secure(), what + " secure");
            for (Iterator<?> names = j.getParameterNames(); names.hasNext(); ) {
                String name = (String) names.next();
                assertTrue(u.hasParam(name), what + " param " + name);
                String value = j.getParameter(name);
                assertEquals(value == null || value.isEmpty() ? null : value, u.param(name), what + " param " + name);
            }
            assertEquals(count(j.getParameterNames()), u.params().size(), what + " param count");
        } else if (ours instanceof TelUri) {
            gov.nist.javax.sip.address.TelURLImpl j = (gov.nist.javax.sip.address.TelURLImpl) theirs;
            TelUri t = (TelUri) ours;
            assertEquals(j.isGlobal(), t.isGlobal(), what + " global");
            assertEquals((j.isGlobal() ? "+" : "") + j.getPhoneNumber(), t.number(), what + " number");
        } else {
            assertEquals(theirs.toString(), ours.toString(), what);
        }
    }

    /** For each header name, how many values: lines, and list elements for list-valued headers. */
    private static Map<String, Integer> headerCounts(SipMessage message) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < message.headerCount(); i++) {
            HeaderName name = message.headerName(i);
            counts.put(name.name().toLowerCase(Locale.ROOT), message.headerValues(name).size());
        }
        return counts;
    }

    private static Map<String, Integer> headerCounts(SIPMessage message) {
        Map<String, Integer> counts = new HashMap<>();
        for (Iterator<SIPHeader> it = message.getHeaders(); it.hasNext(); ) {
            SIPHeader header = it.next();
            String name = HeaderName.of(header.getName()).name().toLowerCase(Locale.ROOT);
            int values = 0;
            for (Iterator<?> v = message.getHeaders(header.getName()); v.hasNext(); v.next()) {
                values++;
            }
            counts.put(name, values);
        }
        return counts;
    }

    private static int count(Iterator<?> it) {
        int n = 0;
        for (; it.hasNext(); it.next()) {
            n++;
        }
        return n;
    }
}
