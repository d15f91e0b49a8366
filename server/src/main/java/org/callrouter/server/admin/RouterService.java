package org.callrouter.server.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.FunctionCounter;
import org.callrouter.routing.CallContext;
import org.callrouter.routing.Router;
import org.callrouter.routing.RoutingPlan;
import org.callrouter.routing.config.ConfigError;
import org.callrouter.routing.config.ConfigException;
import org.callrouter.routing.config.ConfigLoader;
import org.callrouter.routing.config.HandlerConfig;
import org.callrouter.routing.config.RouterConfig;
import org.callrouter.routing.config.ServerSettings;
import org.callrouter.server.DistinctErrorHandler;
import org.callrouter.server.RouterServer;
import org.callrouter.server.metrics.RouterMetrics;
import org.callrouter.server.records.RecordPipeline;
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
    private final CrashRecovery recovery;
    private volatile RouterConfig config;
    private volatile boolean stopping;
    private boolean closed;

    private RouterService(RouterConfig config, Clock wall) throws IOException {
        this.config = config;
        this.wall = wall;
        final ServerSettings settings = config.server();
        this.metrics = new RouterMetrics();
        boolean started = false;
        WebhookScheduler hooks = null;
        RecordPipeline pipeline = null;
        RouterServer sip = null;
        // Crash recovery: opened by the SIP router once it owns the data directory.
        final CrashRecovery recovery = new CrashRecovery(settings.dataDir(),
                settings.sip().overload().maxActiveCalls(), journalDir(settings), errors);
        try {
            hooks = WebhookScheduler.start(settings.dataDir().resolve("webhooks"), this::config,
                    settings.records().fsyncIntervalMs(), wall, errors);
            pipeline = new RecordPipeline(settings.records(), journalDir(settings), longestCallMs(config),
                    List.of(metrics.calls(), hooks, new LiveCallReleaser(recovery)), wall, errors);
            sip = RouterServer.start(config, wall, pipeline.events(), metrics.sipMessages(), recovery);
            pipeline.conversions(sip.router().conversions());
            this.webhooks = hooks;
            this.records = pipeline;
            this.server = sip;
            this.recovery = recovery;
            metrics.bind(sip, wall);
            metrics.bind(pipeline);
            metrics.bind(hooks.dispatcher());
            FunctionCounter.builder("records.errors", errors,
                    DistinctErrorHandler::total).description("Errors in the record pipeline, webhooks and admin API")
                    .register(metrics.registry());
            this.admin = AdminServer.start(settings.admin().listen(), new AdminApi(this, wall));
            started = true;
        } finally {
            if (!started) {
                if (sip != null) {
                    sip.close();
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
        final List<String> reasons = new ArrayList<>();
        if (stopping || server.draining()) {
            reasons.add("draining: new calls are refused");
        }
        if (!records.running()) {
            reasons.add("the record emitter is not running");
        }
        return reasons;
    }

    /**
     * The plan a call would get, as {@code router explain} shows it: from a read-only router
     * opened over the same stores for this one question, so it sees the cap counts as they are
     * now and reserves or counts nothing. Live concurrency is not visible from it.
     */
    public RoutingPlan explain(CallContext call) {
        try (Router explainer = Router.openReadOnly(config, wall, new SplittableRandom())) {
            return explainer.route(call);
        }
    }

    /** Reloads the configuration file in force (SIGHUP, {@code POST /v1/reload}). */
    public void reload() throws ConfigException {
        reload(ConfigLoader.load(config.file()));
    }

    /**
     * Applies a new configuration without dropping live calls ({@link RouterServer#reload}),
     * then the webhook retry policy, the handler gauges and the admin token. {@code server.admin.listen} and {@code server.records} cannot change while
     * running. On any error nothing changes.
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
        server.close();
        admin.close();
        records.close();
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
