package org.callrouter.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.callrouter.loadtest.carrier.CarrierSettings;
import org.callrouter.loadtest.handler.HandlerBehaviour;
import org.callrouter.loadtest.plan.RatePlan;
import org.callrouter.loadtest.report.HandlerSummary;
import org.callrouter.loadtest.report.RunSummary;
import org.callrouter.loadtest.report.StepSummary;
import org.callrouter.loadtest.time.SipTimers;
import org.junit.jupiter.api.Test;

/**
 * The carrier side calling the handler side of the same process directly over loopback UDP (no
 * router in between), bounded in calls. Ports 47000-47999 belong to these tests.
 */
class LoadRunLoopbackIntegrationTest {

    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;

    private static RunSummary run(RunSettings settings) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        RunSummary summary = new LoadRun(settings, print, print, List.of("test")).run();
        System.out.print(out.toString(StandardCharsets.UTF_8));
        return summary;
    }

    private static CarrierSettings carrier(int handlerPort, long calls, long holdNs, long answerTimeoutNs) {
        return new CarrierSettings(new InetSocketAddress(InetAddress.getLoopbackAddress(), handlerPort),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), "18005550100", "+1415",
                RatePlan.constant(200, 2 * S), calls, Integer.MAX_VALUE, holdNs, answerTimeoutNs, -1, 1, false);
    }

    @Test
    void everyCallToAnAnsweringHandlerCompletes() {
        int port = 47_180;
        long seed = System.nanoTime();
        System.out.println("LoadRunLoopbackIntegrationTest seed " + seed);
        RunSettings settings = new RunSettings(null, carrier(port, 300, 20 * MS, 5 * S),
                InetAddress.getLoopbackAddress(), List.of(HandlerBehaviour.answering(port)), SipTimers.DEFAULT, seed,
                30 * S, 0, true, false);
        RunSummary s = run(settings);

        StepSummary total = s.total();
        assertEquals(300, total.attempted());
        assertEquals(300, total.answered());
        assertEquals(300, total.completed());
        assertEquals(0, total.failed(), () -> "failures: " + total.failures());
        assertEquals(0, total.shed());
        assertEquals(0, total.uncorrelated(), "each answer was matched to its handler-side INVITE by caller");
        assertEquals(300, total.setupMs().count());
        assertEquals(300, total.routerAddedMs().count());
        assertTrue(total.routerAddedMs().max() <= total.setupMs().max());
        HandlerSummary h = s.handlers().get(0);
        assertEquals(300, h.invites());
        assertEquals(300, h.answered());
        assertEquals(300, h.acks());
        assertEquals(300, h.byes());
        assertEquals(0, h.openCalls());
        assertEquals(Map.of(), h.unexpected());
        assertEquals(Map.of(), s.unexpected());
        assertEquals(Map.of(), s.errors());
        assertTrue(s.maxActiveCalls() >= 1);
    }

    @Test
    void theProgressLineIsRedrawnInPlaceAndEndedWithTheFinalCount() {
        int port = 47_184;
        RunSettings settings = new RunSettings(null, carrier(port, 300, 0, 5 * S), InetAddress.getLoopbackAddress(),
                List.of(HandlerBehaviour.answering(port)), SipTimers.DEFAULT, 1, 30 * S, 0, true, true);
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        PrintStream errors = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        new LoadRun(settings, new PrintStream(progress, true, StandardCharsets.UTF_8), errors, List.of("test")).run();
        String text = progress.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("\r[1s] "), text);
        assertEquals(1, text.split(System.lineSeparator(), -1).length - 1, () -> "one line, ended once: " + text);
        String last = text.substring(text.lastIndexOf('\r') + 1);
        assertTrue(last.startsWith("[") && last.contains("] 300/300 calls (100%) | ") && last.contains("| failed 0"),
                last);
        assertTrue(last.endsWith(System.lineSeparator()), last);
    }

    @Test
    void busyAndUnansweredCallsEndAsTheHandlerDrewThem() {
        int port = 47_181;
        long seed = System.nanoTime();
        System.out.println("LoadRunLoopbackIntegrationTest seed " + seed);
        // unanswered calls ring until the carrier's answer timeout, then CANCEL -> 487
        RunSettings settings = new RunSettings(null, carrier(port, 300, 0, 300 * MS),
                InetAddress.getLoopbackAddress(), List.of(new HandlerBehaviour(port, 10 * MS, true, 0.3, 0.2)),
                SipTimers.DEFAULT, seed, 30 * S, 0, true, false);
        RunSummary s = run(settings);

        StepSummary total = s.total();
        HandlerSummary h = s.handlers().get(0);
        assertEquals(300, total.attempted());
        assertEquals(300, h.invites());
        assertEquals(300, h.answered() + h.busy() + h.noAnswer(), "seed " + seed);
        assertEquals(h.answered(), total.answered());
        assertEquals(h.answered(), total.completed());
        assertEquals(Long.valueOf(h.busy()), total.failures().getOrDefault("status-486", 0L));
        assertEquals(Long.valueOf(h.noAnswer()), total.failures().getOrDefault("timeout-answer", 0L));
        assertEquals(h.noAnswer(), h.canceled());
        assertEquals(h.busy() + h.noAnswer(), total.failed());
        assertEquals(300, total.firstResponseMs().count(), "every call rang first");
        assertEquals(300, h.acks(), "every final answer was ACKed");
        assertEquals(0, h.openCalls());
        assertEquals(Map.of(), s.unexpected());
        assertEquals(Map.of(), s.errors());
    }

    @Test
    void refusalsWith503CountAsShedNotFailed() {
        int port = 47_183;
        RunSettings settings = new RunSettings(null, carrier(port, 100, 0, 5 * S), InetAddress.getLoopbackAddress(),
                List.of(new HandlerBehaviour(port, 0, false, 0, 1, 503)), SipTimers.DEFAULT, 1, 30 * S, 0, true,
                false);
        RunSummary s = run(settings);

        assertEquals(100, s.total().shed());
        assertEquals(0, s.total().failed(), () -> "failures: " + s.total().failures());
        assertEquals(0, s.total().answered());
        assertEquals(100, s.handlers().get(0).busy());
        assertEquals(100, s.handlers().get(0).acks(), "every 503 was ACKed");
        assertEquals(false, s.total().clean());
    }

    @Test
    void plannedCancelsEndWith487AndCountAsCanceled() {
        int port = 47_182;
        CarrierSettings c = new CarrierSettings(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), "18005550100", "+1415",
                RatePlan.constant(200, 2 * S), 100, Integer.MAX_VALUE, 0, 5 * S, 50 * MS, 1, false);
        RunSettings settings = new RunSettings(null, c, InetAddress.getLoopbackAddress(),
                List.of(new HandlerBehaviour(port, 10 * S, true, 0, 0)), SipTimers.DEFAULT, 1, 30 * S, 0, true,
                false);
        RunSummary s = run(settings);

        assertEquals(100, s.total().canceled());
        assertEquals(0, s.total().failed(), () -> "failures: " + s.total().failures());
        assertEquals(0, s.total().answered());
        assertEquals(100, s.handlers().get(0).canceled());
        assertEquals(0, s.handlers().get(0).openCalls());
    }
}
