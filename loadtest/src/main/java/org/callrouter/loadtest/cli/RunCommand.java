package org.callrouter.loadtest.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.callrouter.loadtest.LoadRun;
import org.callrouter.loadtest.RunSettings;
import org.callrouter.loadtest.carrier.CarrierSettings;
import org.callrouter.loadtest.handler.HandlerBehaviour;
import org.callrouter.loadtest.plan.Durations;
import org.callrouter.loadtest.plan.RatePlan;
import org.callrouter.loadtest.plan.Scenario;
import org.callrouter.loadtest.report.ResultTable;
import org.callrouter.loadtest.report.RunSummary;
import org.callrouter.loadtest.report.SummaryFiles;
import org.callrouter.loadtest.time.SipTimers;
import org.callrouter.term.ProgressLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code loadgen run}: one load run, carrier and handlers in one process (or either alone), with a
 * rate, a ramp or a named scenario; prints progress and a table, writes the JSON/CSV summaries.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Place SIP calls at a rate or ramp and/or answer them on handler ports; measure.")
public final class RunCommand implements Callable<Integer> {

    private static final long NS_PER_S = 1_000_000_000L;

    @Spec
    CommandSpec spec;

    @Option(names = "--scenario", paramLabel = "NAME",
            description = "Preset: max-rate, steady-1000, concurrent-100k, overload, failover (see 'loadgen scenarios')."
                    + " Options given here override it.")
    String scenario;

    @Option(names = "--target", paramLabel = "HOST:PORT", converter = HostPort.Converter.class,
            defaultValue = "127.0.0.1:5060", description = "Where INVITEs go (default ${DEFAULT-VALUE}).")
    InetSocketAddress target;

    @Option(names = "--number", defaultValue = "18005550100",
            description = "Dialed number, Request-URI user (default ${DEFAULT-VALUE}).")
    String number;

    @Option(names = "--rate", paramLabel = "CPS", description = "Calls per second, constant.")
    Long rate;

    @Option(names = "--ramp", paramLabel = "CPS", split = ",", description = "Rates, one step each (with --step).")
    List<Long> ramp;

    @Option(names = "--step", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Length of each --ramp step, e.g. 10s.")
    Long stepNs;

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long --rate offers calls; with --handler-only, how long handlers run (default: until"
                    + " interrupted).")
    Long durationNs;

    @Option(names = "--warmup", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "5s",
            description = "Calls placed first and reported apart, outside the totals, while the JITs of the generator"
                    + " and the router compile; hold 0 (default ${DEFAULT-VALUE}; 0: none).")
    long warmupNs;

    @Option(names = "--warmup-rate", paramLabel = "CPS",
            description = "Rate of the warm-up (default: the first rate, at most 500).")
    Long warmupRate;

    @Option(names = "--calls", paramLabel = "N", description = "Stop after placing N calls (warm-up excluded).")
    Long calls;

    @Option(names = "--max-concurrent", paramLabel = "N",
            description = "Calls due while N are active are not placed (counted as limited).")
    Integer maxConcurrent;

    @Option(names = "--hold", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "From ACK to BYE (default 0).")
    Long holdNs;

    @Option(names = "--answer-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "60s", description = "Give up waiting for a final answer, CANCEL (default ${DEFAULT-VALUE}).")
    long answerTimeoutNs;

    @Option(names = "--cancel-after", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "CANCEL calls not answered this long after the INVITE.")
    Long cancelAfterNs;

    @Option(names = "--cancel-share", paramLabel = "SHARE", defaultValue = "1",
            description = "Share of calls --cancel-after applies to (default ${DEFAULT-VALUE}).")
    double cancelShare;

    @Option(names = "--clean-rate", paramLabel = "CPS",
            description = "The measured max clean rate; the overload scenario offers twice it.")
    Long cleanRate;

    @Option(names = "--stop-on-dirty", negatable = true,
            description = "Stop offering at the next step once a call failed or was shed, or two steps after one"
                    + " that was not clean.")
    Boolean stopOnDirty;

    @Option(names = "--bind", paramLabel = "HOST:PORT", converter = HostPort.Converter.class,
            defaultValue = "127.0.0.1:0", description = "Carrier socket (default ${DEFAULT-VALUE}: any free port).")
    InetSocketAddress bind;

    @Option(names = "--caller-prefix", defaultValue = "+1415",
            description = "Caller numbers are this prefix + 7 digits (default ${DEFAULT-VALUE}).")
    String callerPrefix;

    @Option(names = "--handlers", paramLabel = "PORT", split = ",", defaultValue = "5080,5081",
            description = "Handler UDP ports (default ${DEFAULT-VALUE}).")
    List<Integer> handlerPorts;

    @Option(names = "--handler-host", defaultValue = "127.0.0.1",
            description = "Address the handlers listen on (default ${DEFAULT-VALUE}).")
    String handlerHost;

    @Option(names = "--answer-delay", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "0", description = "Handlers answer this long after the INVITE (default 0).")
    long answerDelayNs;

    @Option(names = "--ring", description = "Handlers send 180 Ringing first.")
    boolean ring;

    @Option(names = "--no-answer", paramLabel = "SHARE", defaultValue = "0",
            description = "Share of calls handlers never answer (ring until CANCEL).")
    double noAnswer;

    @Option(names = "--busy", paramLabel = "SHARE", defaultValue = "0", description = "Share answered 486 Busy Here.")
    double busy;

    @Option(names = "--busy-status", paramLabel = "CODE", defaultValue = "486",
            description = "Status of the --busy refusals (default ${DEFAULT-VALUE}; e.g. 480, 503, 603).")
    int busyStatus;

    @Option(names = "--handler-behaviour", paramLabel = "PORT:K=V,...",
            description = "Per port: answer-delay=DURATION, ring=true|false, no-answer=SHARE, busy=SHARE,"
                    + " busy-status=CODE; e.g. 5080:no-answer=0.5,ring=true. Repeatable.")
    List<String> behaviours = new ArrayList<>();

    @Option(names = "--carrier-only", description = "No handler side (e.g. SIPp handlers).")
    boolean carrierOnly;

    @Option(names = "--handler-only", description = "No carrier side (e.g. a SIPp carrier).")
    boolean handlerOnly;

    @Option(names = "--t1", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "500ms",
            description = "SIP T1 (default ${DEFAULT-VALUE}).")
    long t1Ns;

    @Option(names = "--t2", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "4s",
            description = "SIP T2 (default ${DEFAULT-VALUE}).")
    long t2Ns;

    @Option(names = "--linger", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "5s",
            description = "Keep ended calls this long to absorb retransmissions (default ${DEFAULT-VALUE}).")
    long lingerNs;

    @Option(names = "--drain", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "After offering stops, wait this long for calls to end (default: answer timeout + hold +"
                    + " 2 x 64 x T1).")
    Long drainNs;

    @Option(names = "--seed", description = "Seed of the handler draws and planned cancels (default: random, printed).")
    Long seed;

    @Option(names = "--summary", paramLabel = "FILE.json", description = "Write the JSON summary here.")
    Path summary;

    @Option(names = "--csv", paramLabel = "FILE.csv", description = "Write the per-step CSV here.")
    Path csv;

    @Option(names = "--nio", description = "Use NIO even where native epoll is available.")
    boolean nio;

    @Option(names = {"-q", "--quiet"},
            description = "No progress line (drawn on stderr once a second, only when on a terminal).")
    boolean quiet;

    @Override
    public Integer call() {
        RunSettings settings;
        try {
            settings = settings();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        PrintStream out = System.out;
        describe(settings, out);
        LoadRun run = new LoadRun(settings, System.err, System.err, spec.commandLine().getParseResult().originalArgs());
        CountDownLatch reported = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            run.interrupt();
            try {
                reported.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "loadgen-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            RunSummary result = run.run();
            ResultTable.print(result, out);
            write(result);
            return 0;
        } catch (IllegalStateException e) {
            System.err.println("loadgen: " + e.getMessage());
            return 1;
        } finally {
            reported.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it waits for the latch released above
            }
        }
    }

    private void write(RunSummary result) {
        try {
            if (summary != null) {
                SummaryFiles.writeJson(result, summary);
                System.out.println("summary: " + summary);
            }
            if (csv != null) {
                SummaryFiles.writeCsv(result, csv);
                System.out.println("csv: " + csv);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the summary: " + e.getMessage(), e);
        }
    }

    private static void describe(RunSettings s, PrintStream out) {
        StringBuilder sb = new StringBuilder("loadgen ").append(s.mode());
        if (s.scenario() != null) {
            sb.append(", scenario ").append(s.scenario());
        }
        CarrierSettings c = s.carrier();
        if (c != null) {
            sb.append("\n  carrier: calls to ").append(c.number()).append(" at ").append(c.target().getAddress()
                    .getHostAddress()).append(':').append(c.target().getPort()).append(", ").append(c.plan());
            if (c.maxCalls() != Long.MAX_VALUE) {
                sb.append(", at most ").append(c.maxCalls()).append(" calls");
            }
            sb.append(", hold ").append(Durations.format(c.holdNs()));
            if (c.maxConcurrent() != Integer.MAX_VALUE) {
                sb.append(", at most ").append(c.maxConcurrent()).append(" active");
            }
            if (c.cancelAfterNs() >= 0) {
                sb.append(", CANCEL after ").append(Durations.format(c.cancelAfterNs())).append(" (share ")
                        .append(c.cancelShare()).append(')');
            }
        }
        for (HandlerBehaviour h : s.handlers()) {
            sb.append("\n  handler ").append(s.handlerHost().getHostAddress()).append(':').append(h);
        }
        sb.append("\n  seed ").append(s.seed());
        out.println(sb);
    }

    /**
     * The settings these options describe, the scenario's presets filling what was not given.
     *
     * @throws IllegalArgumentException naming the option that is wrong or missing
     */
    public RunSettings settings() {
        if (carrierOnly && handlerOnly) {
            throw new IllegalArgumentException("--carrier-only and --handler-only exclude each other");
        }
        Scenario sc = scenario == null ? null : Scenario.of(scenario);
        SipTimers timers = new SipTimers(t1Ns, t2Ns, lingerNs);
        List<HandlerBehaviour> handlers = carrierOnly ? List.of() : handlers(sc);
        InetAddress host;
        try {
            host = InetAddress.getByName(handlerHost);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--handler-host '" + handlerHost + "' does not resolve", e);
        }
        long s = seed != null ? seed : ThreadLocalRandom.current().nextLong() >>> 1;
        if (handlerOnly) {
            if (rate != null || ramp != null || calls != null || sc != null) {
                throw new IllegalArgumentException("--handler-only places no calls: drop --rate, --ramp, --calls and"
                        + " --scenario");
            }
            return new RunSettings(null, null, host, handlers, timers, s, 0, durationNs == null ? 0 : durationNs,
                    !nio, progress());
        }
        CarrierSettings carrier = carrier(sc);
        long drain = drainNs != null ? drainNs
                : carrier.answerTimeoutNs() + carrier.holdNs() + 2 * timers.transactionTimeoutNs();
        return new RunSettings(sc == null ? null : sc.id(), carrier, host, handlers, timers, s, drain, 0, !nio,
                progress());
    }

    /** The rule of every long command: progress only on a terminal, and not with --quiet. */
    private boolean progress() {
        return !quiet && ProgressLine.terminal();
    }

    private List<HandlerBehaviour> handlers(Scenario sc) {
        Map<Integer, HandlerBehaviour> byPort = new LinkedHashMap<>();
        for (int port : handlerPorts) {
            HandlerBehaviour b = new HandlerBehaviour(port, answerDelayNs, ring, noAnswer, busy, busyStatus);
            if (byPort.isEmpty() && sc != null && sc.firstHandlerBehaviour() != null) {
                b = b.with(sc.firstHandlerBehaviour());
            }
            if (byPort.put(port, b) != null) {
                throw new IllegalArgumentException("--handlers lists port " + port + " twice");
            }
        }
        for (String spec : behaviours) {
            int colon = spec.indexOf(':');
            int port;
            try {
                port = Integer.parseInt(colon < 0 ? spec : spec.substring(0, colon));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--handler-behaviour '" + spec + "' must start with PORT:", e);
            }
            HandlerBehaviour b = byPort.get(port);
            if (b == null) {
                throw new IllegalArgumentException("--handler-behaviour '" + spec + "' names port " + port
                        + ", which is not in --handlers " + handlerPorts);
            }
            byPort.put(port, b.with(colon < 0 ? "" : spec.substring(colon + 1)));
        }
        return new ArrayList<>(byPort.values());
    }

    private CarrierSettings carrier(Scenario sc) {
        if (rate != null && ramp != null) {
            throw new IllegalArgumentException("give --rate or --ramp, not both");
        }
        // a rate or ramp of one's own replaces the scenario's rate and ramp; its step, duration
        // and call count still apply where they fit the plan (a step to a ramp, the others to a rate)
        boolean ownRates = rate != null || ramp != null;
        Long r = rate;
        List<Long> rates = ramp;
        Long step = stepNs;
        Long duration = durationNs;
        Long maxCalls = calls;
        if (sc != null) {
            if (!ownRates) {
                r = sc.rate();
                rates = sc.ramp();
                if (sc.cleanRateFactor() > 0) {
                    if (cleanRate == null) {
                        throw new IllegalArgumentException("scenario " + sc.id() + " needs --clean-rate CPS (the max"
                                + " clean rate the max-rate scenario measured), or a --rate of your own");
                    }
                    r = Math.round(sc.cleanRateFactor() * cleanRate);
                }
            }
            if (rates != null) {
                step = step != null ? step : sc.step() == null ? null : Durations.parseNs(sc.step());
            } else {
                duration = duration != null ? duration : sc.duration() == null ? null : Durations.parseNs(sc.duration());
                maxCalls = maxCalls != null ? maxCalls : sc.calls();
            }
        }
        RatePlan plan = plan(r, rates, step, duration, maxCalls);
        if (warmupNs > 0) {
            long wr = warmupRate != null ? warmupRate : Math.min(plan.cps(0), 500);
            if (wr < 1) {
                throw new IllegalArgumentException("--warmup-rate=" + wr + " must be at least 1");
            }
            long warmupCalls = RatePlan.constant(wr, warmupNs).totalCalls();
            plan = plan.withWarmup(wr, warmupNs);
            if (maxCalls != null) {
                maxCalls = Math.addExact(maxCalls, warmupCalls);
            }
        }
        long hold = holdNs != null ? holdNs : sc != null && sc.hold() != null ? Durations.parseNs(sc.hold()) : 0;
        int concurrent = maxConcurrent != null ? maxConcurrent
                : sc != null && sc.maxConcurrent() != null ? sc.maxConcurrent() : Integer.MAX_VALUE;
        boolean dirtyStop = stopOnDirty != null ? stopOnDirty : sc != null && sc.stopOnDirty();
        return new CarrierSettings(target, bind, number, callerPrefix, plan,
                maxCalls == null ? Long.MAX_VALUE : maxCalls, concurrent, hold, answerTimeoutNs,
                cancelAfterNs == null ? -1 : cancelAfterNs, cancelShare, dirtyStop);
    }

    private static RatePlan plan(Long rate, List<Long> rates, Long stepNs, Long durationNs, Long maxCalls) {
        if (rates != null) {
            if (stepNs == null) {
                throw new IllegalArgumentException("--ramp needs --step (how long each rate lasts)");
            }
            if (durationNs != null) {
                throw new IllegalArgumentException("--duration does not apply to --ramp: it lasts steps x --step");
            }
            return RatePlan.ramp(rates, stepNs);
        }
        if (rate == null) {
            throw new IllegalArgumentException("give --rate, --ramp or --scenario (or --handler-only)");
        }
        if (rate < 1) {
            throw new IllegalArgumentException("--rate=" + rate + " must be at least 1");
        }
        if (durationNs == null) {
            if (maxCalls == null) {
                throw new IllegalArgumentException("--rate needs --duration or --calls");
            }
            // long enough to place them all
            durationNs = Math.multiplyExact((maxCalls + rate - 1) / rate, NS_PER_S);
        }
        return RatePlan.constant(rate, durationNs);
    }
}
