package org.callrouter.routing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test sets. */
final class TestClock extends Clock {

    private volatile long nowMs;

    TestClock(String instant) {
        this.nowMs = Instant.parse(instant).toEpochMilli();
    }

    void set(String instant) {
        nowMs = Instant.parse(instant).toEpochMilli();
    }

    void advanceMs(long ms) {
        nowMs += ms;
    }

    @Override
    public long millis() {
        return nowMs;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(nowMs);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
    }
}
