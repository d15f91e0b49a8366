package org.callrouter.sip.syntax;

/**
 * Character classes of the RFC 3261 grammar (section 25.1), as one 256-entry table of bit
 * flags so that every class test is a single array load and mask.
 */
public final class SipChars {

    /** {@code ALPHA}. */
    public static final int ALPHA = 1;
    /** {@code DIGIT}. */
    public static final int DIGIT = 1 << 1;
    /** {@code HEXDIG}, either case. */
    public static final int HEX = 1 << 2;
    /** {@code token} characters (RFC 3261 25.1). */
    public static final int TOKEN = 1 << 3;
    /** {@code word} characters, as in Call-ID (RFC 3261 25.1). */
    public static final int WORD = 1 << 4;
    /** {@code unreserved} = alphanum / mark (RFC 3261 25.1). */
    public static final int UNRESERVED = 1 << 5;
    /** Characters a SIP URI user part may hold unescaped: unreserved / user-unreserved, plus
     *  the {@code #} of a telephone-subscriber (RFC 3261 19.1.1, 25.1). */
    public static final int USER = 1 << 6;
    /** Characters a SIP URI password may hold unescaped. */
    public static final int PASSWORD = 1 << 7;
    /** {@code paramchar} without escapes: param-unreserved / unreserved. */
    public static final int PARAM = 1 << 8;
    /** URI header name/value characters without escapes: hnv-unreserved / unreserved. */
    public static final int HNV = 1 << 9;
    /** {@code uric} without escapes: reserved / unreserved (RFC 2396, used by absoluteURI). */
    public static final int URIC = 1 << 10;
    /** SP or HTAB. */
    public static final int WSP = 1 << 11;
    /** Characters of a URI scheme after its first letter. */
    public static final int SCHEME = 1 << 12;
    /** Characters of a hostname or IPv4 address: alphanum / "-" / ".". */
    public static final int HOST = 1 << 13;
    /** Characters of a tel URI number (RFC 3966): phonedigit-hex / "+" / "*" / "#". */
    public static final int PHONE = 1 << 14;

    private static final int[] CLASSES = new int[256];
    /** The token class alone: the test the parser makes most often. */
    private static final boolean[] TOKENS = new boolean[256];

    static {
        for (int c = 'a'; c <= 'z'; c++) {
            CLASSES[c] |= ALPHA;
            CLASSES[c - 32] |= ALPHA;
        }
        for (int c = '0'; c <= '9'; c++) {
            CLASSES[c] |= DIGIT | HEX | PHONE;
        }
        for (int c = 'a'; c <= 'f'; c++) {
            CLASSES[c] |= HEX | PHONE;
            CLASSES[c - 32] |= HEX | PHONE;
        }
        for (int c = 0; c < 128; c++) {
            if ((CLASSES[c] & (ALPHA | DIGIT)) != 0) {
                CLASSES[c] |= TOKEN | WORD | UNRESERVED | USER | PASSWORD | PARAM | HNV | URIC
                        | SCHEME | HOST;
            }
        }
        add("-.!%*_+`'~", TOKEN | WORD);
        add("()<>:\\\"/[]?{}", WORD);
        add("-_.!~*'()", UNRESERVED | USER | PASSWORD | PARAM | HNV | URIC);
        add("&=+$,;?/#", USER);
        add("&=+$,", PASSWORD);
        add("[]/:&+$", PARAM);
        add("[]/?:+$", HNV);
        add(";/?:@&=+$,", URIC);
        add(" \t", WSP);
        add("+-.", SCHEME);
        for (int c = 0; c < 256; c++) {
            TOKENS[c] = (CLASSES[c] & TOKEN) != 0;
        }
        add("-.", HOST);
        add("*#-.()+", PHONE);
    }

    private SipChars() {
    }

    private static void add(String chars, int flags) {
        for (int i = 0; i < chars.length(); i++) {
            CLASSES[chars.charAt(i)] |= flags;
        }
    }

    /** Whether byte {@code b} belongs to any class in {@code flags}. */
    public static boolean is(byte b, int flags) {
        return (CLASSES[b & 0xFF] & flags) != 0;
    }

    /** Whether {@code c} belongs to any class in {@code flags}; false outside ASCII. */
    public static boolean is(char c, int flags) {
        return c < 256 && (CLASSES[c] & flags) != 0;
    }

    /** Whether byte {@code b} is a token character. */
    public static boolean isTokenChar(byte b) {
        return TOKENS[b & 0xFF];
    }

    /** The value of a hex digit, or -1. */
    public static int hexValue(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        int lower = b | 0x20;
        if (lower >= 'a' && lower <= 'f') {
            return lower - 'a' + 10;
        }
        return -1;
    }

    /** ASCII lower case of one byte; other bytes unchanged. */
    public static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b | 0x20 : b & 0xFF;
    }

    /** Whether every character of {@code s} is a token character and {@code s} is not empty. */
    public static boolean isToken(CharSequence s) {
        if (s.length() == 0) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!is(s.charAt(i), TOKEN)) {
                return false;
            }
        }
        return true;
    }
}
