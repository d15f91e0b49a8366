package org.callrouter.loadtest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.callrouter.loadtest.RunSettings;
import org.callrouter.loadtest.carrier.CarrierSettings;
import org.callrouter.loadtest.handler.HandlerBehaviour;
import org.callrouter.loadtest.plan.RatePlan;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RunCommandTest {

    private static final long S = 1_000_000_000L;

    private static RunSettings settings(String... args) {
        RunCommand cmd = new RunCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd.settings();
    }

    private static String error(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> settings(args)).getMessage();
    }

    @Test
    void aRateForADurationWithTheDefaults() {
        RunSettings s = settings("--rate", "1000", "--duration", "60s", "--seed", "7", "--warmup", "0");
        CarrierSettings c = s.carrier();
        assertEquals("both", s.mode());
        assertEquals(RatePlan.constant(1000, 60 * S).steps(), c.plan().steps());
        assertEquals("127.0.0.1", c.target().getAddress().getHostAddress());
        assertEquals(5060, c.target().getPort());
        assertEquals("18005550100", c.number());
        assertEquals(0, c.holdNs());
        assertEquals(Long.MAX_VALUE, c.maxCalls());
        assertEquals(List.of(HandlerBehaviour.answering(5080), HandlerBehaviour.answering(5081)), s.handlers());
        assertEquals(7, s.seed());
        assertEquals(60 * S + 2 * 32 * S, s.drainNs());
        assertNull(s.scenario());
    }

    @Test
    void theWarmupComesFirstAtTheFirstRateUpTo500() {
        RatePlan plan = settings("--ramp", "200,400", "--step", "10s").carrier().plan();
        assertEquals(3, plan.stepCount());
        assertEquals(new RatePlan.Step(200, 5 * S, true), plan.steps().get(0));
        assertEquals(500, settings("--rate", "3000", "--duration", "1s").carrier().plan().cps(0));
        CarrierSettings c = settings("--rate", "100", "--calls", "250", "--warmup-rate", "10", "--warmup", "2s")
                .carrier();
        assertEquals(new RatePlan.Step(100, 3 * S, false), c.plan().steps().get(1));
        assertEquals(250 + 20, c.maxCalls(), "the call limit does not count the warm-up");
    }

    @Test
    void aScenarioFillsWhatIsNotGiven() {
        RunSettings s = settings("--scenario", "max-rate", "--warmup", "0");
        CarrierSettings c = s.carrier();
        assertEquals("max-rate", s.scenario());
        assertEquals(10, c.plan().stepCount());
        assertEquals(500, c.plan().cps(0));
        assertEquals(10_000, c.plan().cps(9));
        assertEquals(10 * S, c.plan().steps().get(0).durationNs());
        assertTrue(c.stopOnDirty());

        CarrierSettings shorter = settings("--scenario", "max-rate", "--step", "2s", "--no-stop-on-dirty",
                "--warmup", "0").carrier();
        assertEquals(2 * S, shorter.plan().steps().get(0).durationNs());
        assertFalse(shorter.stopOnDirty());

        CarrierSettings own = settings("--scenario", "steady-1000", "--rate", "2000", "--warmup", "0").carrier();
        assertEquals(RatePlan.constant(2000, 60 * S).steps(), own.plan().steps(), "the scenario's duration stays");

        CarrierSettings ramp = settings("--scenario", "steady-1000", "--ramp", "100,200", "--step", "1s",
                "--warmup", "0").carrier();
        assertEquals(RatePlan.ramp(List.of(100L, 200L), S).steps(), ramp.plan().steps(),
                "a duration does not fit a ramp: the scenario's is dropped");
        assertTrue(error("--scenario", "max-rate", "--rate", "3000").contains("--duration or --calls"));
    }

    @Test
    void theLongCallsScenarioHoldsAHundredThousand() {
        CarrierSettings c = settings("--scenario", "concurrent-100k", "--warmup", "0").carrier();
        assertEquals(100_000, c.maxCalls());
        assertEquals(100_000, c.maxConcurrent());
        assertEquals(300 * S, c.holdNs());
        assertEquals(RatePlan.constant(1000, 100 * S).steps(), c.plan().steps());
        CarrierSettings faster = settings("--scenario", "concurrent-100k", "--rate", "2000", "--warmup", "0")
                .carrier();
        assertEquals(RatePlan.constant(2000, 50 * S).steps(), faster.plan().steps());
        assertEquals(100_000, faster.maxCalls());
    }

    @Test
    void overloadOffersTwiceTheCleanRate() {
        assertTrue(error("--scenario", "overload").contains("--clean-rate"));
        CarrierSettings c = settings("--scenario", "overload", "--clean-rate", "3000", "--warmup", "0").carrier();
        assertEquals(RatePlan.constant(6000, 30 * S).steps(), c.plan().steps());
    }

    @Test
    void failoverLeavesHalfTheCallsAtTheFirstHandlerUnanswered() {
        RunSettings s = settings("--scenario", "failover", "--handlers", "47080,47081");
        assertEquals(new HandlerBehaviour(47080, 0, true, 0.5, 0), s.handlers().get(0));
        assertEquals(HandlerBehaviour.answering(47081), s.handlers().get(1));
        RunSettings own = settings("--scenario", "failover", "--handlers", "47080,47081", "--handler-behaviour",
                "47080:no-answer=0.2");
        assertEquals(0.2, own.handlers().get(0).noAnswerShare());
    }

    @Test
    void handlerDefaultsAndPerPortBehaviours() {
        RunSettings s = settings("--rate", "10", "--duration", "1s", "--handlers", "47080,47081", "--answer-delay",
                "100ms", "--ring", "--busy", "0.1", "--handler-behaviour", "47081:busy=0,no-answer=1");
        assertEquals(new HandlerBehaviour(47080, 100_000_000L, true, 0, 0.1), s.handlers().get(0));
        assertEquals(new HandlerBehaviour(47081, 100_000_000L, true, 1, 0), s.handlers().get(1));
    }

    @Test
    void eitherSideAlone() {
        RunSettings carrier = settings("--rate", "10", "--duration", "1s", "--carrier-only");
        assertEquals("carrier-only", carrier.mode());
        assertEquals(List.of(), carrier.handlers());
        RunSettings handlers = settings("--handler-only", "--handlers", "47080", "--duration", "30s");
        assertEquals("handler-only", handlers.mode());
        assertNull(handlers.carrier());
        assertEquals(30 * S, handlers.runNs());
        assertEquals(0, settings("--handler-only").runNs());
    }

    @Test
    void badCombinationsAreRejectedSayingWhatToDo() {
        assertTrue(error().contains("give --rate, --ramp or --scenario"));
        assertTrue(error("--rate", "10").contains("--duration or --calls"));
        assertTrue(error("--rate", "10", "--ramp", "1,2", "--step", "1s").contains("not both"));
        assertTrue(error("--ramp", "1,2").contains("--step"));
        assertTrue(error("--ramp", "1,2", "--step", "1s", "--duration", "5s").contains("steps x --step"));
        assertTrue(error("--rate", "0", "--duration", "1s").contains("at least 1"));
        assertTrue(error("--carrier-only", "--handler-only").contains("exclude each other"));
        assertTrue(error("--handler-only", "--rate", "5").contains("places no calls"));
        assertTrue(error("--scenario", "fast").contains("unknown scenario 'fast'"));
        assertTrue(error("--rate", "1", "--duration", "1s", "--handler-behaviour", "6000:busy=1")
                .contains("not in --handlers"));
        assertTrue(error("--rate", "1", "--duration", "1s", "--handlers", "47080,47080").contains("twice"));
        assertTrue(error("--rate", "1", "--duration", "1s", "--caller-prefix", "abc").contains("caller prefix"));
        assertTrue(error("--rate", "1", "--duration", "1s", "--cancel-share", "2").contains("cancel-share"));
        assertTrue(error("--rate", "1", "--duration", "1s", "--t2", "100ms").contains("t2="));
    }

    @Test
    void badValuesAreRejectedByTheParserWithTheOptionName() {
        CommandLine cl = new CommandLine(new RunCommand());
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        assertEquals(2, cl.execute("--rate", "10", "--duration", "ten seconds"));
        assertTrue(err.toString().contains("--duration"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, cl.execute("--rate", "10", "--duration", "1s", "--target", "127.0.0.1:99999"));
        assertTrue(err.toString().contains("outside 0..65535"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, cl.execute("--rate", "10"));
        assertTrue(err.toString().contains("--duration or --calls"), err.toString());
    }
}
