package org.callrouter.server.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import org.callrouter.routing.CallContext;
import org.callrouter.routing.CapUsage;
import org.callrouter.routing.HandlerHealth;
import org.callrouter.routing.Router;
import org.callrouter.routing.RoutingPlan;
import org.callrouter.routing.caps.CapWindow;
import org.callrouter.routing.config.ConfigError;
import org.callrouter.routing.config.ConfigException;
import org.callrouter.routing.config.ConfigLoader;
import org.callrouter.routing.config.HandlerConfig;
import org.callrouter.routing.config.RouterConfig;
import org.callrouter.routing.config.ServerSettings;
import org.callrouter.routing.pool.PoolStatus;
import org.callrouter.routing.pool.SessionListener;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.callrouter.server.DistinctErrorHandler;
import org.callrouter.server.Readiness;
import org.callrouter.server.StoreFill;
import org.callrouter.server.callback.CallbackMetrics;
import org.callrouter.server.callback.CallbackScheduler;
import org.callrouter.server.callback.CallbackSink;
import org.callrouter.server.callback.CallbackStore;
import org.callrouter.server.callback.CallbackWebhooks;
import org.callrouter.server.RouterServer;
import org.callrouter.server.StartPhases;
import org.callrouter.server.metrics.NumberAlerts;
import org.callrouter.server.quarantine.NumberHealth;
import org.callrouter.server.metrics.RouterMetrics;
import org.callrouter.server.records.JournalReader;
import org.callrouter.server.records.RecordJson;
import org.callrouter.server.records.RecordPipeline;
import org.callrouter.server.records.VisitJournal;
import org.callrouter.server.leads.CallQuery;
import org.callrouter.server.kafka.KafkaRecordShipper;
import org.callrouter.server.leads.JournalIngest;
import org.callrouter.server.leads.LeadStore;
import org.callrouter.server.leads.StoreFeed;
import org.callrouter.server.recovery.CrashRecovery;
import org.callrouter.server.recovery.LiveCallReleaser;
import org.callrouter.server.webhook.WebhookScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code router serve} runs: the SIP router ({@link RouterServer}) with its call records
 * (journal), webhooks, metrics and admin HTTP API, wired together, reloaded together and
 * stopped in the order that loses nothing: SIP calls drain and end, then the admin API stops,
 * then the record pipeline drains and forces the journal and the webhook outbox.
 */
public final class RouterService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RouterService.class);

    private final Clock wall;
    private final DistinctErrorHandler errors = new DistinctErrorHandler();
    private final RouterMetrics metrics;
    private final WebhookScheduler webhooks;
    private final RecordPipeline records;
    private final RouterServer server;
    private final AdminServer admin;
    private final Readiness readiness = new Readiness();
    private final LiveCalls live = new LiveCalls();
    private final CrashRecovery recovery;
    /** The visits journal (null when the tracking listener is off). */
    private final VisitJournal visits;
    private final StoreFeed feed;
    /** Records to Kafka (null without {@code server.records.kafka}: then no Kafka class is loaded). */
    private final KafkaRecordShipper kafka;
    private final NumberHealth numberHealth;
    /** The SIP router once started: the number-health sink may hear of a call before the constructor ends. */
    private final AtomicReference<RouterServer> sipStarted = new AtomicReference<>();
    private final JournalReader journal;
    /** Lost calls' callbacks (issue 13): the schedule's thread and its durable store. */
    private final CallbackScheduler callbacks;
    private final CallbackStore callbackStore;
    private volatile RouterConfig config;
    private volatile boolean stopping;
    private boolean closed;


    private RouterService(RouterConfig config, Clock wall) throws IOException {
        this.config = config;
        this.wall = wall;
        final ServerSettings settings = config.server();
        final StartPhases phases = new StartPhases();
        // Compiles the call path while the records, webhooks and stores open (RouterServer waits for it).
        final CompletableFuture<RouterServer.WarmUp> warmup = RouterServer.warmUp(config);
        this.metrics = new RouterMetrics();
        boolean started = false;
        WebhookScheduler hooks = null;
        RecordPipeline pipeline = null;
        RouterServer sip = null;
        VisitJournal visitJournal = null;
        StoreFeed storeFeed = null;
        KafkaRecordShipper shipper = null;
        CallbackScheduler schedule = null;
        CallbackStore scheduleStore = null;
        // Crash recovery: opened by the SIP router once it owns the data directory.
        final CrashRecovery recovery = new CrashRecovery(settings.dataDir(),
                settings.sip().overload().maxActiveCalls(), journalDir(settings), errors);
        try {
            hooks = WebhookScheduler.start(settings.dataDir().resolve("webhooks"), this::config,
                    settings.records().fsyncIntervalMs(), wall, errors);
            schedule = new CallbackScheduler(this::config, wall, errors,
                    List.of(new CallbackMetrics(metrics.registry()), new CallbackWebhooks(hooks)));
            final NumberHealth health = new NumberHealth(settings.dataDir(), this::startedRouter, this::config,
                    hooks::numberFlagged, schedule::onSpam, errors);
            // The callback sink only hands ended and answered calls to the scheduler's thread.
            pipeline = new RecordPipeline(settings.records(), journalDir(settings), longestCallMs(config),
                    List.of(metrics.calls(), new NumberAlerts(metrics.registry(), this::config), health,
                            new CallbackSink(schedule), hooks, new LiveCallReleaser(recovery), live), wall, errors);
            phases.ended("webhook outbox, callback schedule and record pipeline started");
            if (settings.tracking().enabled()) {
                visitJournal = VisitJournal.start(journalDir(settings), settings.records().fsyncIntervalMs(), wall,
                        errors);
            }
            sip = RouterServer.open(config, wall, pipeline.events(), metrics.sipMessages(), recovery,
                    visitJournal == null ? SessionListener.NONE : visitJournal, warmup);
            sipStarted.set(sip);
            phases.ended("SIP router opened, its sockets bound (the phases above)");
            pipeline.conversions(sip.router().conversions());
            health.start(wall.millis());
            this.numberHealth = health;
            Gauge.builder("numbers.flagged", health, NumberHealth::flaggedCount)
                    .description("Numbers whose share of spam and misdirected calls reached number_policy.spam_threshold")
                    .register(metrics.registry());
            Gauge.builder("blocked.callers", sip.router().blockedCallers(), b -> b.size())
                    .description("Callers blocked because a call of theirs was marked spam")
                    .register(metrics.registry());
            // After the SIP router: it owns the data directory, so a second router fails there first.
            if (settings.records().kafka() != null) {
                shipper = KafkaRecordShipper.start(settings.records().kafka(), settings.dataDir(), journalDir(settings),
                        wall, errors);
                metrics.bind(shipper);
            }
            final KafkaRecordShipper kafkaReader = shipper;
            // Retention keeps the files whose records Kafka has not acknowledged yet.
            storeFeed = StoreFeed.start(settings, journalDir(settings), config.attribution(),
                    kafkaReader == null ? file -> true : kafkaReader::doneWith, wall, errors);
            phases.ended("records shipper and lead store opened");
            scheduleStore = CallbackStore.open(settings.dataDir(), errors);
            schedule.start(scheduleStore, sip.callbackDialer());
            phases.ended("callback store opened, callback schedule started");
            this.callbacks = schedule;
            this.callbackStore = scheduleStore;
            this.visits = visitJournal;
            this.feed = storeFeed;
            this.kafka = shipper;
            this.journal = new JournalReader(journalDir(settings), wall, longestCallMs(config));
            this.webhooks = hooks;
            this.records = pipeline;
            this.server = sip;
            this.recovery = recovery;
            metrics.bind(sip, wall);
            metrics.bind(pipeline);
            metrics.bind(hooks);
            CallbackMetrics.bind(metrics.registry(), schedule);
            if (visitJournal != null) {
                metrics.bind(visitJournal);
            }
            if (storeFeed.ingest() != null) {
                metrics.bind(storeFeed.ingest());
            }
            FunctionCounter.builder("records.errors", errors,
                    DistinctErrorHandler::total).description("Errors in the record pipeline, webhooks and admin API")
                    .register(metrics.registry());
            readiness.add(reasons -> {
                if (stopping || server.draining()) {
                    reasons.add("draining: new calls are refused");
                }
            }).add(reasons -> {
                if (!records.running()) {
                    reasons.add("the record emitter is not running");
                }
            }).add(reasons -> {
                final String problem = records.journal().problem();
                if (problem != null) {
                    reasons.add("journal: " + problem + " (" + records.journal().unwrittenLines()
                            + " lines waiting in memory, " + records.journal().linesLost() + " lost)");
                }
            }).add(reasons -> {
                final String problem = webhooks.outboxProblem();
                if (problem != null) {
                    reasons.add("webhook outbox: " + problem);
                }
            }).add(new StoreFill(sip.router()));
            this.admin = AdminServer.start(settings.admin().listen(), new AdminApi(this, wall), errors);
            phases.ended("metrics and admin API started");
            // Last: the calls come in once nothing else of the start competes for the cores.
            sip.serve();
            started = true;
        } finally {
            if (!started) {
                if (schedule != null) {
                    schedule.close();
                }
                if (scheduleStore != null) {
                    scheduleStore.close();
                }
                if (shipper != null) {
                    shipper.close();
                }
                if (storeFeed != null) {
                    storeFeed.close();
                }
                if (sip != null) {
                    sip.close();
                } else {
                    // The SIP router never took the warm-up's loops over: they go when it ends.
                    warmup.thenAccept(w -> {
                        if (w.loops() != null) {
                            w.loops().close();
                        }
                    });
                }
                if (visitJournal != null) {
                    visitJournal.close();
                }
                if (pipeline != null) {
                    pipeline.close();
                }
                if (hooks != null) {
                    hooks.close();
                }
                recovery.close();
                metrics.close();
            }
        }
    }

    /**
     * Starts everything on {@code config}.
     *
     * @throws IllegalStateException when a socket cannot be bound, a store or the journal
     *                               cannot be opened, or a handler URI does not resolve.
     */
    public static RouterService start(RouterConfig config, Clock wall) {
        try {
            return new RouterService(config, wall);
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e);
        }
    }

    /** The router, or null before the SIP side started (a call cannot arrive before it, but its record can lag). */
    private Router startedRouter() {
        final RouterServer sip = sipStarted.get();
        return sip == null ? null : sip.router();
    }

    /** Spam marks and number health. */
    public NumberHealth numberHealth() {
        return numberHealth;
    }

    public RouterServer server() {
        return server;
    }

    public RecordPipeline records() {
        return records;
    }

    public RouterMetrics metrics() {
        return metrics;
    }

    public WebhookScheduler webhooks() {
        return webhooks;
    }

    /** The callback schedule (lists and cancels callbacks for the admin API). */
    public CallbackScheduler callbacks() {
        return callbacks;
    }

    /**
     * The lead store (leads, sessions, sales, call rows; server README, "Store ingest"), for the
     * admin API's routes; null when {@code server.store.enabled} is false. Thread-safe.
     */
    public LeadStore leads() {
        return feed.store();
    }

    /** The journal ingest feeding {@link #leads()}, or null when the store is off. */
    public JournalIngest ingest() {
        return feed.ingest();
    }

    /**
     * Problems that do not stop calls ({@code GET /health}): the lead store failing while the
     * records wait in the journal, visit events dropped.
     */
    public List<String> warnings() {
        final List<String> warnings = new ArrayList<>();
        final String store = feed.problem();
        if (store != null) {
            warnings.add(store);
        }
        if (kafka != null && kafka.lastError() != null) {
            warnings.add("records to Kafka (topic " + kafka.topic() + "): " + kafka.lastError() + " ("
                    + kafka.waiting() + " records and " + kafka.lagBytes() + " journal bytes wait)");
        }
        if (visits != null && visits.dropped() > 0) {
            warnings.add("visits journal: " + visits.dropped() + " visit events dropped since start");
        }
        return warnings;
    }

    /**
     * The record of call {@code id}: from the store, with conversion lines the store may not
     * have yet merged from the journal; else from the journal or the calls in progress (a call
     * not yet stored); empty when neither has it.
     *
     * @throws TimeoutException when the record emitter does not answer about calls in progress
     */
    public Optional<ObjectNode> call(String id) throws TimeoutException {
        final LeadStore store = feed.store();
        if (store != null) {
            final Optional<String> line = store.callRecord(id);
            if (line.isPresent()) {
                return Optional.of(journal.withConversions(parse(line.get())));
            }
        }
        return records.find(id);
    }

    /**
     * A page of calls and where the next one starts.
     *
     * @param next the position after this page's calls ({@code s <received ms> <id>} in the store,
     *             {@code j <day> <line>} in the journal), or null when there are no more.
     */
    public record CallPage(List<ObjectNode> calls, String next) {
    }

    /**
     * A page of the calls matching {@code query}, at most its limit, after position {@code after}
     * (null: the first page). From the store when it is on (calls not yet stored, at most
     * {@code poll_ms} old, are not there yet): pages go from the newest received back, each page
     * in the order its calls ended. Else from the journal: pages go forward from {@code since} in
     * the order calls ended.
     *
     * @throws IllegalArgumentException when {@code after} is not a position of this source
     */
    public CallPage calls(JournalReader.Query query, String after) {
        final LeadStore store = feed.store();
        final String[] at = after == null ? null : after.split(" ", 3);
        final JournalReader.Query more = new JournalReader.Query(query.campaign(), query.source(), query.handler(),
                query.caller(), query.status(), query.sinceMs(), query.limit() + 1);
        try {
            if (store == null) {
                if (at != null && (at.length != 3 || !at[0].equals("j"))) {
                    throw new IllegalArgumentException("not a position in the journal");
                }
                final List<JournalReader.Listed> listed = records.page(more, at == null ? null
                        : new JournalReader.Position(LocalDate.parse(at[1]), Integer.parseInt(at[2])));
                final List<JournalReader.Listed> kept = listed.subList(0, Math.min(query.limit(), listed.size()));
                final JournalReader.Position last = kept.isEmpty() ? null : kept.get(kept.size() - 1).at();
                return new CallPage(kept.stream().map(JournalReader.Listed::call).toList(),
                        listed.size() > query.limit() ? "j " + last.day() + " " + last.line() : null);
            }
            if (at != null && (at.length != 3 || !at[0].equals("s"))) {
                throw new IllegalArgumentException("not a position in the lead store");
            }
            final List<ObjectNode> found = new ArrayList<>();
            for (String line : store.callRecords(new CallQuery(more.campaign(), more.source(), more.handler(),
                    more.caller(), more.status(), more.sinceMs(), more.limit(), at == null ? 0 : Long.parseLong(at[1]),
                    at == null ? null : at[2]))) {
                found.add(parse(line));
            }
            final List<ObjectNode> kept = new ArrayList<>(found.subList(0, Math.min(query.limit(), found.size())));
            String next = null;
            if (found.size() > query.limit()) {
                final ObjectNode last = kept.get(kept.size() - 1);
                next = "s " + RecordJson.parseTime(last.path("received_at").asText()) + " "
                        + last.path("id").asText();
            }
            kept.sort(Comparator.comparing((ObjectNode call) -> call.path("ended_at").asText(""))
                    .thenComparing(call -> call.path("id").asText()));
            return new CallPage(kept, next);
        } catch (DateTimeException | NumberFormatException e) {
            throw new IllegalArgumentException("not a position: " + after, e);
        }
    }

    private static ObjectNode parse(String line) {
        try {
            return RecordJson.parse(line);
        } catch (IOException e) {
            throw new UncheckedIOException("the lead store holds a call line that is not JSON", e);
        }
    }

    /** The configuration in force. */
    public RouterConfig config() {
        return config;
    }

    /** Errors of the records, webhooks and admin side (each logged once, then counted). */
    public DistinctErrorHandler errors() {
        return errors;
    }

    /** Where the admin HTTP API listens (the real port when 0 was configured). */
    public InetSocketAddress adminAddress() {
        return admin.address();
    }

    /** Why the router should not be sent calls now; empty when it is ready. */
    public List<String> notReady() {
        return readiness.reasons();
    }

    /**
     * The plan a call would get, as {@code router explain} shows it, from the running router:
     * its stores, cap counts and live concurrency as they are now. Nothing is reserved or
     * counted (a plan counts only when reserved), and no store is opened for the question.
     */
    public RoutingPlan explain(CallContext call) {
        return server.router().route(call);
    }

    /**
     * A handler's caps and their use now, from the running router.
     *
     * @throws IllegalArgumentException for a handler not in the configuration
     */
    public List<CapUsage> capUsage(String handler) {
        return server.router().capUsage(handler, wall.millis());
    }

    /**
     * Sets a handler's count in one window to zero in the running router's cap store (for a
     * {@code total} cap the only way it goes down); calls under way keep their reservations.
     *
     * @throws IllegalArgumentException for a handler not in the configuration
     */
    public void resetCap(String handler, CapWindow window) {
        server.router().resetCap(handler, window);
        LOG.info("cap {} of handler {} reset through the admin API", window.capName(), handler);
    }

    /** Calls in progress and the last minute's rates, per campaign, from the records. */
    LiveCalls live() {
        return live;
    }

    /** Each number pool's size, use and counters now, from the running router. */
    public List<PoolStatus> pools() {
        return server.router().pools().status(wall.millis());
    }

    /** Where the tracking listener listens, or null when it is off. */
    public InetSocketAddress trackingAddress() {
        return server.tracking() == null ? null : server.tracking().address();
    }

    /** Why a call cannot reach a handler URI now ({@code dns: <reason>}), or null. */
    public String unreachable(String handlerUri) {
        return server.unreachable(handlerUri);
    }

    /** The serving router's handler health (probes and passive). */
    public HandlerHealth health() {
        return server.router().health();
    }

    /** Reloads the configuration file in force (SIGHUP, {@code POST /v1/reload}). */
    public void reload() throws ConfigException {
        reload(ConfigLoader.load(config.file()));
    }

    /**
     * Applies a new configuration without dropping live calls ({@link RouterServer#reload}),
     * then the webhook retry policy, the handler gauges and the admin token. {@code server.admin.listen}, {@code server.records} and {@code server.store} cannot
     * change while running. On any error nothing changes.
     *
     * @throws ConfigException with every reason the configuration was refused.
     */
    public synchronized void reload(RouterConfig next) throws ConfigException {
        final List<ConfigError> problems = new ArrayList<>();
        final ServerSettings was = config.server();
        final ServerSettings now = next.server();
        if (!Objects.equals(was.admin().listen(), now.admin().listen())) {
            problems.add(next.errorAt("server.admin.listen", "cannot change while running (running with "
                    + was.admin().listen() + "); restart the router"));
        }
        if (!Objects.equals(was.records(), now.records())) {
            problems.add(next.errorAt("server.records", "cannot change while running (running with "
                    + was.records() + "); restart the router"));
        }
        if (!Objects.equals(was.store(), now.store())) {
            problems.add(next.errorAt("server.store", "cannot change while running (running with "
                    + was.store() + "); restart the router"));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        server.reload(next);
        webhooks.dispatcher().policy(now.webhookDelivery());
        metrics.reloaded(next);
        config = next;
    }

    /**
     * SIGTERM: not ready any more, new INVITEs get 503, live calls may go on for up to
     * {@code drainTimeoutMs}; then everything stops ({@link #close}).
     */
    public void drainAndClose(long drainTimeoutMs) {
        stopping = true;
        server.drainAndClose(drainTimeoutMs);
        close();
    }

    /** Ends live calls, stops the admin API, drains and forces the records and the outbox. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopping = true;
        // No new tries while the SIP side stops; a try in flight counts as made at the next start.
        callbacks.close();
        server.close();
        admin.close();
        if (visits != null) {
            visits.close();
        }
        records.close();
        // After the records: the ingest and the Kafka shipper may take the last lines (what they leave,
        // the next start takes).
        feed.close();
        if (kafka != null) {
            kafka.close();
        }
        callbackStore.close();
        recovery.close();
        webhooks.close();
        metrics.close();
        LOG.info("records, webhooks and admin API stopped; {} journal lines written", records.journalLines());
    }

    /** {@code server.records.journal_dir}, or {@code <data_dir>/journal}. */
    static Path journalDir(ServerSettings settings) {
        final Path configured = settings.records().journalDir();
        return configured != null ? configured : settings.dataDir().resolve("journal");
    }

    /** The longest a call can last from arrival to end: every handler rung to its timeout, then the maximum talk. */
    static long longestCallMs(RouterConfig config) {
        long ringing = 0;
        for (HandlerConfig handler : config.handlers()) {
            ringing = Math.max(ringing, handler.timeoutSeconds());
        }
        return TimeUnit.SECONDS.toMillis(config.server().sip().maxCallDurationSeconds()
                + ringing * Math.max(1, config.handlers().size()));
    }
}
