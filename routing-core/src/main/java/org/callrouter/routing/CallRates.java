package org.callrouter.routing;

import java.util.Arrays;

/**
 * Calls per second and the answer rate over the last {@code windowSeconds} seconds, from one
 * bucket per second in a ring (what the admin console's live page shows). Time is passed in;
 * nothing here reads a clock. Not thread-safe: the owner serialises access.
 */
public final class CallRates {

    /** What the window holds now. {@code answerRate} is NaN when no call ended in the window. */
    public record Rates(int windowSeconds, long arrived, long ended, long answered) {

        /** Arrivals per second, averaged over the window. */
        public double callsPerSecond() {
            return (double) arrived / windowSeconds;
        }

        /** Answered calls among the calls that ended in the window; NaN when none ended. */
        public double answerRate() {
            return ended == 0 ? Double.NaN : (double) answered / ended;
        }
    }

    private final int windowSeconds;
    /** The second each bucket holds, so a bucket left from an earlier lap reads as empty. */
    private final long[] second;
    private final long[] arrived;
    private final long[] ended;
    private final long[] answered;

    /**
     * @throws IllegalArgumentException when {@code windowSeconds < 1}
     */
    public CallRates(int windowSeconds) {
        if (windowSeconds < 1) {
            throw new IllegalArgumentException("windowSeconds=" + windowSeconds + " must be >= 1");
        }
        this.windowSeconds = windowSeconds;
        this.second = new long[windowSeconds];
        this.arrived = new long[windowSeconds];
        this.ended = new long[windowSeconds];
        this.answered = new long[windowSeconds];
        Arrays.fill(second, Long.MIN_VALUE);
    }

    public int windowSeconds() {
        return windowSeconds;
    }

    /** A call arrived at {@code atMs}. */
    public void arrived(long atMs) {
        final int b = bucket(atMs);
        if (b >= 0) {
            arrived[b]++;
        }
    }

    /** A call ended at {@code atMs}, answered or not. */
    public void ended(long atMs, boolean wasAnswered) {
        final int b = bucket(atMs);
        if (b < 0) {
            return;
        }
        ended[b]++;
        if (wasAnswered) {
            answered[b]++;
        }
    }

    /** The counts of the {@code windowSeconds} seconds up to and including {@code nowMs}'s. */
    public Rates rates(long nowMs) {
        final long now = Math.floorDiv(nowMs, 1000);
        long a = 0;
        long e = 0;
        long ok = 0;
        for (int i = 0; i < windowSeconds; i++) {
            if (second[i] <= now && second[i] > now - windowSeconds) {
                a += arrived[i];
                e += ended[i];
                ok += answered[i];
            }
        }
        return new Rates(windowSeconds, a, e, ok);
    }

    /**
     * The bucket of {@code atMs}'s second, emptied first when it held an older second; -1 for
     * an event a whole window older than the bucket's second (it can never be in a window again).
     */
    private int bucket(long atMs) {
        final long s = Math.floorDiv(atMs, 1000);
        final int b = (int) Math.floorMod(s, (long) windowSeconds);
        if (second[b] != s) {
            if (second[b] > s) {
                return -1;
            }
            second[b] = s;
            arrived[b] = 0;
            ended[b] = 0;
            answered[b] = 0;
        }
        return b;
    }
}
