package org.callrouter.loadtest;

import io.netty.util.concurrent.ScheduledFuture;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.callrouter.loadtest.carrier.CarrierSettings;
import org.callrouter.loadtest.carrier.CarrierSide;
import org.callrouter.loadtest.handler.HandlerBehaviour;
import org.callrouter.loadtest.handler.HandlerPort;
import org.callrouter.loadtest.net.ErrorLog;
import org.callrouter.loadtest.net.LoadgenLoop;
import org.callrouter.loadtest.net.OutboundBatch;
import org.callrouter.loadtest.net.UdpEndpoint;
import org.callrouter.loadtest.report.GeneratorUsage;
import org.callrouter.loadtest.report.HandlerSummary;
import org.callrouter.loadtest.report.ProgressMeter;
import org.callrouter.loadtest.report.RunSummary;
import org.callrouter.loadtest.report.SettingsSummary;
import org.callrouter.loadtest.report.StepSummary;
import org.callrouter.loadtest.stats.Correlation;
import org.callrouter.loadtest.stats.RunStats;
import org.callrouter.loadtest.stats.StepStats;
import org.callrouter.loadtest.time.TimerWheel;
import org.callrouter.term.ProgressLine;

/**
 * One run of the generator: binds the handler ports and the carrier socket on one event loop,
 * ticks every millisecond (place the calls due, fire due timers, flush), draws the progress line
 * every second, and ends when the carrier has stopped offering and every call has ended (or the drain
 * time is over, or a handler-only run's duration, or {@link #interrupt()}). Then it closes the
 * sockets and returns the summary.
 */
public final class LoadRun {

    private static final long TICK_NS = 1_000_000L;
    private static final int WHEEL_SLOTS = 4096;
    /** After an interrupt, calls under way get this long to end. */
    private static final long INTERRUPT_GRACE_NS = 1_000_000_000L;
    /**
     * Once the carrier's calls have all ended, the handlers' calls get this long to end too: a
     * B2BUA may answer the carrier's BYE before the handler's, and the last ACKs are in flight.
     */
    private static final long SETTLE_NS = 2_000_000_000L;

    private final RunSettings settings;
    private final PrintStream out;
    private final PrintStream err;
    private final List<String> command;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private volatile boolean interruptRequested;

    private LoadgenLoop loop;
    private TimerWheel wheel;
    private OutboundBatch batch;
    private ErrorLog errors;
    private RunStats stats;
    private CarrierSide carrier;
    private UdpEndpoint carrierEndpoint;
    private final List<HandlerPort> handlers = new ArrayList<>();
    private final List<UdpEndpoint> endpoints = new ArrayList<>();
    private ProgressMeter progress;
    private ScheduledFuture<?> ticker;
    private ScheduledFuture<?> meter;
    private long startNs;
    private long endNs;
    private long drainDeadlineNs;
    private long settleDeadlineNs;
    private long loopCpuNs = -1;
    private boolean interrupted;

    /**
     * A run of {@code settings}, drawing the progress line on {@code out} (when
     * {@link RunSettings#progress()}) and printing errors to {@code err};
     * {@code command} is recorded in the summary.
     */
    public LoadRun(RunSettings settings, PrintStream out, PrintStream err, List<String> command) {
        this.settings = settings;
        this.out = out;
        this.err = err;
        this.command = List.copyOf(command);
    }

    /**
     * Completes once every socket is bound and the first tick is scheduled (the carrier has sent
     * its first INVITE): from then on the handlers answer. Fails when a socket cannot be bound.
     */
    public CompletableFuture<Void> started() {
        return started;
    }

    /** Asks a running run to stop offering and end soon; safe from any thread (a signal handler). */
    public void interrupt() {
        interruptRequested = true;
    }

    /**
     * Runs to the end and returns the summary.
     *
     * @throws IllegalStateException when a socket cannot be bound (the message names it)
     */
    public RunSummary run() {
        Instant startedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        GeneratorUsage usageAtStart = GeneratorUsage.now(-1);
        loop = LoadgenLoop.start(settings.preferEpoll());
        try {
            try {
                bind();
            } catch (IllegalStateException e) {
                started.completeExceptionally(e);
                throw e;
            }
            loop.loop().execute(this::start);
            awaitEnd();
            for (UdpEndpoint e : endpoints) {
                e.close();
            }
        } finally {
            loop.close();
        }
        return summary(startedAt, GeneratorUsage.now(loopCpuNs).since(usageAtStart));
    }

    private void bind() {
        errors = new ErrorLog(err);
        batch = new OutboundBatch(errors);
        wheel = new TimerWheel(System.nanoTime(), TICK_NS, WHEEL_SLOTS);
        CarrierSettings c = settings.carrier();
        if (c != null) {
            stats = new RunStats(c.plan());
            carrier = new CarrierSide(c, settings.timers(), wheel, stats, errors, settings.seed());
        }
        Correlation correlation = carrier != null ? carrier : Correlation.NONE;
        for (HandlerBehaviour b : settings.handlers()) {
            HandlerPort port = new HandlerPort(b, settings.timers(), wheel, correlation, settings.seed());
            UdpEndpoint e = UdpEndpoint.bind(loop, new InetSocketAddress(settings.handlerHost(), b.port()), batch, port);
            port.attach(e);
            handlers.add(port);
            endpoints.add(e);
        }
        if (carrier != null) {
            carrierEndpoint = UdpEndpoint.bind(loop, c.bind(), batch, carrier);
            carrier.attach(carrierEndpoint);
            endpoints.add(carrierEndpoint);
        }
    }

    private void start() {
        startNs = System.nanoTime();
        progress = new ProgressMeter(new ProgressLine(settings.progress() ? out : null, carrier != null ? "calls"
                : "INVITEs", System::nanoTime), startNs, carrier != null ? settings.carrier().plan() : null,
                carrier != null ? settings.carrier().maxCalls() : Long.MAX_VALUE, carrier, stats, handlers);
        if (carrier != null) {
            carrier.start(startNs);
            batch.flushAll();
        }
        ticker = loop.loop().scheduleAtFixedRate(this::tick, TICK_NS, TICK_NS, TimeUnit.NANOSECONDS);
        if (settings.progress()) {
            meter = loop.loop().scheduleAtFixedRate(() -> progress.print(System.nanoTime()), 1, 1, TimeUnit.SECONDS);
        }
        started.complete(null);
    }

    private void tick() {
        long now = System.nanoTime();
        try {
            if (interruptRequested && !interrupted) {
                interrupted = true;
                if (carrier != null) {
                    carrier.stopOffering(now);
                    drainDeadlineNs = now + Math.min(settings.drainNs(), INTERRUPT_GRACE_NS);
                }
            }
            if (carrier != null) {
                carrier.tick(now);
            }
            wheel.poll(now);
        } catch (RuntimeException e) {
            errors.report("ticking", e);
        }
        batch.flushAll();
        if (ended(now)) {
            endNs = now;
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            loopCpuNs = threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : -1;
            ticker.cancel(false);
            if (meter != null) {
                meter.cancel(false);
                progress.finish(now);
            }
            finished.complete(null);
        }
    }

    private boolean ended(long now) {
        if (carrier == null) {
            return interrupted || settings.runNs() > 0 && now - startNs >= settings.runNs();
        }
        if (carrier.finished()) {
            return handlersSettled(now);
        }
        if (carrier.offering()) {
            return false;
        }
        if (drainDeadlineNs == 0) {
            drainDeadlineNs = now + settings.drainNs();
        }
        if (now >= drainDeadlineNs) {
            carrier.abandon(now);
            return true;
        }
        return false;
    }

    private boolean handlersSettled(long now) {
        for (HandlerPort h : handlers) {
            if (h.openCalls() > 0) {
                if (settleDeadlineNs == 0) {
                    settleDeadlineNs = now + SETTLE_NS;
                }
                return now >= settleDeadlineNs;
            }
        }
        return true;
    }

    private void awaitEnd() {
        try {
            finished.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the run to end", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the run failed", e.getCause());
        }
    }

    private RunSummary summary(Instant startedAt, GeneratorUsage usage) {
        List<HandlerSummary> handlerSummaries = new ArrayList<>();
        for (HandlerPort h : handlers) {
            handlerSummaries.add(HandlerSummary.of(h.behaviour(), h.stats(), h.openCalls()));
        }
        String bound = carrierEndpoint == null ? null
                : carrierEndpoint.localAddress().getAddress().getHostAddress() + ":"
                        + carrierEndpoint.localAddress().getPort();
        SettingsSummary settingsSummary = SettingsSummary.of(settings, bound);
        double wall = Math.round((endNs - startNs) / 1e7) / 100.0;
        String transport = loop.epoll() ? "epoll" : "nio";
        if (carrier == null) {
            return new RunSummary(RunSummary.TOOL, RunSummary.SCHEMA, startedAt.toString(), command,
                    settings.scenario(), transport, settingsSummary, wall, interrupted, null, null, null, null, null,
                    null, null, handlerSummaries, errors.counts(), usage);
        }
        List<StepSummary> steps = new ArrayList<>();
        Long maxClean = null;
        for (StepStats s : stats.steps()) {
            if (s.attemptedCount() == 0 && s.limitedCount() == 0) {
                continue;
            }
            steps.add(StepSummary.of(s));
            if (!s.warmup() && s.clean() && (maxClean == null || s.offeredCps() > maxClean)) {
                maxClean = (long) s.offeredCps();
            }
        }
        return new RunSummary(RunSummary.TOOL, RunSummary.SCHEMA, startedAt.toString(), command, settings.scenario(),
                transport, settingsSummary, wall, interrupted, StepSummary.of(stats.total(settings.carrier().plan())),
                steps, maxClean, carrier.maxActiveCalls(), stats.pacingLag().summary(),
                stats.retransmissions().asMap(), stats.unexpected().asMap(), handlerSummaries, errors.counts(),
                usage);
    }
}
