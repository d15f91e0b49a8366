package org.callrouter.routing.phone;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import java.util.Locale;

/**
 * Normalises phone numbers to E.164 and holds them as a {@code long} (the digits after
 * the {@code +}: at most 15, so they fit). libphonenumber decides every case; the common
 * shapes take fast paths that give the same answer without allocating: NANP numbers
 * ({@code +1NXXNXXXXXX}, and with a +1 default region {@code NXXNXXXXXX} and
 * {@code 1NXXNXXXXXX}) and {@code +} followed by digits that libphonenumber would keep as
 * they are (see {@link CallingCodes}).
 */
public final class PhoneNumbers {

    /** Not a phone number. */
    public static final long INVALID = -1;
    /** No caller number: absent, empty or a privacy word such as {@code anonymous}. */
    public static final long ANONYMOUS = -2;

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final String[] PRIVACY_WORDS = {"anonymous", "unknown", "restricted", "private", "unavailable",
        "withheld", "blocked"};
    private static final long NANP_MIN = 10_000_000_000L;
    private static final long NANP_MAX = 19_999_999_999L;

    private final String region;
    private final boolean nanpRegion;

    /**
     * @param defaultRegion ISO 3166 region for numbers written without a country code ({@code US})
     * @throws IllegalArgumentException when libphonenumber does not know the region
     */
    public PhoneNumbers(String defaultRegion) {
        String upper = defaultRegion.toUpperCase(Locale.ROOT);
        if (!isSupportedRegion(upper)) {
            throw new IllegalArgumentException("unknown region \"" + defaultRegion + "\"");
        }
        this.region = upper;
        this.nanpRegion = UTIL.getCountryCodeForRegion(upper) == 1;
        CallingCodes.load();
    }

    /** Whether libphonenumber knows the ISO 3166 region code. */
    public static boolean isSupportedRegion(String region) {
        return UTIL.getSupportedRegions().contains(region.toUpperCase(Locale.ROOT));
    }

    /** The default region. */
    public String region() {
        return region;
    }

    /**
     * The E.164 digits of a number as written, {@link #INVALID} when it is not a possible
     * phone number, {@link #ANONYMOUS} when there is no number.
     */
    public long parse(CharSequence raw) {
        if (raw == null || isBlank(raw)) {
            return ANONYMOUS;
        }
        long fast = fastNanp(raw);
        if (fast >= 0) {
            return fast;
        }
        fast = CallingCodes.fastE164(raw);
        if (fast != CallingCodes.UNDECIDED) {
            return fast;
        }
        if (isPrivacyWord(raw)) {
            return ANONYMOUS;
        }
        return writtenAsNumber(raw) ? slow(raw.toString()) : INVALID;
    }

    /**
     * Whether {@code raw} is a number and nothing else: no control character anywhere, and
     * (spaces around aside) a digit, {@code +} or {@code (} first and a digit last.
     * libphonenumber finds a number inside any text and drops what surrounds it, so without
     * this {@code 18005550100} followed by a NUL (a SIP URI's {@code %00}) or {@code x18005550100}
     * would be routed as {@code +18005550100}.
     */
    private static boolean writtenAsNumber(CharSequence raw) {
        int start = 0;
        int end = raw.length();
        for (int i = 0; i < end; i++) {
            char c = raw.charAt(i);
            if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
                return false;
            }
        }
        while (start < end && raw.charAt(start) == ' ') {
            start++;
        }
        while (end > start && raw.charAt(end - 1) == ' ') {
            end--;
        }
        if (start == end) {
            return false;
        }
        char first = raw.charAt(start);
        char last = raw.charAt(end - 1);
        return (first == '+' || first == '(' || isDigit(first)) && isDigit(last);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /**
     * Like {@link #parse} but for text that must be a number (configuration, imports).
     *
     * @throws IllegalArgumentException with a message for the operator
     */
    public long parseRequired(String raw) {
        long value = parse(raw);
        if (value < 0) {
            throw new IllegalArgumentException("\"" + raw + "\" is not a phone number (default region " + region + ")");
        }
        return value;
    }

    private long fastNanp(CharSequence s) {
        int length = s.length();
        if (length == 12 && s.charAt(0) == '+' && s.charAt(1) == '1') {
            return nanpDigits(s, 2);
        }
        if (nanpRegion) {
            if (length == 10) {
                return nanpDigits(s, 0);
            }
            if (length == 11 && s.charAt(0) == '1') {
                return nanpDigits(s, 1);
            }
        }
        return -1;
    }

    /** Ten digits from {@code start} forming NXX-NXX-XXXX, as 1NXXNXXXXXX; else -1. */
    private static long nanpDigits(CharSequence s, int start) {
        char areaFirst = s.charAt(start);
        char exchangeFirst = s.charAt(start + 3);
        if (areaFirst < '2' || areaFirst > '9' || exchangeFirst < '2' || exchangeFirst > '9') {
            return -1;
        }
        long value = 1;
        for (int i = start; i < start + 10; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private long slow(String raw) {
        try {
            PhoneNumber number = UTIL.parse(raw, region);
            if (!UTIL.isPossibleNumber(number)) {
                return INVALID;
            }
            String digits = number.getCountryCode() + UTIL.getNationalSignificantNumber(number);
            return digits.length() > 15 ? INVALID : Long.parseLong(digits);
        } catch (NumberParseException | NumberFormatException e) {
            return INVALID;
        }
    }

    private static boolean isBlank(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isWhitespace(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isPrivacyWord(CharSequence raw) {
        int start = 0;
        int end = raw.length();
        while (start < end && Character.isWhitespace(raw.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(raw.charAt(end - 1))) {
            end--;
        }
        for (String word : PRIVACY_WORDS) {
            if (word.length() == end - start && equalsIgnoreCase(raw, start, word)) {
                return true;
            }
        }
        return false;
    }

    private static boolean equalsIgnoreCase(CharSequence raw, int start, String word) {
        for (int i = 0; i < word.length(); i++) {
            if (Character.toLowerCase(raw.charAt(start + i)) != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** {@code +} and the digits. */
    public static String format(long e164) {
        return "+" + e164;
    }

    /** Whether the number is in the North American Numbering Plan (+1, ten digits). */
    public static boolean isNanp(long e164) {
        return e164 >= NANP_MIN && e164 <= NANP_MAX;
    }

    /** The NANP area code of a +1 number. */
    public static int areaCode(long e164) {
        return (int) (e164 / 10_000_000L % 1000);
    }

    /**
     * ISO 3166 alpha-2 country of a number, or {@code null} when unknown. NANP numbers use
     * the area-code table and calling codes of one country a table (no allocation); numbers
     * of shared calling codes (+44 is GB, GG, IM and JE) ask libphonenumber.
     */
    public static String country(long e164) {
        if (e164 < 0) {
            return null;
        }
        if (isNanp(e164)) {
            String country = NanpAreaCodes.country(areaCode(e164));
            if (country != null) {
                return country;
            }
        } else {
            String single = CallingCodes.singleRegion(e164);
            if (single != null) {
                return single;
            }
        }
        try {
            String regionCode = UTIL.getRegionCodeForNumber(UTIL.parse(format(e164), "ZZ"));
            return regionCode == null || "ZZ".equals(regionCode) ? null : regionCode;
        } catch (NumberParseException e) {
            return null;
        }
    }
}
