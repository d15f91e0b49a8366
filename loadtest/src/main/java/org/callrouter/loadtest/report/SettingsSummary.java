package org.callrouter.loadtest.report;

import java.util.ArrayList;
import java.util.List;
import org.callrouter.loadtest.RunSettings;
import org.callrouter.loadtest.carrier.CarrierSettings;
import org.callrouter.loadtest.handler.HandlerBehaviour;
import org.callrouter.loadtest.plan.RatePlan;

/**
 * The settings of a run as the summary files record them (times in milliseconds). Carrier fields
 * are null in a handler-only run.
 */
public record SettingsSummary(String mode, String target, String bind, String number, String callerPrefix,
                              List<PlanStep> plan, Long maxCalls, Integer maxConcurrent, Double holdMs,
                              Double answerTimeoutMs, Double cancelAfterMs, Double cancelShare, Boolean stopOnDirty,
                              String handlerHost, List<HandlerSettings> handlers, double t1Ms, double t2Ms,
                              double lingerMs, double drainMs, long seed) {

    /** One step of the rate plan. */
    public record PlanStep(long cps, double seconds, boolean warmup) {
    }

    /** One handler port's behaviour. */
    public record HandlerSettings(int port, double answerDelayMs, boolean ring, double noAnswer, double busy,
                                  int busyStatus) {
    }

    /** The summary of {@code s}; {@code bound} is the carrier's actual local address, or null. */
    public static SettingsSummary of(RunSettings s, String bound) {
        List<HandlerSettings> handlers = new ArrayList<>();
        for (HandlerBehaviour h : s.handlers()) {
            handlers.add(new HandlerSettings(h.port(), ms(h.answerDelayNs()), h.ring(), h.noAnswerShare(),
                    h.busyShare(), h.busyStatus()));
        }
        CarrierSettings c = s.carrier();
        String handlerHost = s.handlers().isEmpty() ? null : s.handlerHost().getHostAddress();
        double t1 = ms(s.timers().t1Ns());
        double t2 = ms(s.timers().t2Ns());
        double linger = ms(s.timers().lingerNs());
        if (c == null) {
            return new SettingsSummary(s.mode(), null, null, null, null, null, null, null, null, null, null, null,
                    null, handlerHost, handlers, t1, t2, linger, ms(s.drainNs()), s.seed());
        }
        List<PlanStep> plan = new ArrayList<>();
        for (RatePlan.Step step : c.plan().steps()) {
            plan.add(new PlanStep(step.cps(), step.durationNs() / 1e9, step.warmup()));
        }
        return new SettingsSummary(s.mode(), c.target().getAddress().getHostAddress() + ":" + c.target().getPort(),
                bound, c.number(), c.callerPrefix(), plan, c.maxCalls() == Long.MAX_VALUE ? null : c.maxCalls(),
                c.maxConcurrent(), ms(c.holdNs()), ms(c.answerTimeoutNs()),
                c.cancelAfterNs() < 0 ? null : ms(c.cancelAfterNs()), c.cancelShare(), c.stopOnDirty(), handlerHost,
                handlers, t1, t2, linger, ms(s.drainNs()), s.seed());
    }

    private static double ms(long ns) {
        return ns / 1e6;
    }
}
