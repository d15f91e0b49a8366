package org.callrouter.routing.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

class PoolSizingTest {

    @Test
    void concurrentVisitorsAreRateTimesTimeHeld() {
        // 3,600 an hour is one a second; each holds a number 30 minutes: 1,800 at once.
        final PoolSizing sizing = new PoolSizing(3600, 30, 0);
        assertEquals(0, new BigDecimal("1800").compareTo(sizing.concurrentVisitors()));
        assertEquals(1800, sizing.numbersNeeded());
    }

    @Test
    void headroomIsAddedAndTheResultRoundedUp() {
        assertEquals(2250, new PoolSizing(3600, 30, 0.25).numbersNeeded());
        // 100/h for 7 minutes: 11.67 at once; ×1.25 = 14.58 → 15.
        assertEquals(15, new PoolSizing(100, 7, 0.25).numbersNeeded());
        assertEquals(0, new BigDecimal("11.667").compareTo(new PoolSizing(100, 7, 0.25).concurrentVisitors()));
    }

    @Test
    void decimalInputsDoNotRoundUpByBinaryError() {
        // 1,000 × 30 / 60 × 1.1 = 550 exactly; in doubles 500 × 1.1 = 550.0000000000001.
        assertEquals(550, new PoolSizing(1000, 30, 0.1).numbersNeeded());
        assertEquals(330, new PoolSizing(600, 30, 0.1).numbersNeeded());
        assertEquals(3, new PoolSizing(10, 14.5, 0.2).numbersNeeded()); // 2.4167 × 1.2 = 2.9 → 3
    }

    @Test
    void aPoolHasAtLeastOneNumber() {
        assertEquals(1, new PoolSizing(0, 30, 0.25).numbersNeeded());
        assertEquals(1, new PoolSizing(1, 1, 0).numbersNeeded());
    }

    @Test
    void utilisationIsTheAverageHeldOverTheSize() {
        final PoolSizing sizing = new PoolSizing(3600, 30, 0.25);
        assertEquals(0.9, sizing.utilisation(2000), 1e-12);
        assertTrue(sizing.utilisation(1000) > 1, "a pool smaller than the concurrent visitors is over 100%");
        assertThrows(IllegalArgumentException.class, () -> sizing.utilisation(0));
    }

    @Test
    void inputsOutOfRangeAreRefusedByName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new PoolSizing(-1, 30, 0.25)).getMessage()
                .startsWith("visitors per hour"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new PoolSizing(100, 0, 0.25)).getMessage()
                .startsWith("session minutes"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new PoolSizing(100, Double.NaN, 0.25))
                .getMessage().startsWith("session minutes"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new PoolSizing(100, 30, -0.1)).getMessage()
                .startsWith("headroom"));
        assertThrows(IllegalArgumentException.class, () -> new PoolSizing(Double.POSITIVE_INFINITY, 30, 0));
    }
}
