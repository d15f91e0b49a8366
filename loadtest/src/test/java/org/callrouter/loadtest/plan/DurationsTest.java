package org.callrouter.loadtest.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void parsesEveryUnit() {
        assertEquals(0, Durations.parseNs("0"));
        assertEquals(7, Durations.parseNs("7ns"));
        assertEquals(7_000, Durations.parseNs("7us"));
        assertEquals(250_000_000L, Durations.parseNs("250ms"));
        assertEquals(10_000_000_000L, Durations.parseNs(" 10s "));
        assertEquals(300_000_000_000L, Durations.parseNs("5m"));
        assertEquals(3_600_000_000_000L, Durations.parseNs("1h"));
    }

    @Test
    void formatsTheShortestExactForm() {
        assertEquals("0", Durations.format(0));
        assertEquals("250ms", Durations.format(250_000_000L));
        assertEquals("1500ms", Durations.format(1_500_000_000L));
        assertEquals("5m", Durations.format(300_000_000_000L));
        assertEquals("1h", Durations.format(3_600_000_000_000L));
        assertEquals("7ns", Durations.format(7));
    }

    @Test
    void rejectsWhatIsNotADurationSayingWhy() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Durations.parseNs("10"))
                .getMessage().contains("'10' is not a duration"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Durations.parseNs("10d"))
                .getMessage().contains("unknown unit"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parseNs("ms"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parseNs("-5s"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parseNs("99999999999999999999s"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parseNs("9999999999999h"));
    }
}
