package org.callrouter.server.timer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class TimerServiceTest {

    private final List<Throwable> errors = new ArrayList<>();
    private final TimerService timers = new TimerService(1_000, 8, 16, errors::add);

    @Test
    void firesAtTheDeadlineNotATickLater() {
        final List<Long> fired = new ArrayList<>();
        timers.schedule((id, now) -> fired.add(now), 1_500);
        timers.poll(1_499);
        assertEquals(List.of(), fired);
        timers.poll(1_500);
        assertEquals(List.of(1_500L), fired);
        assertEquals(0, timers.size());
    }

    @Test
    void deadlinesBeyondOneTurnOfTheWheelWaitTheirTurn() {
        final List<Long> fired = new ArrayList<>();
        timers.schedule((id, now) -> fired.add(now), 1_000 + 8 * 16 * 3 + 5);
        for (long t = 1_000; t < 1_000 + 8 * 16 * 3 + 5; t += 8) {
            timers.poll(t);
        }
        assertEquals(List.of(), fired);
        timers.poll(1_000 + 8 * 16 * 3 + 5);
        assertEquals(1, fired.size());
    }

    @Test
    void cancelledTimersNeverFire() {
        final List<Long> fired = new ArrayList<>();
        final long id = timers.schedule((timerId, now) -> fired.add(now), 1_100);
        assertEquals(TimerService.NO_TIMER, timers.cancel(id));
        timers.cancel(id);
        timers.cancel(TimerService.NO_TIMER);
        timers.poll(2_000);
        assertEquals(List.of(), fired);
    }

    @Test
    void aThrowingTargetDoesNotStopTheOthers() {
        final List<Long> fired = new ArrayList<>();
        timers.schedule((id, now) -> { throw new IllegalStateException("boom"); }, 1_100);
        timers.schedule((id, now) -> fired.add(now), 1_100);
        timers.poll(1_200);
        assertEquals(1, fired.size());
        assertEquals(1, errors.size());
    }

    @Test
    void aTargetKnowsWhichOfItsTimersFired() {
        final List<Long> ids = new ArrayList<>();
        final TimerTarget target = (id, now) -> ids.add(id);
        final long first = timers.schedule(target, 1_100);
        final long second = timers.schedule(target, 1_200);
        // One late poll: both expire, in no guaranteed order (as Agrona's wheel documents).
        timers.poll(1_300);
        assertEquals(java.util.Set.of(first, second), java.util.Set.copyOf(ids));
    }
}
