package org.callrouter.server;

import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How late the SIP loop runs its fixed-rate tick: the worst lateness of each 10 s window, logged
 * at DEBUG when the window ends and kept for {@code /metrics}. A tick is due every period after
 * the first, as the loop's scheduler counts, so a loop that stalls for 200 ms shows a 200 ms lag
 * even though the ticks it owes then run back to back. Told of ticks on the loop only; the last
 * window's worst is read from any thread.
 */
public final class LoopLag {

    private static final Logger LOG = LoggerFactory.getLogger(LoopLag.class);
    private static final long WINDOW_NS = TimeUnit.SECONDS.toNanos(10);

    private final String loopName;
    private final long periodNs;
    private long dueNs;
    private long windowStartNs;
    private long worstNs;
    private volatile long lastWindowWorstNs;

    /**
     * @param loopName what the log line calls the loop ("SIP loop", "SIP worker 1")
     * @param periodMs the tick's period
     */
    public LoopLag(String loopName, long periodMs) {
        this.loopName = loopName;
        this.periodNs = TimeUnit.MILLISECONDS.toNanos(periodMs);
    }

    /** A tick ran at {@code nowNs} ({@link System#nanoTime()}). */
    public void onTick(long nowNs) {
        if (dueNs == 0) {
            dueNs = nowNs;
            windowStartNs = nowNs;
        }
        final long lateNs = nowNs - dueNs;
        if (lateNs > worstNs) {
            worstNs = lateNs;
        }
        dueNs += periodNs;
        if (nowNs - windowStartNs >= WINDOW_NS) {
            lastWindowWorstNs = worstNs;
            if (LOG.isDebugEnabled()) {
                LOG.debug("{}: worst lag {} ms in the last {} s", loopName, String.format("%.1f", worstNs / 1e6),
                        (nowNs - windowStartNs) / 1_000_000_000);
            }
            worstNs = 0;
            windowStartNs = nowNs;
        }
    }

    /** The worst lag of the last complete window, in seconds (0 before the first ends). */
    public double lastWindowWorstSeconds() {
        return lastWindowWorstNs / 1e9;
    }
}
