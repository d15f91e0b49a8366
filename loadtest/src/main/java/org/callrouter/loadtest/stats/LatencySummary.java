package org.callrouter.loadtest.stats;

/**
 * A latency distribution in milliseconds (µs resolution), as the summary files give it.
 *
 * @param count how many values
 * @param mean  the mean
 * @param p50   the median
 * @param p90   the 90th percentile
 * @param p99   the 99th percentile
 * @param p999  the 99.9th percentile
 * @param max   the largest value
 */
public record LatencySummary(long count, double mean, double p50, double p90, double p99, double p999, double max) {
}
