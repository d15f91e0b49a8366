package org.callrouter.routing;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sliding window of the console's live page, stepped by hand. */
class CallRatesTest {

    private static final long T0 = 1_773_000_000_000L;

    @Test
    void countsTheWindowAndForgetsWhatLeftIt() {
        final CallRates rates = new CallRates(10);
        rates.arrived(T0);
        rates.arrived(T0 + 999);
        rates.arrived(T0 + 4_000);
        rates.ended(T0 + 4_500, true);
        rates.ended(T0 + 5_000, false);
        rates.ended(T0 + 6_000, true);

        final CallRates.Rates now = rates.rates(T0 + 6_000);
        assertEquals(3, now.arrived());
        assertEquals(0.3, now.callsPerSecond(), 1e-9);
        assertEquals(3, now.ended());
        assertEquals(2.0 / 3, now.answerRate(), 1e-9);

        // T0's second leaves the window at T0 + 10 s; the rest stays until theirs leave.
        final CallRates.Rates later = rates.rates(T0 + 10_000);
        assertEquals(1, later.arrived());
        assertEquals(3, later.ended());
        assertEquals(0, rates.rates(T0 + 16_000).ended());
        assertTrue(Double.isNaN(rates.rates(T0 + 16_000).answerRate()));
    }

    @Test
    void aBucketReusedOnALaterLapStartsEmpty() {
        final CallRates rates = new CallRates(5);
        rates.arrived(T0);
        rates.arrived(T0);
        rates.arrived(T0 + 5_000);
        assertEquals(1, rates.rates(T0 + 5_000).arrived());
        // An event older than the window the bucket holds now is dropped, not added to it.
        rates.ended(T0, true);
        assertEquals(0, rates.rates(T0 + 5_000).ended());
    }

    @Test
    void eventsAfterTheQueriedSecondAreNotCounted() {
        final CallRates rates = new CallRates(60);
        rates.arrived(T0 + 2_000);
        assertEquals(0, rates.rates(T0).arrived());
        assertEquals(1, rates.rates(T0 + 2_000).arrived());
    }

    @Test
    void refusesAnEmptyWindow() {
        assertThrows(IllegalArgumentException.class, () -> new CallRates(0));
    }
}
