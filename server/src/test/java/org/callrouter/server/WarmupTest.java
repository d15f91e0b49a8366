package org.callrouter.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The start-up warm-up runs real calls over loopback through a throwaway router like the real
 * one, into real records (and a lead store), and reports no error.
 */
class WarmupTest {

    @Test
    void syntheticCallsCompleteThroughTwoWorkersIntoRecordsAndTheLeadStore() {
        final List<Throwable> errors = new ArrayList<>();
        final Warmup.Result result = Warmup.run(2, true, errors::add);
        // Thousands on a quiet machine; a loaded one still completes hundreds in the budget.
        assertTrue(result.calls() >= 500, "calls completed: " + result.calls());
        assertTrue(result.fullSpeed() > 0 && result.fullSpeed() <= result.calls(), "full speed " + result.fullSpeed()
                + " of " + result.calls());
        // 2 s of calls, then up to 1 s for those under way to end.
        assertTrue(result.settleMs() <= 4_000, "the settling phase is bounded: " + result.settleMs() + " ms");
        // One line per ended call; a call whose events found the buffer full may still be open.
        assertTrue(result.recorded() > 0 && result.recorded() <= result.calls(), "journal lines "
                + result.recorded() + " for " + result.calls() + " calls");
        assertTrue(result.stored() >= 0, "the lead store was warmed up: " + result.stored());
        assertEquals(0, result.internal(), "internal errors in the warm-up's router");
        assertEquals(List.of(), errors);
    }

    @Test
    void oneWorkerWithoutALeadStore() {
        final List<Throwable> errors = new ArrayList<>();
        final Warmup.Result result = Warmup.run(1, false, errors::add);
        assertTrue(result.calls() >= 500, "calls completed: " + result.calls());
        assertEquals(-1, result.stored());
        assertEquals(0, result.internal(), "internal errors in the warm-up's router");
        assertEquals(List.of(), errors);
    }
}
