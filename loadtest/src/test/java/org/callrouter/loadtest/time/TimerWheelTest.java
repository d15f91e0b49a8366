package org.callrouter.loadtest.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TimerWheelTest {

    private static final long MS = 1_000_000L;
    private static final long START = 1_000_000_000_000L;

    private final TimerWheel wheel = new TimerWheel(START, MS, 16);
    private final List<String> fired = new ArrayList<>();

    private Timeout timeout(String name) {
        return new Timeout(now -> fired.add(name + "@" + (now - START) / MS));
    }

    @Test
    void firesAtTheTickOfTheDeadlineAndNeverBefore() {
        Timeout t = timeout("a");
        wheel.schedule(t, START + 5 * MS + 1);
        assertEquals(0, wheel.poll(START + 5 * MS));
        assertTrue(t.isScheduled());
        assertEquals(1, wheel.poll(START + 6 * MS));
        assertEquals(List.of("a@6"), fired);
        assertFalse(t.isScheduled());
        assertEquals(0, wheel.size());
    }

    @Test
    void firesInDeadlineOrderAcrossTicksWithinOnePoll() {
        wheel.schedule(timeout("late"), START + 9 * MS);
        wheel.schedule(timeout("early"), START + 2 * MS);
        wheel.schedule(timeout("middle"), START + 5 * MS);
        assertEquals(3, wheel.poll(START + 20 * MS));
        assertEquals(List.of("early@20", "middle@20", "late@20"), fired);
    }

    @Test
    void deadlinesBeyondOneRevolutionWaitForTheirRound() {
        // 16 slots of 1 ms: 40 ms is two and a half revolutions away
        wheel.schedule(timeout("far"), START + 40 * MS);
        for (long ms = 1; ms < 40; ms++) {
            assertEquals(0, wheel.poll(START + ms * MS), "fired early at " + ms);
        }
        assertEquals(1, wheel.poll(START + 40 * MS));
    }

    @Test
    void cancelledTimeoutsDoNotFire() {
        Timeout a = timeout("a");
        Timeout b = timeout("b");
        wheel.schedule(a, START + 3 * MS);
        wheel.schedule(b, START + 3 * MS);
        wheel.cancel(a);
        wheel.cancel(a);
        assertEquals(1, wheel.size());
        wheel.poll(START + 3 * MS);
        assertEquals(List.of("b@3"), fired);
    }

    @Test
    void schedulingAgainMovesTheTimeout() {
        Timeout a = timeout("a");
        wheel.schedule(a, START + 3 * MS);
        wheel.schedule(a, START + 7 * MS);
        assertEquals(1, wheel.size());
        assertEquals(0, wheel.poll(START + 6 * MS));
        assertEquals(1, wheel.poll(START + 7 * MS));
    }

    @Test
    void aPastDeadlineFiresAtTheNextTickPolled() {
        wheel.poll(START + 10 * MS);
        wheel.schedule(timeout("past"), START + 2 * MS);
        assertEquals(0, wheel.poll(START + 10 * MS + 1), "tick 10 was polled already");
        assertEquals(1, wheel.poll(START + 11 * MS));
        assertEquals(List.of("past@11"), fired);
    }

    @Test
    void anExpiryMayRescheduleItselfAndCancelItsNeighbour() {
        Timeout[] victim = new Timeout[1];
        int[] runs = new int[1];
        Timeout[] self = new Timeout[1];
        self[0] = new Timeout(now -> {
            runs[0]++;
            wheel.cancel(victim[0]);
            if (runs[0] < 3) {
                wheel.schedule(self[0], now);
            }
        });
        victim[0] = timeout("victim");
        wheel.schedule(victim[0], START + 4 * MS);
        wheel.schedule(self[0], START + 4 * MS);
        wheel.poll(START + 4 * MS);
        assertEquals(1, runs[0], "a timeout rescheduled for now fires at the next tick, not in the same poll");
        wheel.poll(START + 5 * MS);
        wheel.poll(START + 6 * MS);
        assertEquals(3, runs[0]);
        assertEquals(List.of(), fired);
        assertEquals(0, wheel.size());
    }

    @Test
    void manyRandomTimeoutsEachFireOnceNotBeforeTheirDeadline() {
        long seed = System.nanoTime();
        System.out.println("TimerWheelTest seed " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        long[] deadlines = new long[2000];
        long[] firedAt = new long[deadlines.length];
        for (int i = 0; i < deadlines.length; i++) {
            int index = i;
            deadlines[i] = START + random.nextLong(100 * MS);
            wheel.schedule(new Timeout(now -> firedAt[index] = now), deadlines[i]);
        }
        for (long t = START; t <= START + 101 * MS; t += random.nextLong(3 * MS)) {
            wheel.poll(t);
        }
        wheel.poll(START + 101 * MS);
        for (int i = 0; i < deadlines.length; i++) {
            assertTrue(firedAt[i] >= deadlines[i], "seed " + seed + ": timeout " + i + " fired early");
        }
        assertEquals(0, wheel.size());
    }

    @Test
    void rejectsABadShape() {
        assertThrows(IllegalArgumentException.class, () -> new TimerWheel(0, MS, 12));
        assertThrows(IllegalArgumentException.class, () -> new TimerWheel(0, 0, 16));
    }
}
