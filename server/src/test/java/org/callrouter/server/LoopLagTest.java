package org.callrouter.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The loop's lag is measured against the tick's schedule, worst per 10 s window. */
class LoopLagTest {

    private static final long MS = 1_000_000L;
    private static final long START = 5_000 * MS;

    @Test
    void aStallCountsInFullThoughTheOwedTicksRunBackToBack() {
        final LoopLag lag = new LoopLag("SIP loop", 8);
        for (int k = 0; k <= 100; k++) { // on time
            lag.onTick(START + k * 8 * MS);
        }
        final long resumed = START + 101 * 8 * MS + 200 * MS; // tick 101 comes 200 ms late,
        for (int k = 101; k <= 126; k++) { // and the 25 after it, owed by then, run at once
            lag.onTick(resumed + (k - 101) * 1_000);
        }
        assertEquals(0.0, lag.lastWindowWorstSeconds(), "no window has ended yet");
        for (int k = 127; k <= 1_300; k++) { // on time again, past the end of the first 10 s
            lag.onTick(START + k * 8 * MS);
        }
        assertEquals(0.200, lag.lastWindowWorstSeconds(), 1e-9);
    }

    @Test
    void eachWindowReportsItsOwnWorst() {
        final LoopLag lag = new LoopLag("SIP loop", 10);
        lag.onTick(START);
        for (int k = 1; k <= 1_000; k++) { // 10 s on time but for one tick 30 ms late
            lag.onTick(START + k * 10 * MS + (k == 500 ? 30 * MS : 0));
        }
        assertEquals(0.030, lag.lastWindowWorstSeconds(), 1e-9);
        for (int k = 1_001; k <= 2_001; k++) { // the next 10 s on time
            lag.onTick(START + k * 10 * MS);
        }
        assertEquals(0.0, lag.lastWindowWorstSeconds(), 1e-9);
    }
}
