package org.callrouter.server.metrics;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.callrouter.routing.ConversionOutcome;
import org.callrouter.server.b2bua.AttemptResult;
import org.callrouter.server.b2bua.CallStatus;
import org.callrouter.server.records.CallEvents;
import org.callrouter.server.records.CallRecord;
import org.callrouter.server.records.RecordSink;

/**
 * The call metrics, counted from records on the emitter thread: {@code calls_total{campaign,status}}
 * (a call of an untracked number has {@code campaign=""}), {@code call_attempts_total{handler,result}},
 * {@code conversions_total{campaign,side}} ({@code side} {@code source} or {@code handler}, each
 * side counted once per call, when it converts), and the histograms
 * {@code routing_decision_seconds} (the routing decision of each call) and
 * {@code call_setup_seconds} (from the carrier's INVITE to the answer, answered calls).
 */
final class CallMetrics implements RecordSink {

    private static final CallStatus[] STATUSES = CallStatus.values();
    private static final AttemptResult[] RESULTS = AttemptResult.values();

    private final MeterRegistry registry;
    /** Counters by campaign (or handler) then label index, so a record costs no registry lookup. */
    private final Map<String, Counter[]> calls = new HashMap<>();
    private final Map<String, Counter[]> attempts = new HashMap<>();
    private final Map<String, Counter[]> conversions = new HashMap<>();
    private final Timer routingDecision;
    private final Timer callSetup;

    CallMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.routingDecision = Timer.builder("routing.decision")
                .description("Time to decide where a call goes")
                .serviceLevelObjectives(micros(1), micros(2), micros(5), micros(10), micros(20), micros(50),
                        micros(100), micros(200), micros(500), Duration.ofMillis(1), Duration.ofMillis(5),
                        Duration.ofMillis(25))
                .register(registry);
        this.callSetup = Timer.builder("call.setup")
                .description("From the carrier's INVITE to the answer relayed to it")
                .serviceLevelObjectives(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
                        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
                        Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(30), Duration.ofSeconds(60))
                .register(registry);
    }

    @Override
    public void onStarted(CallRecord record) {
        if (record.routingNs() != CallEvents.NOT_ROUTED) {
            routingDecision.record(record.routingNs(), TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void onAttemptEnded(CallRecord record, CallRecord.Attempt attempt) {
        final AttemptResult result = attempt.result();
        final Counter[] byResult = attempts.computeIfAbsent(attempt.handler(), h -> new Counter[RESULTS.length]);
        if (byResult[result.ordinal()] == null) {
            byResult[result.ordinal()] = Counter.builder("call.attempts").description("Handler attempts, by how they ended")
                    .tag("handler", attempt.handler()).tag("result", result.label()).register(registry);
        }
        byResult[result.ordinal()].increment();
    }

    @Override
    public void onAnswered(CallRecord record) {
        if (record.receivedMs() != CallRecord.NO_TIME) {
            callSetup.record(Math.max(0, record.answeredMs() - record.receivedMs()), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void onEnded(CallRecord record) {
        final CallStatus status = record.status();
        final Counter[] byStatus = calls.computeIfAbsent(campaign(record), c -> new Counter[STATUSES.length]);
        if (byStatus[status.ordinal()] == null) {
            byStatus[status.ordinal()] = Counter.builder("calls").description("Calls ended, by final status")
                    .tag("campaign", campaign(record)).tag("status", status.label()).register(registry);
        }
        byStatus[status.ordinal()].increment();
        final ConversionOutcome c = record.conversion();
        if (c != null) {
            countConversions(record, c, null);
        }
    }

    @Override
    public void onConvertedAfterEnd(CallRecord record, ConversionOutcome before, long atMs) {
        countConversions(record, record.conversion(), before);
    }

    private void countConversions(CallRecord record, ConversionOutcome now, ConversionOutcome before) {
        if (now.source().converted() && (before == null || !before.source().converted())) {
            conversions(record)[0].increment();
        }
        if (now.handler().converted() && (before == null || !before.handler().converted())) {
            conversions(record)[1].increment();
        }
    }

    /** The campaign's conversion counters: source side, handler side. */
    private Counter[] conversions(CallRecord record) {
        return conversions.computeIfAbsent(campaign(record), c -> new Counter[] {conversion(c, "source"),
            conversion(c, "handler")});
    }

    private Counter conversion(String campaign, String side) {
        return Counter.builder("conversions").description("Conversions, by side (source payout, handler revenue)")
                .tag("campaign", campaign).tag("side", side).register(registry);
    }

    private static String campaign(CallRecord record) {
        return record.campaign() == null ? "" : record.campaign();
    }

    private static Duration micros(long us) {
        return Duration.ofNanos(us * 1000);
    }
}
