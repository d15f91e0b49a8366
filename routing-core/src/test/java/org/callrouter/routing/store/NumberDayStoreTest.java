package org.callrouter.routing.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.callrouter.routing.config.NumberPolicy;
import org.callrouter.routing.quarantine.CallMark;
import org.callrouter.routing.quarantine.NumberWindow;

/** Calls and marks per number and day: the window, the ring of day slots, the flag rule. */
class NumberDayStoreTest {

    private static final long NUMBER = 18005550100L;
    private static final long DAY_MS = 86_400_000L;

    @TempDir
    Path dir;

    @Test
    void theWindowCountsItsDaysOnlyAndAReusedSlotStartsAfresh() {
        NumberDayStore store = new NumberDayStore(dir.resolve("days.cmap"), 1000);
        try {
            long day0 = Instant.parse("2026-06-01T10:00:00Z").toEpochMilli();
            for (int i = 0; i < 4; i++) {
                store.countCall(NUMBER, day0);
            }
            store.countMark(NUMBER, day0, CallMark.SPAM);
            store.countCall(NUMBER, day0 + 6 * DAY_MS);
            store.countMark(NUMBER, day0 + 6 * DAY_MS, CallMark.MISDIRECTED);
            store.countCall(18005550101L, day0);

            NumberWindow week = store.window(NUMBER, day0 + 6 * DAY_MS, 7);
            assertEquals(new NumberWindow("+18005550100", 5, 1, 1), week);
            assertEquals(0.4, week.share(), 1e-9);
            assertEquals(new NumberWindow("+18005550100", 1, 0, 1), store.window(NUMBER, day0 + 6 * DAY_MS, 6),
                    "day 0 is outside a 6-day window");
            assertEquals(2, store.windows(day0 + 6 * DAY_MS, 7).size());

            // The same slot a ring later is another day: it starts from zero.
            store.countCall(NUMBER, day0 + NumberDayStore.RING_DAYS * DAY_MS);
            assertEquals(new NumberWindow("+18005550100", 1, 0, 0),
                    store.window(NUMBER, day0 + NumberDayStore.RING_DAYS * DAY_MS, 1));
        } finally {
            store.close();
        }
    }

    @Test
    void aNumberIsFlaggedAtTheThresholdWithEnoughCalls() {
        NumberPolicy policy = new NumberPolicy(45, 14, 404, 7, 0.2, 5);
        assertFalse(new NumberWindow("+1", 4, 4, 0).flagged(policy), "too few calls");
        assertTrue(new NumberWindow("+1", 5, 1, 0).flagged(policy), "1 in 5 reaches 0.2");
        assertFalse(new NumberWindow("+1", 6, 1, 0).flagged(policy));
        assertTrue(new NumberWindow("+1", 10, 1, 1).flagged(policy), "misdirected calls count too");
        assertEquals(1.0, new NumberWindow("+1", 0, 2, 0).share(), "a mark never counts for more than its call");
    }
}
