package org.callrouter.routing.criteria;

/**
 * Reads decimal numbers ({@code -12}, {@code 3.5}) without allocating, so that
 * comparing a tag to a number on every call creates no garbage.
 */
final class Numeric {

    private static final double[] POWERS = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18};

    /** Below this, one more digit still fits in a long. */
    private static final long MANTISSA_LIMIT = 100_000_000_000_000_000L;

    private Numeric() {
    }

    /** The value of {@code -?digits(.digits)?}, or NaN when the text is anything else. */
    static double parse(CharSequence text) {
        int length = text.length();
        int i = 0;
        boolean negative = false;
        if (length > 0 && (text.charAt(0) == '-' || text.charAt(0) == '+')) {
            negative = text.charAt(0) == '-';
            i = 1;
        }
        long mantissa = 0;
        int fractionDigits = 0;
        boolean inFraction = false;
        boolean any = false;
        for (; i < length; i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                any = true;
                if (!inFraction) {
                    if (mantissa >= MANTISSA_LIMIT) {
                        return slow(text);
                    }
                    mantissa = mantissa * 10 + (c - '0');
                } else if (fractionDigits < POWERS.length - 1 && mantissa < MANTISSA_LIMIT) {
                    mantissa = mantissa * 10 + (c - '0');
                    fractionDigits++;
                }
            } else if (c == '.' && !inFraction && any && i + 1 < length) {
                inFraction = true;
            } else {
                return Double.NaN;
            }
        }
        if (!any) {
            return Double.NaN;
        }
        double value = mantissa / POWERS[fractionDigits];
        return negative ? -value : value;
    }

    /** More than 18 digits before the point: rare, so the JDK may allocate. */
    private static double slow(CharSequence text) {
        try {
            return Double.parseDouble(text.toString());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
