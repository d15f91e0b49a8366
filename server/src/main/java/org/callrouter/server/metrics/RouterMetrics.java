package org.callrouter.server.metrics;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import org.callrouter.routing.config.RouterConfig;
import org.callrouter.server.LoopLag;
import org.callrouter.server.RouterServer;
import org.callrouter.server.b2bua.Trunk;
import org.callrouter.server.b2bua.Trunks;
import org.callrouter.server.kafka.KafkaRecordShipper;
import org.callrouter.server.tracking.TrackingStats;
import org.callrouter.server.transport.InboundConnections;
import org.callrouter.server.transport.NettySipTransport;
import org.callrouter.server.records.CallEventPublisher;
import org.callrouter.server.records.RecordPipeline;
import org.callrouter.server.records.RecordSink;
import org.callrouter.server.transaction.LargeRequests;
import org.callrouter.server.transaction.MessageCounters;
import org.callrouter.server.transaction.TransactionLayer;
import org.callrouter.server.records.Journal;
import org.callrouter.server.records.VisitJournal;
import org.callrouter.server.leads.JournalIngest;
import org.callrouter.server.webhook.WebhookDispatcher;
import org.callrouter.server.webhook.WebhookScheduler;
import org.callrouter.server.workers.SipWorker;
import org.callrouter.server.workers.SipWorkers;

/**
 * The router's metrics: Micrometer's Prometheus registry (simpleclient, text format 0.0.4)
 * with JVM and Netty metrics and the router's own, named as Prometheus expects ({@code _total}
 * counters, {@code _seconds} and {@code _bytes} in base units). See the server README,
 * "Metrics", for the list.
 */
public final class RouterMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<AutoCloseable> binders = new ArrayList<>();
    private final SipMessageMetrics sipMessages;
    private final CallMetrics calls;
    private HandlerGauges handlers;
    private PoolGauges pools;
    private Trunks trunks;

    /** A registry with the JVM's metrics and the record-driven call metrics. */
    public RouterMetrics() {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        final JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        binders.add(gc);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider allocator) {
            new NettyAllocatorMetrics(allocator).bindTo(registry);
        }
        this.sipMessages = new SipMessageMetrics(registry);
        this.calls = new CallMetrics(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The page {@code GET /metrics} serves (text format 0.0.4). */
    public String scrape() {
        return registry.scrape();
    }

    /** Counts SIP requests and responses (give it to {@link RouterServer#start}). */
    public MessageCounters sipMessages() {
        return sipMessages;
    }

    /** Counts calls, attempts and conversions from records (a sink of the record pipeline). */
    public RecordSink calls() {
        return calls;
    }

    /** The SIP side: B2BUA, transaction and transport counters, errors, the SIP loop, handler gauges. */
    public void bind(RouterServer server, Clock wall) {
        // Sums over the SIP workers, read at each scrape.
        final SipWorkers sip = server.workers();
        gauge("b2bua.active.calls", "Calls in progress", sip, s -> s.b2buaStats().activeCalls);
        Gauge.builder("sip.loop.lag.max", sip, SipWorkers::worstLagSeconds).baseUnit("seconds")
                .description("The SIP loops' worst lateness in the last complete 10 s window").register(registry);
        gauge("b2bua.pending.calls", "Calls not yet answered", sip, s -> s.b2buaStats().pendingCalls);
        counter("b2bua.overload.rejections", "INVITEs refused with 503 (overload or drain)", sip,
                s -> s.b2buaStats().overloadRejections);
        counter("b2bua.late.answers", "Handlers that answered after the call gave up on them", sip,
                s -> s.b2buaStats().lateAnswers);
        counter("b2bua.sessions.expired", "Answered calls ended because a session timer ran out (RFC 4028)", sip,
                s -> s.b2buaStats().sessionsExpired);
        counter("b2bua.provisionals.pracked", "Reliable provisional responses from handlers acknowledged (RFC 3262)",
                sip, s -> s.b2buaStats().provisionalsPracked);
        counter("b2bua.provisionals.discarded", "Reliable provisional responses from handlers dropped (retransmitted,"
                + " out of order)", sip, s -> s.b2buaStats().provisionalsDiscarded);
        counter("b2bua.prack.timeouts", "Calls ended because the carrier never sent PRACK (RFC 3262 3)", sip,
                s -> s.b2buaStats().prackTimeouts);
        counter("stir.attestations.verified", "Calls whose STIR/SHAKEN PASSporT signature was verified", sip,
                s -> s.b2buaStats().attestationsVerified);
        counter("stir.attestations.invalid", "Calls whose PASSporT was found bad (check, signature, certificate)",
                sip, s -> s.b2buaStats().attestationsInvalid);
        counter("stir.attestations.unverified", "Calls routed with a PASSporT not verified (in time, or at all)",
                sip, s -> s.b2buaStats().attestationsUnverified);
        counter("sip.retransmissions.absorbed", "Retransmitted requests absorbed by server transactions", sip,
                s -> s.transactionStats().retransmissionsAbsorbed);
        counter("sip.requests.retransmitted", "Requests retransmitted by client transactions", sip,
                s -> s.transactionStats().requestsRetransmitted);
        counter("sip.responses.retransmitted", "Responses retransmitted by server transactions", sip,
                s -> s.transactionStats().responsesRetransmitted);
        counter("sip.stray.responses", "Responses that matched no transaction", sip, s -> s.transactionStats().strayResponses);
        counter("sip.client.timeouts", "Client transactions that timed out", sip, s -> s.transactionStats().clientTimeouts);
        counter("sip.requests.refused", "Requests not admitted (untrusted source, no such dialog, not the"
                + " dialog's peer) answered without a transaction", sip, s -> s.transactionStats().refusedStateless);
        counter("sip.refusals.dropped", "Requests not admitted and dropped unanswered (over "
                + TransactionLayer.STATELESS_REFUSALS_PER_SECOND + " refusals a second)", sip, s -> s.transactionStats().refusalsDropped);
        counter("sip.malformed.requests", "Malformed requests answered with an error", sip,
                s -> s.inboundStats().malformedRequests);
        counter("sip.malformed.dropped", "Malformed messages dropped", sip, s -> s.inboundStats().malformedDropped);
        counter("router.internal.errors", "Errors caught at the edge of an event-loop iteration", server.errors(),
                e -> e.total());
        final InboundConnections connections = server.transport().inboundConnections();
        gauge("sip.connections.inbound", "TCP and TLS connections peers have open to the router", connections,
                InboundConnections::open);
        FunctionCounter.builder("sip.connections.refused", connections, InboundConnections::refusedTotal)
                .description("Inbound connections closed at once, by the bound reached").tag("limit", "max")
                .register(registry);
        FunctionCounter.builder("sip.connections.refused", connections, InboundConnections::refusedPerAddress)
                .description("Inbound connections closed at once, by the bound reached").tag("limit", "max_per_address")
                .register(registry);
        for (String result : new String[] {"tcp", "udp_fallback", "udp_remembered"}) {
            final ToLongFunction<LargeRequests> count = switch (result) {
                case "tcp" -> LargeRequests::overTcp;
                case "udp_fallback" -> LargeRequests::fellBack;
                default -> LargeRequests::keptOnUdp;
            };
            FunctionCounter.builder("sip.large.requests", server.largeRequests(), count::applyAsLong)
                    .description("Requests over 1300 bytes for a UDP peer (RFC 3261 18.1.1): moved to TCP, sent over UDP"
                            + " after the TCP connection failed, or over UDP at once after a recent failure")
                    .tag("result", result).register(registry);
        }
        for (SipWorker worker : sip.all()) {
            final String id = Integer.toString(worker.id());
            Gauge.builder("sip.worker.calls.active", worker, w -> w.b2bua().stats().activeCalls)
                    .description("Calls in progress on one SIP worker").tag("worker", id).register(registry);
            FunctionCounter.builder("sip.worker.transactions", worker,
                            w -> w.transactions().stats().serverTransactionsCreated)
                    .description("Requests one SIP worker took in a new server transaction").tag("worker", id)
                    .register(registry);
        }
        counter("sip.tls.handshake.failures", "TLS handshakes that failed, inbound and outbound", server.transport(),
                NettySipTransport::tlsHandshakeFailures);
        new NettyEventExecutorMetrics(server.sipLoops()).bindTo(registry);
        handlers = new HandlerGauges(registry, server.router(), wall);
        handlers.refresh(server.config());
        StoreGauges.bind(registry, server.router().storeCapacities(), server.callerPurge());
        bindTracking(server);
        pools = new PoolGauges(registry, server.router().pools(), server.trackingStats(), wall);
        pools.refresh(server.config().pools());
        trunks = server.trunks();
        bindTrunks();
        ClusterMetrics.bind(registry, server);
    }

    /**
     * Each outbound trunk: {@code trunk_calls_active{trunk}}, {@code trunk_calls_total{trunk}} and
     * {@code trunk_failures_total{trunk,reason}}. A trunk a reload adds gets its meters then
     * (registering the same name and tags again is a no-op).
     */
    private void bindTrunks() {
        for (Trunk trunk : trunks.all()) {
            Gauge.builder("trunk.calls.active", trunk, Trunk::active).tag("trunk", trunk.id())
                    .description("Callback calls up or being set up through the trunk").register(registry);
            FunctionCounter.builder("trunk.calls", trunk, Trunk::calls).tag("trunk", trunk.id())
                    .description("Callback calls placed through the trunk").register(registry);
            for (Trunk.Failure failure : Trunk.Failure.values()) {
                FunctionCounter.builder("trunk.failures", trunk, t -> t.failures(failure)).tag("trunk", trunk.id())
                        .tag("reason", failure.label())
                        .description("Calls the trunk failed: refused (forbidden), credentials refused"
                                + " (challenged_again), no or unsupported credentials, unreachable, 5xx")
                        .register(registry);
            }
        }
    }

    /**
     * The tracking listener: {@code callrouter_tracking_requests_total{status}},
     * {@code callrouter_tracking_rate_limited_total{scope}},
     * {@code callrouter_page_script_failures_total{pool,page}}, and its connections when it runs.
     */
    private void bindTracking(RouterServer server) {
        final TrackingStats tracking = server.trackingStats();
        for (int status : TrackingStats.STATUSES) {
            FunctionCounter.builder("callrouter.tracking.requests", tracking, t -> t.requests(status))
                    .description("Requests to the tracking listener by the status answered")
                    .tag("status", Integer.toString(status)).register(registry);
        }
        for (TrackingStats.Scope scope : TrackingStats.Scope.values()) {
            FunctionCounter.builder("callrouter.tracking.rate.limited", tracking, t -> t.rateLimited(scope))
                    .description("Tracking requests refused with 429 by a rate limit, by scope (address, pool)")
                    .tag("scope", scope.label()).register(registry);
        }
        tracking.onNewPage(page -> FunctionCounter.builder("callrouter.page.script.failures", tracking,
                        t -> t.scriptFailures(page))
                .description("Failure reports of the landing-page script by pool and page (host and path; at most "
                        + TrackingStats.MAX_FAILURE_PAGES + " pages, the rest as page=\"other\")")
                .tags("pool", page.pool(), "page", page.page()).register(registry));
        if (server.tracking() != null) {
            final InboundConnections connections = server.tracking().connections();
            gauge("callrouter.tracking.connections", "Connections open to the tracking listener", connections,
                    InboundConnections::open);
            FunctionCounter.builder("callrouter.tracking.connections.refused", connections,
                    c -> c.refusedTotal() + c.refusedPerAddress())
                    .description("Connections to the tracking listener closed at once by a bound").register(registry);
        }
    }

    /** The record pipeline: {@code records_pending} and the buffer's occupancy, drops, journal lines. */
    public void bind(RecordPipeline records) {
        gauge("records.pending", "Call events published and not yet taken by the record emitter", records,
                RecordPipeline::pending);
        Gauge.builder("records.buffer.used", records, RecordPipeline::bufferedBytes).baseUnit("bytes")
                .description("Bytes of the record ring buffer in use").register(registry);
        Gauge.builder("records.buffer.capacity", records, RecordPipeline::bufferCapacity).baseUnit("bytes")
                .description("Capacity of the record ring buffer").register(registry);
        final CallEventPublisher publisher = records.events();
        counter("records.dropped", "Call events dropped because the record buffer stayed full", publisher,
                CallEventPublisher::droppedTotal);
        counter("records.buffer.full.waits", "Times a publisher found the record buffer full and waited", publisher,
                CallEventPublisher::fullWaits);
        counter("journal.lines.written", "Lines written to the call journal", records, RecordPipeline::journalLines);
        final Journal journal = records.journal();
        counter("journal.lines.lost", "Journal lines dropped after the disk failed past the in-memory bound", journal,
                Journal::linesLost);
        gauge("journal.lines.unwritten", "Journal lines waiting in memory for the disk", journal,
                Journal::unwrittenLines);
    }

    /**
     * The store ingest: {@code leads_ingested_total{kind}}, {@code leads_ingest_errors_total},
     * {@code leads_ingest_skipped_total} and {@code leads_ingest_lag_bytes}.
     */
    public void bind(JournalIngest ingest) {
        for (JournalIngest.Kind kind : JournalIngest.Kind.values()) {
            FunctionCounter.builder("leads.ingested", ingest, i -> i.ingested(kind))
                    .description("Journal rows stored in the lead store, by kind").tag("kind", kind.label())
                    .register(registry);
        }
        counter("leads.ingest.errors", "Journal reads and store batches that failed (tried again)", ingest,
                JournalIngest::failures);
        counter("leads.ingest.skipped", "Journal lines not stored: not JSON, incomplete, or refused by the store",
                ingest, JournalIngest::skipped);
        Gauge.builder("leads.ingest.lag", ingest, JournalIngest::lagBytes).baseUnit("bytes")
                .description("Journal bytes written and not yet in the lead store").register(registry);
    }

    /**
     * Records to Kafka: {@code records_kafka_sent_total} (acknowledged), {@code records_kafka_failed_total}
     * (sends that failed and are tried again), {@code records_kafka_skipped_total} (lines that are not a
     * whole record), {@code records_kafka_waiting} (read from the journal, not yet acknowledged) and
     * {@code records_kafka_lag_bytes} (journal not read yet).
     */
    public void bind(KafkaRecordShipper kafka) {
        counter("records.kafka.sent", "Records the Kafka broker acknowledged", kafka, KafkaRecordShipper::sent);
        counter("records.kafka.failed", "Sends to Kafka that failed; the records wait and are sent again", kafka,
                KafkaRecordShipper::failed);
        counter("records.kafka.skipped", "Journal lines not sent to Kafka: not a whole record (cut short by a crash)",
                kafka, KafkaRecordShipper::skipped);
        gauge("records.kafka.waiting", "Records read from the journal and not yet acknowledged by Kafka", kafka,
                KafkaRecordShipper::waiting);
        Gauge.builder("records.kafka.lag", kafka, KafkaRecordShipper::lagBytes).baseUnit("bytes")
                .description("Journal bytes not yet read for Kafka (records waiting behind records_kafka_waiting)")
                .register(registry);
    }

    /** The visits journal: {@code visits_journal_lines_total}, {@code visits_journal_dropped_total}. */
    public void bind(VisitJournal visits) {
        counter("visits.journal.lines", "Lines written to the visits journal", visits, VisitJournal::written);
        counter("visits.journal.dropped", "Visit events dropped: queue full, stopping, or the disk kept failing",
                visits, VisitJournal::dropped);
    }

    /**
     * Webhooks: {@code webhook_deliveries_total{result}}, {@code webhook_pending},
     * {@code outbox_write_failures_total} and {@code webhook_dropped_total} (requests dropped
     * while the outbox's disk failed).
     */
    public void bind(WebhookScheduler scheduler) {
        final WebhookDispatcher webhooks = scheduler.dispatcher();
        counter("outbox.write.failures", "Failed writes, fsyncs and opens of webhook outbox segments", scheduler,
                WebhookScheduler::outboxWriteFailures);
        counter("webhook.dropped", "Webhooks dropped because the outbox disk failed and the memory for them was full",
                scheduler, WebhookScheduler::dropped);
        deliveries(webhooks, "delivered", WebhookDispatcher::delivered);
        deliveries(webhooks, "failed", WebhookDispatcher::failedTries);
        deliveries(webhooks, "dead_lettered", WebhookDispatcher::deadLettered);
        gauge("webhook.pending", "Webhook requests not yet delivered or dead-lettered", webhooks,
                WebhookDispatcher::pending);
    }

    /** Follows a reloaded configuration's handlers and pools. */
    public void reloaded(RouterConfig config) {
        if (handlers != null) {
            handlers.refresh(config);
        }
        if (pools != null) {
            pools.refresh(config.pools());
        }
        if (trunks != null) {
            bindTrunks();
        }
    }

    @Override
    public void close() {
        for (AutoCloseable binder : binders) {
            try {
                binder.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing a metrics binder", e);
            }
        }
        registry.close();
    }

    private void deliveries(WebhookDispatcher webhooks, String result, ToDoubleFunction<WebhookDispatcher> count) {
        FunctionCounter.builder("webhook.deliveries", webhooks, count)
                .description("Webhook tries by result: delivered (2xx), failed (to be retried), dead_lettered")
                .tag("result", result).register(registry);
    }

    private <T> void gauge(String name, String description, T source, ToDoubleFunction<T> value) {
        Gauge.builder(name, source, value).description(description).register(registry);
    }

    private <T> void counter(String name, String description, T source, ToDoubleFunction<T> value) {
        FunctionCounter.builder(name, source, value).description(description).register(registry);
    }
}
