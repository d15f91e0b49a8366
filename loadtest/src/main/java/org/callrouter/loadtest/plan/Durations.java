package org.callrouter.loadtest.plan;

import java.util.concurrent.TimeUnit;

/** Durations as operators write them: {@code 250ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 0}. */
public final class Durations {

    private Durations() {
    }

    /**
     * Parses a duration: a whole number followed by {@code ns}, {@code us}, {@code ms}, {@code s},
     * {@code m} or {@code h}; a plain {@code 0} is zero.
     *
     * @return nanoseconds
     * @throws IllegalArgumentException naming the text when it is not a duration
     */
    public static long parseNs(String text) {
        String t = text.trim();
        if (t.equals("0")) {
            return 0;
        }
        int i = 0;
        while (i < t.length() && Character.isDigit(t.charAt(i))) {
            i++;
        }
        if (i == 0 || i == t.length()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (e.g. 500ms, 10s, 5m, 1h)");
        }
        long n;
        try {
            n = Long.parseLong(t.substring(0, i));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too long a duration", e);
        }
        TimeUnit unit = switch (t.substring(i)) {
            case "ns" -> TimeUnit.NANOSECONDS;
            case "us" -> TimeUnit.MICROSECONDS;
            case "ms" -> TimeUnit.MILLISECONDS;
            case "s" -> TimeUnit.SECONDS;
            case "m" -> TimeUnit.MINUTES;
            case "h" -> TimeUnit.HOURS;
            default -> throw new IllegalArgumentException(
                    "'" + text + "' has an unknown unit (use ns, us, ms, s, m or h)");
        };
        long ns = unit.toNanos(n);
        if (ns == Long.MAX_VALUE) {
            throw new IllegalArgumentException("'" + text + "' is too long a duration");
        }
        return ns;
    }

    private static final long[] FACTORS = {3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L};
    private static final String[] UNITS = {"h", "m", "s", "ms", "us"};

    /** The shortest exact form: {@code 0}, {@code 250ms}, {@code 10s}, {@code 5m}, ... */
    public static String format(long ns) {
        if (ns == 0) {
            return "0";
        }
        for (int i = 0; i < FACTORS.length; i++) {
            if (ns % FACTORS[i] == 0) {
                return ns / FACTORS[i] + UNITS[i];
            }
        }
        return ns + "ns";
    }
}
