package org.callrouter.routing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test sets; public, and in the test-jar, for the server's tests too. */
public final class TestClock extends Clock {

    private volatile long nowMs;

    public TestClock(String instant) {
        this.nowMs = Instant.parse(instant).toEpochMilli();
    }

    public void set(String instant) {
        nowMs = Instant.parse(instant).toEpochMilli();
    }

    public void advanceMs(long ms) {
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
