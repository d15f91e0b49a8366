package org.callrouter.routing.phone;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneMetadata;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * What libphonenumber does with {@code +<calling code><national number>} text, learnt once
 * at start-up so that such text can be read without it: per calling code and first digit of
 * the national number, the national-number lengths that libphonenumber parses to exactly the
 * same digits and calls possible; and the calling code's country when only one country uses it.
 *
 * <p>libphonenumber strips a national prefix written after the country code ({@code +33 0...})
 * following each country's "national prefix for parsing". Calling codes whose prefix is a
 * plain run of digits get the fast path except for national numbers starting with its first
 * digit; calling codes with a pattern (+44, +54, +61, +81, +86 and a few more) and codes
 * whose metadata cannot be read always go to libphonenumber. Within that, the table is
 * calibrated by asking libphonenumber about sample numbers of every length for every first
 * digit, so a shape it would refuse or change also goes to it.
 *
 * <p>A national number of a length the calling code's main country does not allow, not even
 * for local dialling, is refused without libphonenumber when that country's national prefix
 * is plain digits the number does not start with ({@link #refusedLengths}): libphonenumber's
 * refusal costs 20-300 µs a number (a regular expression per step), which a carrier sending
 * malformed callers, or SIPp's {@code +1415555<n>} callers, would make a cost of every call.
 */
final class CallingCodes {

    private static final int MAX_NSN = 17;
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    /** What {@link #fastE164} answers when libphonenumber must decide. */
    static final long UNDECIDED = -3;
    /** Per calling code, per first national digit: a bit per national-number length read as is. */
    private static final int[][] FAST_LENGTHS = new int[1000][];
    /** Per calling code, per first national digit: a bit per national-number length refused. */
    private static final int[][] REFUSED_LENGTHS = new int[1000][];
    private static final String[] SINGLE_REGION = new String[1000];

    static {
        for (int code : UTIL.getSupportedCallingCodes()) {
            List<String> regions = UTIL.getRegionCodesForCountryCode(code);
            if (regions.size() == 1 && !"001".equals(regions.get(0))) {
                SINGLE_REGION[code] = regions.get(0);
            }
            int[] lengths = new int[10];
            List<PhoneMetadata> metadata = metadata(code, regions);
            String prefix = metadata == null ? null : plainNationalPrefix(metadata);
            int possible = prefix == null ? 0 : possibleLengths(metadata);
            for (int digit = 0; digit < 10 && possible != 0; digit++) {
                if (!prefix.isEmpty() && prefix.charAt(0) - '0' == digit) {
                    continue;
                }
                for (int length = 2; length <= MAX_NSN; length++) {
                    if ((possible & 1 << length) != 0 && Integer.toString(code).length() + length <= 15
                            && readAsIs(code, digit, length)) {
                        lengths[digit] |= 1 << length;
                    }
                }
            }
            FAST_LENGTHS[code] = lengths;
            // libphonenumber lists a calling code's main country first.
            REFUSED_LENGTHS[code] = metadata == null ? new int[10] : refusedLengths(metadata.subList(0, 1));
        }
    }

    private CallingCodes() {
    }

    /**
     * The metadata of every region of a calling code, or {@code null} when it cannot be read.
     * libphonenumber keeps its metadata accessors package-private, hence the reflection.
     */
    private static List<PhoneMetadata> metadata(int code, List<String> regions) {
        try {
            Method byRegion = PhoneNumberUtil.class.getDeclaredMethod("getMetadataForRegion", String.class);
            Method nonGeographic = PhoneNumberUtil.class.getDeclaredMethod("getMetadataForNonGeographicalRegion", int.class);
            byRegion.setAccessible(true);
            nonGeographic.setAccessible(true);
            List<PhoneMetadata> result = new ArrayList<>();
            for (String region : regions) {
                PhoneMetadata metadata = (PhoneMetadata) ("001".equals(region)
                        ? nonGeographic.invoke(UTIL, code) : byRegion.invoke(UTIL, region));
                if (metadata == null) {
                    return null;
                }
                result.add(metadata);
            }
            return result;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The national prefix libphonenumber strips after the calling code when it is plain digits
     * ("" when there is none); {@code null} when it is a pattern.
     */
    private static String plainNationalPrefix(List<PhoneMetadata> regions) {
        String plain = "";
        for (PhoneMetadata metadata : regions) {
            String prefix = metadata.getNationalPrefixForParsing().isEmpty()
                    ? metadata.getNationalPrefix() : metadata.getNationalPrefixForParsing();
            if (!prefix.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            if (!prefix.isEmpty()) {
                if (!plain.isEmpty() && plain.charAt(0) != prefix.charAt(0)) {
                    return null;
                }
                plain = prefix;
            }
        }
        return plain;
    }

    /** A bit per national-number length any region of the calling code allows. */
    private static int possibleLengths(List<PhoneMetadata> regions) {
        int mask = 0;
        for (PhoneMetadata metadata : regions) {
            for (int length : metadata.getGeneralDesc().getPossibleLengthList()) {
                if (length <= MAX_NSN) {
                    mask |= 1 << length;
                }
            }
        }
        return mask;
    }

    /**
     * Per first national digit, a bit per national-number length libphonenumber refuses after
     * {@code +code}, from the metadata of the code's main country ({@code main}): libphonenumber
     * reads such text with that metadata whatever the default region, strips nothing when the
     * country's national prefix is plain digits the number does not start with, and then calls
     * a number possible by the length of its national number alone, lengths for local dialling
     * included.
     */
    private static int[] refusedLengths(List<PhoneMetadata> main) {
        int[] refused = new int[10];
        String prefix = plainNationalPrefix(main);
        int possible = prefix == null ? 0 : possibleLengths(main);
        if (possible == 0) {
            return refused;
        }
        for (int length : main.get(0).getGeneralDesc().getPossibleLengthLocalOnlyList()) {
            possible |= length <= MAX_NSN ? 1 << length : 0;
        }
        for (int digit = 0; digit < 10; digit++) {
            if (prefix.isEmpty() || prefix.charAt(0) - '0' != digit) {
                refused[digit] = ~possible & ((1 << (MAX_NSN + 1)) - 2);
            }
        }
        return refused;
    }

    /** Loads the table (done when the first {@link PhoneNumbers} is made, not on a call). */
    static void load() {
        // The static initialiser has run once this method is called.
    }

    /** Whether libphonenumber keeps sample national numbers of this shape unchanged and possible. */
    private static boolean readAsIs(int code, int digit, int length) {
        String[] fillers = {"0123456789012345678", "9876543210987654321"};
        for (String filler : fillers) {
            String national = digit + filler.substring(0, length - 1);
            try {
                PhoneNumber parsed = UTIL.parse("+" + code + national, "ZZ");
                if (parsed.getCountryCode() != code || !UTIL.isPossibleNumber(parsed)
                        || !national.equals(UTIL.getNationalSignificantNumber(parsed))) {
                    return false;
                }
            } catch (NumberParseException e) {
                return false;
            }
        }
        return true;
    }

    /**
     * The E.164 digits of {@code +digits} text that libphonenumber would read unchanged,
     * {@link PhoneNumbers#INVALID} when it would refuse the text for its length, or
     * {@link #UNDECIDED} when it must decide. Allocation-free.
     */
    static long fastE164(CharSequence s) {
        int length = s.length();
        if (length < 4 || length > 16 || s.charAt(0) != '+') {
            return UNDECIDED;
        }
        long value = 0;
        for (int i = 1; i < length; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return UNDECIDED;
            }
            value = value * 10 + (c - '0');
        }
        int code = 0;
        for (int codeLength = 1; codeLength <= 3 && codeLength < length - 1; codeLength++) {
            code = code * 10 + (s.charAt(codeLength) - '0');
            int[] lengths = FAST_LENGTHS[code];
            if (lengths != null) {
                int national = 1 << (length - 1 - codeLength);
                int first = s.charAt(codeLength + 1) - '0';
                if ((lengths[first] & national) != 0) {
                    return value;
                }
                return (REFUSED_LENGTHS[code][first] & national) != 0 ? PhoneNumbers.INVALID : UNDECIDED;
            }
        }
        return UNDECIDED;
    }

    /** The only country using the calling code of an E.164 number, or {@code null} (shared or unknown). */
    static String singleRegion(long e164) {
        int digits = 1;
        long power = 1;
        while (digits < 18 && e164 / power >= 10) {
            power *= 10;
            digits++;
        }
        for (int codeLength = 1; codeLength <= 3 && codeLength < digits; codeLength++) {
            int code = (int) (e164 / power);
            if (FAST_LENGTHS[code] != null) {
                return SINGLE_REGION[code];
            }
            power /= 10;
        }
        return null;
    }
}
