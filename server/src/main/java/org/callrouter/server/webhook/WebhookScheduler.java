package org.callrouter.server.webhook;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import java.util.concurrent.ConcurrentLinkedQueue;

import org.agrona.ErrorHandler;
import org.callrouter.routing.callback.Callback;
import org.callrouter.routing.ConversionOutcome;
import org.callrouter.routing.config.CampaignConfig;
import org.callrouter.routing.config.RouterConfig;
import org.callrouter.routing.config.WebhookConfig;
import org.callrouter.routing.config.WebhookEvent;
import org.callrouter.server.records.CallRecord;
import org.callrouter.server.records.RecordSink;

/**
 * Campaign webhooks (issue 5): on each call event, every webhook of the call's campaign that
 * listens to it and whose {@code when} criteria hold is rendered, stored in the outbox and
 * handed to the dispatcher. Runs on the emitter thread as a {@link RecordSink}; reads the
 * campaign's webhooks from the configuration in force, so a reload applies to the next event.
 *
 * <p>Events: {@code started} when the call arrives (any call of a campaign, refused ones too),
 * {@code selected} for each handler tried, {@code answered}, {@code ended} with the complete
 * record, and {@code converted} when the call converts: at its end (attempt, timer, or a
 * postback during the call) and again for each later postback that converts another side;
 * {@code dni_canary} beside {@code started} for a call to a {@code canary: true} number;
 * {@code number_flagged} when a marked call flags its number ({@link #numberFlagged}).
 */
public final class WebhookScheduler implements RecordSink, AutoCloseable {

    private final Supplier<RouterConfig> config;
    private final OutboxWriter writer;
    private final WebhookDispatcher dispatcher;
    private final Clock wall;
    private List<Delivery> batch = new ArrayList<>();
    /** Callback events from the callback scheduler's thread, rendered on the emitter thread at the batch's end. */
    private final ConcurrentLinkedQueue<CallbackEvent> callbackEvents = new ConcurrentLinkedQueue<>();
    /** Events from other threads ({@link #numberFlagged}), fired on the emitter thread at the next batch end. */
    private final Queue<FlaggedNumber> flagged = new ConcurrentLinkedQueue<>();
    private RouterConfig indexed;
    private Map<String, List<WebhookConfig>> byCampaign = Map.of();
    private Map<String, String> canaries = Map.of();

    private WebhookScheduler(Supplier<RouterConfig> config, OutboxWriter writer, WebhookDispatcher dispatcher,
                             Clock wall) {
        this.config = config;
        this.writer = writer;
        this.dispatcher = dispatcher;
        this.wall = wall;
    }

    /**
     * Recovers the outbox in {@code dir} and starts its dispatcher.
     *
     * @param config the configuration in force (read at each event).
     * @throws IOException when the outbox directory cannot be read.
     */
    public static WebhookScheduler start(Path dir, Supplier<RouterConfig> config, int fsyncIntervalMs, Clock wall,
                                         ErrorHandler errors) throws IOException {
        final Outbox.Recovery recovery = Outbox.recover(dir);
        final WebhookDispatcher dispatcher = new WebhookDispatcher(dir, recovery,
                config.get().server().webhookDelivery(), wall, errors, request -> secretOf(config.get(), request));
        final OutboxWriter writer = new OutboxWriter(dir, recovery.nextSegment(),
                TimeUnit.MILLISECONDS.toNanos(fsyncIntervalMs), errors);
        return new WebhookScheduler(config, writer, dispatcher, wall);
    }

    /**
     * The secret of the webhook {@code request} was made for, in {@code config}: found by its
     * campaign and index, so a secret changed by a reload signs the next try. Null when the
     * webhook has none or is no longer configured.
     */
    static String secretOf(RouterConfig config, WebhookRequest request) {
        final int index = request.webhookIndex();
        for (CampaignConfig campaign : config.campaigns()) {
            if (campaign.id().equals(request.campaign())) {
                return index >= 0 && index < campaign.webhooks().size() ? campaign.webhooks().get(index).secret()
                        : null;
            }
        }
        return null;
    }

    /** Webhooks dropped because the outbox's disk failed and the memory waiting for it was full. */
    public long dropped() {
        return writer.dropped();
    }

    public WebhookDispatcher dispatcher() {
        return dispatcher;
    }

    /** Failed writes, fsyncs and opens of outbox files (segments, acks, dead letters) since start. */
    public long outboxWriteFailures() {
        return writer.writeFailures() + dispatcher.ackWriteFailures();
    }

    /**
     * Why the outbox cannot be written now, with how many requests wait for the disk (they are
     * delivered from memory meanwhile), or null when it can.
     */
    public String outboxProblem() {
        final String problem = writer.problem();
        if (problem != null) {
            return problem + " (" + writer.unwrittenRequests() + " requests not on disk)";
        }
        final String acks = dispatcher.ackProblem();
        return acks == null ? null : acks + " (delivery outcomes not on disk)";
    }

    @Override
    public void onStarted(CallRecord record) {
        fire(record, WebhookEvent.STARTED, null, "started");
        if (record.dialed() != null && record.campaign() != null) {
            webhooks(record.campaign());
            if (canaries.containsKey(record.dialed())) {
                fire(record, WebhookEvent.DNI_CANARY, null, "dni_canary");
            }
        }
    }

    @Override
    public void onSelected(CallRecord record, CallRecord.Attempt attempt) {
        fire(record, WebhookEvent.SELECTED, attempt, "selected-" + record.attempts().size());
    }

    @Override
    public void onAnswered(CallRecord record) {
        fire(record, WebhookEvent.ANSWERED, null, "answered");
    }

    @Override
    public void onEnded(CallRecord record) {
        fire(record, WebhookEvent.ENDED, null, "ended");
        if (record.converted()) {
            fire(record, WebhookEvent.CONVERTED, null, "converted-" + record.nextConversionReport());
        }
    }

    @Override
    public void onConvertedAfterEnd(CallRecord record, ConversionOutcome before, long atMs) {
        fire(record, WebhookEvent.CONVERTED, null, "converted-" + record.nextConversionReport());
    }

    /**
     * A callback event (issue 13; any thread): rendered for the campaign's webhooks that listen
     * to it at the emitter's next batch end, then stored and sent as call events are.
     */
    public void callback(WebhookEvent event, Callback callback) {
        callbackEvents.add(new CallbackEvent(event, callback));
    }

    /**
     * Queues {@code number_flagged} webhooks of the flagged number's campaign; safe from any
     * thread (the admin API's), fired on the emitter thread at its next batch end.
     */
    public void numberFlagged(FlaggedNumber flag) {
        flagged.add(flag);
    }

    /** Writes this drain's requests to the outbox, then hands them to the dispatcher. */
    @Override
    public void onBatchEnd(long nowNs) {
        CallbackEvent next;
        while ((next = callbackEvents.poll()) != null) {
            fire(next);
        }
        for (FlaggedNumber flag = flagged.poll(); flag != null; flag = flagged.poll()) {
            fireFlagged(flag);
        }
        writer.write();
        writer.forceIfDue(nowNs);
        if (!batch.isEmpty()) {
            dispatcher.submit(batch);
            batch = new ArrayList<>();
        }
        final long sealed = writer.rollIfFull();
        if (sealed >= 0) {
            dispatcher.sealed(sealed);
        }
    }

    /** Writes and forces the outbox; the dispatcher still gets the last requests. */
    @Override
    public void onClose() {
        writer.close();
        dispatcher.submit(batch);
        batch = new ArrayList<>();
    }

    /** Stops the dispatcher (after the emitter closed). */
    @Override
    public void close() {
        dispatcher.close();
    }

    private void fire(CallRecord record, WebhookEvent event, CallRecord.Attempt attempt, String eventKey) {
        if (record.campaign() == null) {
            return;
        }
        final List<WebhookConfig> hooks = webhooks(record.campaign());
        for (int i = 0; i < hooks.size(); i++) {
            final WebhookConfig hook = hooks.get(i);
            if (!hook.on().contains(event)) {
                continue;
            }
            final CallTokens tokens = new CallTokens(record, event, attempt);
            if (WebhookRenderer.matches(hook, tokens)) {
                final Delivery stored = writer.append(WebhookRenderer.render(hook, record, tokens,
                        record.id() + ":" + eventKey + ":" + i, wall.millis()));
                if (stored != null) {
                    batch.add(stored);
                }
            }
        }
    }

    private void fire(CallbackEvent e) {
        final List<WebhookConfig> hooks = webhooks(e.callback().campaign());
        for (int i = 0; i < hooks.size(); i++) {
            final WebhookConfig hook = hooks.get(i);
            if (!hook.on().contains(e.event())) {
                continue;
            }
            final CallbackTokens tokens = new CallbackTokens(e.callback(), e.event());
            if (WebhookRenderer.matches(hook, tokens)) {
                final Delivery stored = writer.append(WebhookRenderer.render(hook, e.callback(), tokens,
                        e.callback().id() + ":" + CallTokens.eventName(e.event()) + "-" + e.callback().tries() + ":" + i,
                        wall.millis()));
                if (stored != null) {
                    batch.add(stored);
                }
            }
        }
    }

    private void fireFlagged(FlaggedNumber flag) {
        final List<WebhookConfig> hooks = webhooks(flag.campaign());
        for (int i = 0; i < hooks.size(); i++) {
            final WebhookConfig hook = hooks.get(i);
            if (hook.on().contains(WebhookEvent.NUMBER_FLAGGED) && WebhookRenderer.matches(hook, flag)) {
                final Delivery stored = writer.append(WebhookRenderer.render(hook, flag,
                        flag.callId() + ":number_flagged:" + i, wall.millis()));
                if (stored != null) {
                    batch.add(stored);
                }
            }
        }
    }

    private record CallbackEvent(WebhookEvent event, Callback callback) {
    }

    private List<WebhookConfig> webhooks(String campaign) {
        final RouterConfig current = config.get();
        if (current != indexed) {
            final Map<String, List<WebhookConfig>> next = new HashMap<>();
            for (CampaignConfig c : current.campaigns()) {
                if (!c.webhooks().isEmpty()) {
                    next.put(c.id(), c.webhooks());
                }
            }
            byCampaign = next;
            canaries = current.canaryNumbers();
            indexed = current;
        }
        return byCampaign.getOrDefault(campaign, List.of());
    }
}
