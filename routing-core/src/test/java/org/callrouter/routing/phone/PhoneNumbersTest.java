package org.callrouter.routing.phone;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PhoneNumbersTest {

    private static final PhoneNumbers US = new PhoneNumbers("US");

    @Test
    void normalisesToE164() {
        assertEquals(18005550100L, US.parse("18005550100"));
        assertEquals(18005550100L, US.parse("8005550100"));
        assertEquals(18005550100L, US.parse("+18005550100"));
        assertEquals(18005550100L, US.parse("+1 (800) 555-0100"));
        assertEquals(18005550100L, US.parse("1-800-555-0100"));
        assertEquals(442079460018L, US.parse("+44 20 7946 0018"));
        assertEquals(442079460018L, US.parse("011 44 20 7946 0018"), "US international prefix");
        assertEquals(442079460018L, new PhoneNumbers("GB").parse("020 7946 0018"));
        assertEquals("+18005550100", PhoneNumbers.format(US.parse("18005550100")));
    }

    @Test
    void anonymousAndInvalid() {
        for (String none : new String[] {null, "", "  ", "anonymous", "Anonymous", "RESTRICTED", "private", "unavailable"}) {
            assertEquals(PhoneNumbers.ANONYMOUS, US.parse(none), String.valueOf(none));
        }
        for (String bad : new String[] {"abc", "12", "+1800555", "sip:x@y", "+999 1234"}) {
            assertEquals(PhoneNumbers.INVALID, US.parse(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> US.parseRequired("nope"));
        assertThrows(IllegalArgumentException.class, () -> new PhoneNumbers("XX"));
    }

    @Test
    void impossibleLengthsAreRefusedWithoutLibphonenumber() {
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        // SIPp's callers +1415555<n>: too short for NANP for n from 10 to 999, too long from 10,000.
        for (String raw : List.of("+141555510", "+1415555999", "+141555510000", "+33612", "+3361234567890")) {
            assertEquals(PhoneNumbers.INVALID, CallingCodes.fastE164(raw), raw);
            assertEquals(reference(util, raw), US.parse(raw), raw);
        }
        SplittableRandom random = new SplittableRandom(42);
        for (int length = 1; length <= 14; length++) {
            for (int i = 0; i < 200; i++) {
                StringBuilder raw = new StringBuilder("+1");
                for (int d = 0; d < length; d++) {
                    raw.append((char) ('0' + random.nextInt(10)));
                }
                String text = raw.toString();
                assertEquals(reference(util, text), US.parse(text), text);
            }
        }
        // A NANP number of 7 digits is possible for local dialling: libphonenumber decides.
        assertEquals(CallingCodes.UNDECIDED, CallingCodes.fastE164("+15550100"));
        assertEquals(reference(util, "+15550100"), US.parse("+15550100"));
        // A national number starting with the national prefix may be stripped, and a country
        // whose national prefix is a pattern (the UK) may strip anything: libphonenumber decides.
        assertEquals(CallingCodes.UNDECIDED, CallingCodes.fastE164("+118005550"));
        assertEquals(CallingCodes.UNDECIDED, CallingCodes.fastE164("+4420794"));
    }

    @Test
    void controlCharactersAndJunkAroundANumberAreNotANumber() {
        // What a SIP URI's %00, %0D, %0A, %01 and %7F decode to, at the end, inside and in front.
        for (String control : new String[] {"\u0000", "\r", "\n", "\u0001", "\u007f", "\t", "\u0085"}) {
            for (String bad : new String[] {"18005550100" + control, "18005500" + control, "+18005550100" + control,
                "1800555" + control + "0100", control + "18005550100", "+44 20 7946 0018" + control}) {
                assertEquals(PhoneNumbers.INVALID, US.parse(bad), () -> bad.replace(control, "<" + (int) control.charAt(0) + ">"));
            }
        }
        for (String bad : new String[] {"18005550100abc", "18005550100#", "18005550100;", "x18005550100", "18005550100)",
            "+1 800 555 0100 ext"}) {
            assertEquals(PhoneNumbers.INVALID, US.parse(bad), bad);
        }
        assertEquals(18005550100L, US.parse(" +1 (800) 555-0100 "), "spaces around are not junk");
        assertEquals(18005550100L, US.parse("(800) 555-0100"));
    }

    @Test
    void fastPathAgreesWithLibphonenumber() {
        long seed = System.nanoTime();
        System.out.println("PhoneNumbersTest seed " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        for (int i = 0; i < 20_000; i++) {
            String digits = String.format("%010d", random.nextLong(10_000_000_000L));
            for (String raw : List.of(digits, "1" + digits, "+1" + digits)) {
                assertEquals(reference(util, raw), US.parse(raw), () -> raw + " (seed " + seed + ")");
            }
        }
    }

    @Test
    void internationalFastPathAgreesWithLibphonenumber() {
        long seed = System.nanoTime();
        System.out.println("PhoneNumbersTest international seed " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        List<Integer> codes = List.copyOf(util.getSupportedCallingCodes());
        int fast = 0;
        int refused = 0;
        for (int i = 0; i < 50_000; i++) {
            int code = codes.get(random.nextInt(codes.size()));
            int length = 1 + random.nextInt(15);
            StringBuilder raw = new StringBuilder("+").append(code);
            for (int d = 0; d < length; d++) {
                raw.append((char) ('0' + random.nextInt(10)));
            }
            String text = raw.toString();
            long quick = CallingCodes.fastE164(text);
            fast += quick >= 0 ? 1 : 0;
            refused += quick == PhoneNumbers.INVALID ? 1 : 0;
            assertEquals(reference(util, text), US.parse(text), () -> text + " (seed " + seed + ")");
        }
        System.out.println("fast path took " + fast + " and refused " + refused + " of 50000 random international numbers");
        assertTrue(fast > 5_000, "the fast path takes the possible shapes: " + fast);
        assertTrue(refused > 5_000, "the fast path refuses the impossible lengths: " + refused);
        assertEquals("FR", PhoneNumbers.country(33612345678L));
        assertEquals("DE", PhoneNumbers.country(4930123456L));
    }

    /** What libphonenumber alone says, within E.164's 15 digits. */
    private static long reference(PhoneNumberUtil util, String raw) {
        try {
            PhoneNumber parsed = util.parse(raw, "US");
            String digits = parsed.getCountryCode() + util.getNationalSignificantNumber(parsed);
            return util.isPossibleNumber(parsed) && digits.length() <= 15 ? Long.parseLong(digits) : PhoneNumbers.INVALID;
        } catch (NumberParseException e) {
            return PhoneNumbers.INVALID;
        }
    }

    @Test
    void nanpAreaCodes() {
        long caller = US.parse("+14155550100");
        assertTrue(PhoneNumbers.isNanp(caller));
        assertEquals(415, PhoneNumbers.areaCode(caller));
        assertEquals("CA", NanpAreaCodes.state(415));
        assertEquals("US", PhoneNumbers.country(caller));
        assertEquals("ON", NanpAreaCodes.state(416));
        assertEquals("CA", PhoneNumbers.country(US.parse("+14165550100")));
        assertEquals("PR", NanpAreaCodes.state(787));
        assertEquals("JM", PhoneNumbers.country(US.parse("+18765550100")));
        assertNull(NanpAreaCodes.state(876));
        assertNull(NanpAreaCodes.state(800), "toll-free has no state");
        assertEquals("GB", PhoneNumbers.country(442079460018L));
        assertEquals("415", NanpAreaCodes.text(415));
    }

    @Test
    void areaCodeTableCoversEveryStateAndProvince() {
        Set<String> states = new HashSet<>();
        for (int code = 200; code < 1000; code++) {
            String state = NanpAreaCodes.state(code);
            if (state != null) {
                states.add(state);
            }
        }
        Set<String> expected = Set.of("AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN",
                "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY",
                "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
                "DC", "AB", "BC", "MB", "NB", "NL", "NS", "ON", "QC", "SK", "YT", "PR", "VI", "GU", "AS", "MP");
        assertTrue(states.containsAll(expected), () -> "missing " + difference(expected, states));
        assertTrue(NanpAreaCodes.size() > 450, "table has " + NanpAreaCodes.size() + " area codes");
        int[] sample = {212, 213, 305, 312, 415, 512, 617, 702, 713, 808, 907, 202, 514, 604, 403, 902, 306};
        String[] states2 = {"NY", "CA", "FL", "IL", "CA", "TX", "MA", "NV", "TX", "HI", "AK", "DC", "QC", "BC", "AB", "NS", "SK"};
        for (int i = 0; i < sample.length; i++) {
            assertEquals(states2[i], NanpAreaCodes.state(sample[i]), "area code " + sample[i]);
        }
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> d = new HashSet<>(a);
        d.removeAll(b);
        return d;
    }
}
