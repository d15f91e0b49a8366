package org.callrouter.sip.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HeaderNameTest {

    @Test
    void compactFormsAndAnyCaseGiveTheConstant() {
        String[][] cases = {
            {"i", "Call-ID"}, {"m", "Contact"}, {"e", "Content-Encoding"}, {"l", "Content-Length"},
            {"c", "Content-Type"}, {"f", "From"}, {"s", "Subject"}, {"k", "Supported"}, {"t", "To"}, {"v", "Via"},
            {"o", "Event"}, {"u", "Allow-Events"}, {"r", "Refer-To"}, {"b", "Referred-By"}, {"x", "Session-Expires"},
            {"CALL-id", "Call-ID"}, {"cseq", "CSeq"}, {"MAX-FORWARDS", "Max-Forwards"}, {"V", "Via"},
        };
        for (String[] c : cases) {
            HeaderName h = HeaderName.of(c[0]);
            assertEquals(c[1], h.name(), c[0]);
            assertTrue(h.isKnown());
            byte[] bytes = c[0].getBytes(StandardCharsets.US_ASCII);
            assertSame(h, HeaderName.lookup(bytes, 0, bytes.length), c[0]);
        }
    }

    @Test
    void unknownNamesKeepTheirSpellingAndCompareIgnoringCase() {
        HeaderName x = HeaderName.of("X-Campaign");
        assertEquals("X-Campaign", x.name());
        assertFalse(x.isKnown());
        assertEquals(HeaderName.of("x-campaign"), x);
        assertEquals(HeaderName.of("x-campaign").hashCode(), x.hashCode());
        byte[] bytes = "X-Campaign".getBytes(StandardCharsets.US_ASCII);
        assertNull(HeaderName.lookup(bytes, 0, bytes.length));
        assertThrows(IllegalArgumentException.class, () -> HeaderName.of("Bad Name"));
    }

    @Test
    void listAndSingleValueKinds() {
        assertTrue(HeaderName.VIA.isListValued());
        assertTrue(HeaderName.REQUIRE.isListValued());
        assertFalse(HeaderName.AUTHORIZATION.isListValued(), "credentials hold commas");
        assertFalse(HeaderName.DATE.isListValued(), "dates hold commas");
        assertTrue(HeaderName.CALL_ID.isSingleValued());
        assertTrue(HeaderName.EXPIRES.isSingleValued());
        assertFalse(HeaderName.VIA.isSingleValued());
        assertEquals('v', HeaderName.VIA.compactForm());
        assertEquals(0, HeaderName.CSEQ.compactForm());
    }
}
