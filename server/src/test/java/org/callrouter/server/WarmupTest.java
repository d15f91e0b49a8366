package org.callrouter.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.callrouter.routing.pool.SessionListener;
import org.callrouter.server.records.CallEvents;
import org.callrouter.server.transaction.MessageCounters;
import org.callrouter.server.workers.SipLoops;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up warm-up runs real calls over loopback through a throwaway router like the real
 * one, into real records (and a lead store), reports no error, and hands its SIP loops, still
 * running, to the real router, which closes them when it stops.
 */
class WarmupTest {

    @TempDir
    Path dir;

    @Test
    void syntheticCallsCompleteThroughTwoWorkersIntoRecordsAndTheLeadStore() {
        final List<Throwable> errors = new ArrayList<>();
        final Warmup.Result result = Warmup.run(2, true, errors::add);
        try {
            // Thousands on a quiet machine; a loaded one still completes hundreds in the budget.
            assertTrue(result.calls() >= 500, "calls completed: " + result.calls());
            assertTrue(result.fullSpeed() > 0 && result.fullSpeed() <= result.calls(), "full speed "
                    + result.fullSpeed() + " of " + result.calls());
            // 2 s of calls, then up to 1 s for those under way to end.
            assertTrue(result.settleMs() <= 4_000, "the settling phase is bounded: " + result.settleMs() + " ms");
            // One line per ended call; a call whose events found the buffer full may still be open.
            assertTrue(result.recorded() > 0 && result.recorded() <= result.calls(), "journal lines "
                    + result.recorded() + " for " + result.calls() + " calls");
            assertTrue(result.stored() >= 0, "the lead store was warmed up: " + result.stored());
            assertEquals(0, result.internal(), "internal errors in the warm-up's router");
            assertEquals(List.of(), errors);
            assertFalse(result.loops().netty().group().isShuttingDown(), "the SIP loop is left running");
            assertFalse(result.loops().workers().isShuttingDown(), "the worker's loop is left running");
        } finally {
            result.loops().close();
        }
    }

    @Test
    void theRealRouterRunsOnTheWarmUpsLoopsAndClosesThem() throws Exception {
        final List<Throwable> errors = new ArrayList<>();
        final Warmup.Result result = Warmup.run(1, false, errors::add);
        final SipLoops loops = result.loops();
        assertTrue(result.calls() >= 500, "calls completed: " + result.calls());
        assertEquals(-1, result.stored());
        assertEquals(0, result.internal(), "internal errors in the warm-up's router");
        assertEquals(List.of(), errors);

        final RouterServer server = RouterServer.open(TestConfig.oneNumber(dir), Clock.systemUTC(), CallEvents.NONE,
                MessageCounters.NONE, null, SessionListener.NONE,
                CompletableFuture.completedFuture(new RouterServer.WarmUp("warmed", loops)));
        try {
            assertSame(loops.netty().loop(), server.sipLoops().get(0), "the real router's SIP loop is the warm-up's");
        } finally {
            server.close();
        }
        assertTrue(loops.netty().group().isShuttingDown(), "the real router closed the loops it took over");
    }
}
