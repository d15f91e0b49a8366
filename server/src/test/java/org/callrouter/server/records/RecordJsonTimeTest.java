package org.callrouter.server.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** Journal times: {@link RecordJson#parseTime} reads what {@link RecordJson#time} writes, as {@code Instant.parse} does. */
class RecordJsonTimeTest {

    @Test
    void readsBackEveryTimeItWritesAsInstantDoes() {
        final long seed = System.nanoTime();
        final SplittableRandom random = new SplittableRandom(seed);
        // From 1970 to 2200: leap years, 1900-style century rules (2100), month ends.
        for (int i = 0; i < 200_000; i++) {
            final long ms = random.nextLong(0, 7_258_118_400_000L);
            final String text = RecordJson.time(ms);
            assertEquals(ms, RecordJson.parseTime(text), "seed " + seed + ": " + text);
            assertEquals(Instant.parse(text).toEpochMilli(), RecordJson.parseTime(text), text);
        }
    }

    @Test
    void monthEndsAndLeapDays() {
        for (String text : new String[] {"2024-02-29T23:59:59.999Z", "2026-12-31T00:00:00.000Z", "2026-04-30T12:00:00.000Z",
            "2000-02-29T00:00:00.000Z", "1970-01-01T00:00:00.000Z"}) {
            assertEquals(Instant.parse(text).toEpochMilli(), RecordJson.parseTime(text), text);
        }
    }

    @Test
    void otherShapesGoToInstantParse() {
        // Other precisions, a leap second, midnight as 24:00: Instant.parse's answers, not a refusal.
        for (String text : new String[] {"2026-03-09T14:00:00Z", "2026-03-09T14:00:00.123456Z", "2026-03-09T14:00:00.1Z",
            "2026-06-30T23:59:60.000Z", "2026-03-09T24:00:00.000Z"}) {
            assertEquals(Instant.parse(text).toEpochMilli(), RecordJson.parseTime(text), text);
        }
    }

    @Test
    void badTimesAreRefusedAsInstantParseRefusesThem() {
        for (String text : new String[] {"2026-02-29T00:00:00.000Z", "2026-04-31T00:00:00.000Z", "2026-13-01T00:00:00.000Z",
            "2026-00-10T00:00:00.000Z", "2026-03-09T14:60:00.000Z", "2026-03-09T14:00:00.00xZ",
            "2026-03-09 14:00:00.000Z", "2026-03-09T14:00:00.000+", "+026-03-09T14:00:00.000Z", "", "yesterday"}) {
            assertThrows(DateTimeParseException.class, () -> Instant.parse(text), text);
            assertThrows(DateTimeParseException.class, () -> RecordJson.parseTime(text), text);
        }
    }
}
