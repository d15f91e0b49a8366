package org.callrouter.loadtest.carrier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CallerNumbersTest {

    private final CallerNumbers numbers = new CallerNumbers("+1415");

    @Test
    void numbersAreValidNanpSubscriberNumbersThatMapBackToTheirKey() {
        assertEquals("+14152000000", numbers.number(0));
        assertEquals("+14159999999", numbers.number(CallerNumbers.KEYS - 1));
        for (int key : new int[] {0, 1, 12_345, CallerNumbers.KEYS - 1}) {
            assertEquals(key, numbers.keyOf(numbers.number(key)));
        }
    }

    @Test
    void keysRepeatOnlyAfterEightMillionCalls() {
        assertEquals(5, CallerNumbers.keyOf(5));
        assertEquals(5, CallerNumbers.keyOf(CallerNumbers.KEYS + 5L));
        assertEquals(CallerNumbers.KEYS - 1, CallerNumbers.keyOf(CallerNumbers.KEYS - 1L));
    }

    @Test
    void foreignNumbersHaveNoKey() {
        assertEquals(-1, numbers.keyOf(null));
        assertEquals(-1, numbers.keyOf("+14151999999"));
        assertEquals(-1, numbers.keyOf("+1415200000"));
        assertEquals(-1, numbers.keyOf("+141520000001"));
        assertEquals(-1, numbers.keyOf("+1212200000x"));
        assertEquals(-1, numbers.keyOf("+1415200000x"));
        assertEquals(-1, numbers.keyOf("sipp"));
    }

    @Test
    void prefixesMustBeDigits() {
        assertEquals("4422000000", new CallerNumbers("442").number(0));
        assertThrows(IllegalArgumentException.class, () -> new CallerNumbers(""));
        assertThrows(IllegalArgumentException.class, () -> new CallerNumbers("+"));
        assertThrows(IllegalArgumentException.class, () -> new CallerNumbers("+1-415"));
        assertThrows(IllegalArgumentException.class, () -> new CallerNumbers("+123456789"));
    }
}
