package org.callrouter.loadtest.carrier;

/**
 * The caller numbers the carrier side gives its calls, one per live call, so that the handler
 * side can tell which carrier call an INVITE belongs to: a B2BUA router renews Call-ID, tags and
 * branches on its B leg but keeps the caller's number in From. A number is the prefix followed by
 * seven digits {@code 2000000 + key}, which keeps it a valid NANP subscriber number
 * (NXX-XXXX, N = 2..9) under a prefix such as {@code +1415}; the key is the call's sequence number
 * modulo {@link #KEYS}, so keys repeat only after 8,000,000 calls.
 */
public final class CallerNumbers {

    /** How many distinct numbers (and keys) there are. */
    public static final int KEYS = 8_000_000;
    private static final int FIRST = 2_000_000;
    private static final int DIGITS = 7;

    private final String prefix;

    /**
     * Numbers under {@code prefix}: an optional {@code +} and 1 to 8 digits (E.164 allows 15
     * digits in all).
     *
     * @throws IllegalArgumentException naming the prefix otherwise
     */
    public CallerNumbers(String prefix) {
        int digits = prefix.startsWith("+") ? prefix.length() - 1 : prefix.length();
        if (digits < 1 || digits > 8 || !prefix.substring(prefix.length() - digits).chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("caller prefix '" + prefix
                    + "' must be an optional + and 1 to 8 digits (7 more digits follow it)");
        }
        this.prefix = prefix;
    }

    /** The key of call number {@code seq} (0, 1, 2, ...). */
    public static int keyOf(long seq) {
        return (int) (seq % KEYS);
    }

    /** The caller number for {@code key}. */
    public String number(int key) {
        return prefix + (FIRST + key);
    }

    /**
     * The key of caller number {@code user} (a From URI's user part), or -1 when the number is
     * not one of ours (another carrier, SIPp).
     */
    public int keyOf(String user) {
        if (user == null || user.length() != prefix.length() + DIGITS || !user.startsWith(prefix)) {
            return -1;
        }
        int n = 0;
        for (int i = prefix.length(); i < user.length(); i++) {
            char c = user.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n < FIRST || n >= FIRST + KEYS ? -1 : n - FIRST;
    }

    /** The prefix. */
    public String prefix() {
        return prefix;
    }
}
