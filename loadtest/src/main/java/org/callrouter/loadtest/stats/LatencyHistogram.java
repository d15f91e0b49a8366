package org.callrouter.loadtest.stats;

import org.HdrHistogram.Histogram;

/**
 * Latencies in nanoseconds, recorded into an HdrHistogram with 1 µs resolution, three significant
 * digits, up to an hour. Recording allocates nothing. Not thread-safe: recorded on the event loop,
 * read once the run has stopped (or by the loop itself for live progress).
 */
public final class LatencyHistogram {

    private static final long LOWEST_NS = 1_000L;
    private static final long HIGHEST_NS = 3_600_000_000_000L;

    private final Histogram histogram = new Histogram(LOWEST_NS, HIGHEST_NS, 3);

    /** Records one latency; a negative one (clock skew cannot happen on one clock) counts as 0. */
    public void record(long ns) {
        histogram.recordValue(Math.min(Math.max(ns, 0), HIGHEST_NS));
    }

    /** Adds every value of {@code other}. */
    public void add(LatencyHistogram other) {
        histogram.add(other.histogram);
    }

    /** Forgets every value. */
    public void reset() {
        histogram.reset();
    }

    /** The number of values. */
    public long count() {
        return histogram.getTotalCount();
    }

    /** The value at percentile {@code p} (0..100), in nanoseconds; 0 when empty. */
    public long percentileNs(double p) {
        return histogram.getValueAtPercentile(p);
    }

    /** Count, mean and percentiles in milliseconds; null when no value was recorded. */
    public LatencySummary summary() {
        if (histogram.getTotalCount() == 0) {
            return null;
        }
        return new LatencySummary(histogram.getTotalCount(), ms(histogram.getMean()),
                ms(histogram.getValueAtPercentile(50)), ms(histogram.getValueAtPercentile(90)),
                ms(histogram.getValueAtPercentile(99)), ms(histogram.getValueAtPercentile(99.9)),
                ms(histogram.getMaxValue()));
    }

    private static double ms(double ns) {
        return Math.round(ns / 1_000.0) / 1_000.0;
    }
}
