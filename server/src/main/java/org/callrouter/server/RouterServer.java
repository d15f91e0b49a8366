package org.callrouter.server;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

import io.netty.channel.EventLoop;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import org.callrouter.routing.Router;
import org.callrouter.routing.config.ConfigError;
import org.callrouter.routing.config.ConfigException;
import org.callrouter.routing.config.HandlerConfig;
import org.callrouter.routing.config.RouterConfig;
import org.callrouter.routing.config.ServerSettings;
import org.callrouter.routing.config.TrunkConfig;
import org.callrouter.routing.pool.SessionListener;
import org.callrouter.sip.codec.SipLimits;
import org.callrouter.sip.validate.RequestValidator;
import org.callrouter.server.b2bua.B2bua;
import org.callrouter.server.b2bua.B2buaCallbackDialer;
import org.callrouter.server.callback.CallbackDialer;
import org.callrouter.server.cluster.RedisSharedCallers;
import org.callrouter.server.cluster.RedisSharedCaps;
import org.callrouter.server.cluster.RedisSharedPools;
import org.callrouter.server.b2bua.B2buaSettings;
import org.callrouter.server.b2bua.HandlerProber;
import org.callrouter.server.b2bua.LocalContact;
import org.callrouter.server.b2bua.SipTargets;
import org.callrouter.server.b2bua.Trunks;
import org.callrouter.server.records.CallEvents;
import org.callrouter.server.recovery.CrashRecovery;
import org.callrouter.server.resolve.Resolution;
import org.callrouter.server.resolve.SipResolver;
import org.callrouter.server.stir.StirVerifier;
import org.callrouter.server.timer.TimerService;
import org.callrouter.server.tracking.TrackingServer;
import org.callrouter.server.tracking.TrackingStats;
import org.callrouter.server.transaction.LargeRequests;
import org.callrouter.server.transaction.BranchIds;
import org.callrouter.server.transaction.RefusalAllowance;
import org.callrouter.server.transaction.InboundStats;
import org.callrouter.server.transaction.MessageCounters;
import org.callrouter.server.transaction.SipTimers;
import org.callrouter.server.transaction.TransactionLayer;
import org.callrouter.server.transport.InboundConnections;
import org.callrouter.server.transport.NettySipTransport;
import org.callrouter.server.transport.SipTls;
import org.callrouter.server.transport.SipNetty;
import org.callrouter.server.transport.SipSocket;
import org.callrouter.server.transport.SipSender;
import org.callrouter.server.transport.Backlog;
import org.callrouter.server.transport.Transport;
import org.callrouter.server.workers.LoopSender;
import org.callrouter.server.workers.SipLoops;
import org.callrouter.server.workers.SipWorker;
import org.callrouter.server.workers.SipWorkers;
import org.callrouter.server.workers.WorkerBacklog;
import org.callrouter.server.workers.WorkerCallbackDialer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running router: wires the routing core, the SIP event loop, the transports, the
 * transaction layer and the B2BUA, and takes them down again, draining live calls first.
 */
public final class RouterServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RouterServer.class);
    private static final long TICK_MS = 8;
    /** System property: {@code false} skips the JIT warm-up before the sockets open (tests start many routers). */
    public static final String WARMUP_PROPERTY = "callrouter.warmup";
    private static final String WARMED_UP = "call path warmed up: ";
    /** Start and reload wait for handler names this many query timeouts (NAPTR, SRV, A in a row, and one more). */
    private static final int RESOLVE_WAIT_QUERIES = 4;

    private volatile RouterConfig config;
    private final DistinctErrorHandler errors = new DistinctErrorHandler();
    private final Router router;
    /** The SIP loop and the workers' loops; this router closes them unless it is the warm-up's. */
    private final SipLoops loops;
    /** The SIP loop ({@code loops.netty()}), on which the transport, probes and DNS run. */
    private final SipNetty netty;
    private final NettySipTransport transport;
    private final SipWorkers workers;
    /** The outbound trunks, shared by every worker's B2BUA (their places count all calls). */
    private final Trunks trunks = new Trunks();
    /** The stateless refusals' per-second allowance and To tag, the router's over all workers. */
    private final RefusalAllowance refusals = new RefusalAllowance();
    /** Large requests moved to TCP, and the addresses that refused it, over all workers. */
    private final LargeRequests largeRequests;
    private final CallbackDialer callbackDialer;
    private final HandlerProber prober;
    private final SipResolver resolver;
    private final SipTargets targets;
    private final SipTls tls;
    private final CallerPurge purge;
    /** The live-call store's heartbeat (null without crash recovery). */
    private final ScheduledFuture<?> heartbeat;
    /** Verifies PASSporT signatures (null without {@code server.sip.identity.stir.trust_anchors}). */
    private final StirVerifier stir;
    /** The cluster's caps in Redis (null without {@code cluster:}: caps stay local). */
    private final RedisSharedCaps sharedCaps;
    /** The public tracking listener (null when {@code server.tracking.listen} is not set). */
    private final TrackingServer tracking;
    /** What the tracking listener counted; outlives reloads. */
    private final TrackingStats trackingStats = new TrackingStats();
    /**
     * The warm-up's router: its start and stop are not the operator's to read about, and its
     * loops go on to the real router.
     */
    private final boolean forWarmup;
    private volatile boolean draining;
    private boolean closed;

    private RouterServer(RouterConfig config, Clock wall, CallEvents events, MessageCounters counters,
                         CrashRecovery recovery, SessionListener visits, CompletableFuture<WarmUp> warmup,
                         boolean forWarmup) {
        this.config = config;
        this.forWarmup = forWarmup;
        final ServerSettings settings = config.server();
        final ServerSettings.Sip sip = settings.sip();
        // The admin API's explain asks this router too, from its own threads: each thread draws
        // from its own ThreadLocalRandom, asked for at each draw (a shared instance would leave
        // the seed of a thread that never called current() uninitialised).
        final RandomGenerator perThread = () -> ThreadLocalRandom.current().nextLong();
        final StartPhases phases = forWarmup ? StartPhases.silent() : new StartPhases();
        this.router = Router.open(config, wall, perThread);
        phases.ended("routing stores opened (" + router.numbers().size() + " numbers)");
        // Before the tracking listener starts, so that no visitor session goes untold.
        router.pools().listener(visits);
        // The warm-up has run beside the opening of the stores (and, under RouterService, of the
        // records and webhooks); the sockets open when it is done.
        final WarmUp warm = warmup.join();
        phases.ended("waited for the warm-up (" + warm.summary() + ")");
        boolean started = false;
        RedisSharedCaps shared = null;
        SipResolver dns = null;
        CallerPurge startedPurge = null;
        StirVerifier startedStir = null;
        final int workerCount = sip.workers();
        this.loops = warm.loops() != null ? warm.loops() : SipLoops.start(workerCount);
        this.netty = loops.netty();
        try {
            if (recovery != null) {
                recovery.open(); // after Router.open: this process owns the data directory
            }
            final List<SipSocket> sockets = sip.listen().stream().map(SipSocket::of).toList();
            this.tls = sip.tls() == null ? null : SipTls.load(sip.tls());
            this.transport = new NettySipTransport(netty, sockets,
                    new SipLimits().maxMessageBytes(sip.maxMessageBytes()), errors, tls,
                    new InboundConnections(sip.connections().max(), sip.connections().maxPerAddress()));
            transport.bind();
            phases.ended("SIP sockets bound");
            final Map<Transport, InetSocketAddress> bound = new EnumMap<>(Transport.class);
            for (Transport t : Transport.values()) {
                final InetSocketAddress address = transport.localAddress(t);
                if (address != null) {
                    bound.put(t, address);
                }
            }
            final LocalContact local = new LocalContact(sip.advertisedHost(), bound);
            dns = SipResolver.open(netty.loop(), netty.datagramChannel(), settings.dns(), bound.keySet(),
                    RouterServer::monoMs);
            this.resolver = dns;
            this.targets = new SipTargets(resolver, RouterServer::monoMs);
            final List<HandlerProber.Target> probeTargets = resolveHandlers(config, targets);
            startedStir = StirVerifier.start(sip.identity().stir(), wall, netty.loop(), errors);
            this.stir = startedStir;
            trunks.configure(config.trunks()); // before a loop takes its first event
            this.largeRequests = new LargeRequests(local.sentBy(Transport.TCP));
            final List<SipWorker> made = new ArrayList<>(workerCount);
            for (int id = 0; id < workerCount; id++) {
                final EventLoop loop = id == 0 ? netty.loop() : loops.workers().next();
                final SipSender sender = id == 0 ? transport
                        : new LoopSender(transport, netty.loop(), (SingleThreadEventLoop) loop);
                made.add(newWorker(id, loop, sender, wall, events, counters, local));
            }
            this.workers = new SipWorkers(made);
            if (workerCount > 1) {
                for (SipWorker worker : made) {
                    worker.b2bua().load(workers);
                    worker.loop().submit(() -> BranchIds.markWorker(worker.id())).syncUninterruptibly();
                }
            }
            if (config.cluster() != null) {
                shared = RedisSharedCaps.start(config.cluster());
                // A call waiting for the shared store goes on on the loop of the worker that owns it.
                made.forEach(worker -> worker.b2bua().sipLoop(worker.loop()));
                router.shareCaps(shared);
                router.sharePools(new RedisSharedPools(shared));
                router.shareCallers(new RedisSharedCallers(shared));
            }
            this.sharedCaps = shared;
            final SipWorker first = workers.get(0);
            this.callbackDialer = workerCount == 1 ? new B2buaCallbackDialer(first.b2bua(), first.loop())
                    : new WorkerCallbackDialer(workers);
            // Probes and crash recovery run on worker 0: the answers to what they send come back
            // to it by the worker mark in their branches.
            this.prober = settings.health().enabled()
                    ? new HandlerProber(first.transactions(), first.timers(), RouterServer::monoMs, wall, router.health(),
                    local, targets, settings.health().probeIntervalSeconds() * 1000L, probeTargets)
                    : null;
            this.heartbeat = recovery == null ? null : startRecovery(recovery, wall, events, local);
            // One worker takes the transport's messages directly, as the router always did.
            transport.sink(workerCount == 1 ? first.inbound() : workers);
            made.forEach(SipWorker::start);
            if (prober != null) {
                netty.loop().execute(prober::start);
            }
            startedPurge = CallerPurge.start(router, wall, errors);
            this.purge = startedPurge;
            this.tracking = settings.tracking().enabled()
                    ? TrackingServer.start(config, router.pools(), router.sharedPools(), trackingStats, wall, errors)
                    : null;
            phases.ended("handlers resolved, SIP loop, probes and tracking listener started");
            started = true;
        } finally {
            if (!started) {
                if (shared != null) {
                    shared.close();
                }
                if (startedStir != null) {
                    startedStir.close();
                }
                if (startedPurge != null) {
                    startedPurge.close();
                }
                if (dns != null) {
                    dns.close();
                }
                if (!forWarmup) {
                    loops.close();
                }
                router.close();
            }
        }
    }

    /**
     * Starts reading from the SIP sockets, bound since the start: from here on calls come in.
     * Until then the kernel queues what arrives, so that a router whose start goes on after the
     * SIP side (records shipper, stores, admin API) does not take calls while that work holds
     * the cores.
     */
    public void serve() {
        transport.serve();
        if (!forWarmup) {
            final ServerSettings settings = config.server();
            final int workerCount = settings.sip().workers();
            LOG.info("router listening on {} ({}, {} SIP worker{}), {} campaigns, {} handlers, {} numbers, data in {}; "
                    + "{} ms after the process started", transport.bound(), netty.epoll() ? "epoll" : "nio", workerCount,
                    workerCount == 1 ? "" : "s", config.campaigns().size(), config.handlers().size(),
                    router.numbers().size(), settings.dataDir().toAbsolutePath(), StartPhases.sinceProcessStartMs());
        }
    }

    /**
     * Crash recovery (server README, "Crash recovery"): answered calls go to the live-call store
     * from the first call on; on the SIP loop, the calls the last process left are recorded and
     * hung up; a heartbeat every second is their last evidence of life should this process die.
     */
    private ScheduledFuture<?> startRecovery(CrashRecovery recovery, Clock wall, CallEvents events, LocalContact local) {
        for (SipWorker worker : workers.all()) {
            worker.b2bua().liveCalls(recovery.store());
        }
        netty.loop().execute(() -> recovery.run(events, router.conversions(), workers.get(0).transactions(), local,
                netty.loop()));
        return netty.loop().scheduleAtFixedRate(() -> recovery.store().heartbeat(wall.millis()), 0, 1, TimeUnit.SECONDS);
    }

    /**
     * SIP worker {@code id} on {@code loop}: its own timer wheel, transaction layer and B2BUA;
     * the routing core, the stores, the record ring buffer, the counters and the trunks are
     * shared (each safe with several producers).
     */
    private SipWorker newWorker(int id, EventLoop loop, SipSender sender, Clock wall, CallEvents events,
                                MessageCounters counters, LocalContact local) {
        final ServerSettings.Sip sip = config.server().sip();
        final TimerService timers = new TimerService(monoMs(), TICK_MS, 1024, errors);
        final TransactionLayer layer = new TransactionLayer(sender, timers,
                new SipTimers(sip.t1Ms(), sip.t2Ms(), sip.t4Ms()), RouterServer::monoMs, counters,
                largeRequests, refusals);
        // With one worker the transport's guard is the whole story, as it always was.
        final Backlog backlog = sip.workers() == 1 ? transport
                : new WorkerBacklog(transport, (SingleThreadEventExecutor) loop, id);
        final B2bua b2bua = new B2bua(layer, timers, RouterServer::monoMs, wall, router, events, local, targets,
                RequestValidator.defaults(), B2buaSettings.of(sip), errors, backlog, trunks);
        if (stir != null) {
            b2bua.stirVerifier(id == 0 ? stir : stir.deliveringTo(loop));
        }
        return new SipWorker(id, loop, timers, layer, b2bua, errors, RouterServer::monoMs, TICK_MS);
    }

    /**
     * Starts compiling the call path ({@link Warmup}) on a thread of its own, so that it runs while
     * the rest of the router opens; the router's sockets open when it is done. Only an
     * optimisation: when it fails (no temporary directory, no loopback port) the router starts
     * cold, with a warning. Off (at once complete) when the system property
     * {@value #WARMUP_PROPERTY} is {@code false}.
     *
     * @return what was run, for the start's phase line
     */
    public static CompletableFuture<WarmUp> warmUp(RouterConfig config) {
        if (!Boolean.parseBoolean(System.getProperty(WARMUP_PROPERTY, "true"))) {
            return CompletableFuture.completedFuture(new WarmUp("warm-up off (" + WARMUP_PROPERTY + "=false)", null));
        }
        final CompletableFuture<WarmUp> done = new CompletableFuture<>();
        final int workers = config.server().sip().workers();
        final boolean leadStore = config.server().store().enabled();
        final Thread thread = new Thread(() -> done.complete(warmUp(workers, leadStore)), "warm-up");
        thread.setDaemon(true);
        thread.start();
        return done;
    }

    /**
     * What a warm-up left: a line for the start's log and, when it ran, the SIP loops its router
     * ran on, for the real router to take over (null: it was off or failed, and the router starts
     * its own).
     */
    public record WarmUp(String summary, SipLoops loops) {

        /** Whether the warm-up ran. */
        public boolean ran() {
            return loops != null;
        }
    }

    private static WarmUp warmUp(int workers, boolean leadStore) {
        final long startNs = System.nanoTime();
        try {
            // Its own error handler: what the synthetic calls run into is not the router's error count.
            final DistinctErrorHandler errors = new DistinctErrorHandler();
            final Warmup.Result warmup = Warmup.run(workers, leadStore, errors);
            return new WarmUp(WARMED_UP + warmup.calls() + " synthetic calls over loopback (" + warmup.fullSpeed()
                    + " at full speed, the rest in " + warmup.settleMs() + " ms while the JIT "
                    + (warmup.settled() ? "finished" : "was still compiling") + "; " + warmup.recorded()
                    + " journal lines" + (warmup.stored() < 0 ? "" : ", " + warmup.stored() + " calls stored")
                    + "), " + (System.nanoTime() - startNs) / 1_000_000 + " ms on the warm-up thread", warmup.loops());
        } catch (RuntimeException e) {
            LOG.warn("warm-up skipped, the first calls will be slower: {}", e.toString());
            return new WarmUp("warm-up failed", null);
        }
    }

    /**
     * Starts a router on {@code config}: opens the stores, binds the sockets and starts probing.
     *
     * @throws IllegalStateException when a socket cannot be bound or a handler URI does not resolve.
     * @throws IllegalArgumentException when the TLS certificate, key or CA file cannot be used.
     */
    public static RouterServer start(RouterConfig config, Clock wall, CallEvents events, MessageCounters counters) {
        return serving(new RouterServer(config, wall, events, counters, null, SessionListener.NONE, warmUp(config),
                false));
    }

    /**
     * As {@link #start(RouterConfig, Clock, CallEvents, MessageCounters)}, keeping answered
     * calls for crash recovery and recovering those {@code recovery} found.
     */
    public static RouterServer start(RouterConfig config, Clock wall, CallEvents events, MessageCounters counters,
                                     CrashRecovery recovery) {
        return serving(new RouterServer(config, wall, events, counters, recovery, SessionListener.NONE, warmUp(config),
                false));
    }

    /**
     * As {@link #start(RouterConfig, Clock, CallEvents, MessageCounters, CrashRecovery)}, telling
     * {@code visits} of every visitor session the number pools create and forget (the visits journal),
     * and binding the sockets when {@code warmup} (started with {@link #warmUp(RouterConfig)}) is done;
     * it reads from them once the caller has opened the rest and calls {@link #serve}.
     */
    public static RouterServer open(RouterConfig config, Clock wall, CallEvents events, MessageCounters counters,
                                    CrashRecovery recovery, SessionListener visits, CompletableFuture<WarmUp> warmup) {
        return new RouterServer(config, wall, events, counters, recovery, visits, warmup, false);
    }

    /**
     * The warm-up's router ({@link Warmup}): as {@link #start(RouterConfig, Clock, CallEvents,
     * MessageCounters, CrashRecovery)} on {@code loops}, which it leaves open when it closes,
     * without a warm-up of its own and without logging its start and stop.
     */
    static RouterServer startForWarmup(RouterConfig config, Clock wall, CallEvents events, MessageCounters counters,
                                       CrashRecovery recovery, SipLoops loops) {
        return serving(new RouterServer(config, wall, events, counters, recovery, SessionListener.NONE,
                CompletableFuture.completedFuture(new WarmUp("none", loops)), true));
    }

    private static RouterServer serving(RouterServer server) {
        server.serve();
        return server;
    }

    /** The sockets bound, with real ports. */
    public List<SipSocket> sockets() {
        return transport.bound();
    }

    /** The SIP workers: each one's calls and transactions, and their sums (metrics, admin, tests). */
    public SipWorkers workers() {
        return workers;
    }

    /** Large requests moved to TCP (RFC 3261 18.1.1), over all workers. */
    public LargeRequests largeRequests() {
        return largeRequests;
    }

    /** The outbound trunks of lost-call callbacks, shared by every worker. */
    public Trunks trunks() {
        return trunks;
    }

    /** Places lost-call callbacks through the configured trunks (from any thread). */
    public CallbackDialer callbackDialer() {
        return callbackDialer;
    }

    public Router router() {
        return router;
    }

    public DistinctErrorHandler errors() {
        return errors;
    }

    /** The cluster's caps in Redis, or null without {@code cluster:}. */
    public RedisSharedCaps sharedCaps() {
        return sharedCaps;
    }

    public RouterConfig config() {
        return config;
    }

    /** The SIP sockets and connections (for their metrics). */
    public NettySipTransport transport() {
        return transport;
    }

    /**
     * Why calls skip a handler URI now, as the call record says it ({@code dns: <name>: NXDOMAIN}),
     * or null when it resolves. Safe from any thread; never waits on DNS.
     */
    public String unreachable(String handlerUri) {
        final Resolution r = targets.lookup(handlerUri);
        return r.resolved() ? null : "dns: " + r.reason();
    }

    /** Counters of malformed input the transports delivered, summed over workers. */
    public InboundStats inboundStats() {
        return workers.inboundStats();
    }

    /** The SIP event loops, the transport's (worker 0's) first, one per worker (for their metrics). */
    public List<EventExecutor> sipLoops() {
        final List<EventExecutor> loops = new ArrayList<>(workers.count());
        for (SipWorker worker : workers.all()) {
            loops.add(worker.loop());
        }
        return loops;
    }

    /** The public tracking listener, or null when {@code server.tracking.listen} is not set. */
    public TrackingServer tracking() {
        return tracking;
    }

    /** What the tracking listener counted since start (kept across reloads). */
    public TrackingStats trackingStats() {
        return trackingStats;
    }

    /** The caller index's periodic purge (for its metrics). */
    public CallerPurge callerPurge() {
        return purge;
    }

    /** Whether new calls are refused (a drain has begun). */
    public boolean draining() {
        return draining;
    }

    /**
     * Applies a new configuration without dropping live calls: resolves the handler URIs (DNS,
     * here, not on the SIP loop), swaps the routing snapshot ({@link Router#reload}), then on
     * the SIP loop the B2BUA settings, the probe targets and the bounds on inbound connections;
     * the TLS certificate, key and CA files are read again, for new connections; the tracking
     * listener's bounds, rates and origins. Nothing changes
     * when any step before the swap fails. Settings bound at start ({@code server.sip.listen},
     * {@code advertised_host}, {@code t1_ms}/{@code t2_ms}/{@code t4_ms},
     * {@code max_message_bytes}, {@code workers}, {@code health.enabled}, {@code health.probe_interval_seconds},
     * {@code dns}, {@code tracking.listen}, and the routing core's {@code data_dir} and
     * {@code stores}) cannot change: such a file is
     * refused, naming them.
     *
     * @throws ConfigException with every reason the new configuration was refused.
     */
    public synchronized void reload(RouterConfig next) throws ConfigException {
        final List<ConfigError> problems = new ArrayList<>();
        final ServerSettings.Sip was = config.server().sip();
        final ServerSettings.Sip now = next.server().sip();
        restartOnly(problems, next, "server.sip.listen", was.listen(), now.listen());
        restartOnly(problems, next, "server.sip.advertised_host", was.advertisedHost(), now.advertisedHost());
        restartOnly(problems, next, "server.sip.t1_ms", was.t1Ms(), now.t1Ms());
        restartOnly(problems, next, "server.sip.t2_ms", was.t2Ms(), now.t2Ms());
        restartOnly(problems, next, "server.sip.t4_ms", was.t4Ms(), now.t4Ms());
        restartOnly(problems, next, "server.sip.max_message_bytes", was.maxMessageBytes(), now.maxMessageBytes());
        restartOnly(problems, next, "server.sip.workers", was.workers(), now.workers());
        restartOnly(problems, next, "server.health.enabled", config.server().health().enabled(),
                next.server().health().enabled());
        restartOnly(problems, next, "server.health.probe_interval_seconds",
                config.server().health().probeIntervalSeconds(), next.server().health().probeIntervalSeconds());
        restartOnly(problems, next, "server.dns", config.server().dns(), next.server().dns());
        restartOnly(problems, next, "server.sip.identity.stir", was.identity().stir(), now.identity().stir());
        restartOnly(problems, next, "server.tracking.listen", config.server().tracking().listen(),
                next.server().tracking().listen());
        List<HandlerProber.Target> probeTargets = List.of();
        try {
            probeTargets = resolveHandlers(next, targets);
        } catch (IllegalArgumentException e) {
            problems.add(next.errorAt("handlers", e.getMessage()));
        }
        Runnable useNewTls = () -> { };
        if (tls != null && now.tls() != null) {
            try {
                useNewTls = tls.prepareReload(now.tls());
            } catch (IllegalArgumentException e) {
                problems.add(next.errorAt("server.sip.tls", e.getMessage()));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        router.reload(next);
        useNewTls.run();
        if (tracking != null) {
            tracking.reload(next);
        }
        final B2buaSettings settings = B2buaSettings.of(now);
        final List<HandlerProber.Target> probes = probeTargets;
        netty.loop().submit(() -> {
            trunks.configure(next.trunks());
            transport.inboundConnections().limits(now.connections().max(), now.connections().maxPerAddress());
            if (prober != null) {
                prober.targets(probes);
            }
        }).syncUninterruptibly();
        for (SipWorker worker : workers.all()) {
            worker.loop().submit(() -> worker.b2bua().settings(settings)).syncUninterruptibly();
        }
        config = next;
        LOG.info("configuration reloaded from {}: {} campaigns, {} handlers", next.file(), next.campaigns().size(),
                next.handlers().size());
    }

    private static void restartOnly(List<ConfigError> problems, RouterConfig next, String path, Object was,
                                    Object now) {
        if (!java.util.Objects.equals(was, now)) {
            problems.add(next.errorAt(path, "cannot change while running (running with " + was
                    + "); restart the router"));
        }
    }

    /**
     * Graceful stop: new INVITEs get 503 at once; live calls may go on for up to
     * {@code drainTimeoutMs}; what is left is then ended (BYE both legs) and everything closes.
     */
    public void drainAndClose(long drainTimeoutMs) {
        draining = true;
        workers.drain();
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drainTimeoutMs);
        while (workers.activeCalls() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
    }

    /** Ends every live call, then closes sockets, the event loop and the stores. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        draining = true;
        if (tracking != null) {
            tracking.close();
        }
        final List<Future<Void>> stopped = new ArrayList<>(workers.count());
        for (SipWorker worker : workers.all()) {
            stopped.add(worker.stop("router shutting down"));
        }
        stopped.forEach(f -> f.awaitUninterruptibly(5, TimeUnit.SECONDS));
        netty.loop().submit(() -> {
            if (prober != null) {
                prober.stop();
            }
            if (heartbeat != null) {
                heartbeat.cancel(false);
            }
        }).awaitUninterruptibly(5, TimeUnit.SECONDS);
        // Let the final BYEs and 503s leave before the sockets close (the other workers' went
        // to the SIP loop's queue before this).
        netty.loop().submit(() -> { }).awaitUninterruptibly(1, TimeUnit.SECONDS);
        transport.close();
        netty.loop().submit(resolver::close).awaitUninterruptibly(1, TimeUnit.SECONDS);
        if (!forWarmup) {
            loops.close();
        }
        purge.close();
        if (sharedCaps != null) {
            sharedCaps.close(); // after the calls ended: their releases went out first
        }
        if (stir != null) {
            stir.close();
        }
        if (tls != null) {
            tls.close();
        }
        router.close();
        if (!forWarmup) {
            LOG.info("router stopped");
        }
    }

    /**
     * Starts resolving every handler and trunk URI and waits for the answers a bounded time (a name
     * server that does not answer must not stop the router from starting or reloading): a
     * handler whose name is not resolved by then is skipped by calls, with the reason, until its
     * answer comes.
     *
     * @throws IllegalArgumentException when a URI is not sip:/sips:.
     */
    private static List<HandlerProber.Target> resolveHandlers(RouterConfig config, SipTargets targets) {
        final List<HandlerProber.Target> out = new ArrayList<>();
        final List<String> uris = new ArrayList<>();
        for (HandlerConfig handler : config.handlers()) {
            out.add(new HandlerProber.Target(handler.id(), handler.uri()));
            uris.add(handler.uri());
        }
        for (TrunkConfig trunk : config.trunks()) {
            uris.add(trunk.uri());
        }
        final long waitMs = config.server().dns().queryTimeoutMs() * RESOLVE_WAIT_QUERIES;
        try {
            targets.prepare(uris).get(waitMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            LOG.warn("handler names not all resolved after {} ms; calls skip those handlers until they are", waitMs);
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.warn("resolving handler names failed: {}", e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (HandlerConfig handler : config.handlers()) {
            final Resolution r = targets.lookup(handler.uri());
            if (!r.resolved()) {
                LOG.warn("handler {} ({}) does not resolve: {}; calls skip it until it does", handler.id(),
                        handler.uri(), r.reason());
            }
        }
        return out;
    }

    /** A monotonic millisecond clock for SIP timers (never the wall clock, which can jump). */
    static long monoMs() {
        return System.nanoTime() / 1_000_000;
    }
}
