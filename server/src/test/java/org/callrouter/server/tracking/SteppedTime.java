package org.callrouter.server.tracking;

import io.github.bucket4j.TimeMeter;

/** Bucket4j's clock, stepped by the test, so refills are exact and no test sleeps. */
final class SteppedTime implements TimeMeter {

    long nanos = 1_000_000_000L;

    @Override
    public long currentTimeNanos() {
        return nanos;
    }

    @Override
    public boolean isWallClockBased() {
        return false;
    }
}
