package org.callrouter.server.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.callrouter.routing.config.ServerSettings;
import org.callrouter.server.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deliveries to a real HTTP receiver: headers, retries, dead letters. */
class WebhookDispatcherTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ServerSettings.WebhookDelivery FAST = new ServerSettings.WebhookDelivery(3, 10, 40, 2000);

    @TempDir
    Path dir;

    private final List<Throwable> errors = new ArrayList<>();
    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private HookReceiver receiver;
    private WebhookDispatcher dispatcher;
    private OutboxWriter writer;

    @BeforeEach
    void start() throws Exception {
        receiver = HookReceiver.start(48400, 48499);
        dispatcher = new WebhookDispatcher(dir, Outbox.recover(dir), FAST, Clock.systemUTC(), errors::add,
                request -> secrets.get(request.key()));
        writer = new OutboxWriter(dir, 1, 0, errors::add);
    }

    @AfterEach
    void stop() {
        dispatcher.close();
        receiver.close();
        assertTrue(errors.isEmpty(), errors::toString);
    }

    private Delivery send(String url, String secret) {
        final String body = "{\"call\": \"c1\"}";
        if (secret != null) {
            secrets.put("c1:ended:0", secret);
        }
        final Delivery d = writer.append(new WebhookRequest("c1:ended:0", "ended", "sales", "c1", url,
                "application/json", body, 1));
        writer.write();
        dispatcher.submit(List.of(d));
        return d;
    }

    @Test
    void aRequestCarriesItsKeySignatureAndEvent() {
        send(receiver.base() + "/hooks/sales?x=1", "s3cret");
        final HookReceiver.Received r = receiver.await(1, x -> true, WAIT).get(0);
        assertEquals("POST", r.method());
        assertEquals("/hooks/sales?x=1", r.uri());
        assertEquals("{\"call\": \"c1\"}", r.body());
        assertEquals("application/json", r.header("Content-Type"));
        assertEquals("c1:ended:0", r.header("Idempotency-Key"));
        assertTrue(Signature.verify("s3cret", r.header(Signature.HEADER), r.body().getBytes(StandardCharsets.UTF_8),
                System.currentTimeMillis() / 1000), () -> "signed: " + r);
        assertEquals("ended", r.header("X-Webhook-Event"));
        assertEquals("c1", r.header("X-Call-Id"));
        assertEquals("1", r.header("X-Webhook-Attempt"));
        Await.until(WAIT, () -> dispatcher.delivered() == 1 && dispatcher.pending() == 0,
                () -> "delivered " + dispatcher.delivered());
        final CallWebhooks.Entry story = dispatcher.perCall().of("c1").get(0);
        assertEquals(receiver.base() + "/hooks/sales", story.url(), "no query string");
        assertEquals(CallWebhooks.State.DELIVERED, story.state());
        assertEquals(200, story.httpStatus());
        assertEquals(1, story.tries());
        assertEquals(null, story.error());
        assertFalse(story.toString().contains("s3cret"), story::toString);
    }

    @Test
    void a500IsRetriedWithTheSameKeyUntilItIsDelivered() throws Exception {
        receiver.script(500, 503).answer(200);
        final Delivery d = send(receiver.base() + "/h", null);
        final List<HookReceiver.Received> tries = receiver.await(3, x -> true, WAIT);
        assertEquals(List.of("1", "2", "3"), tries.stream().map(t -> t.header("X-Webhook-Attempt")).toList());
        assertEquals(1, tries.stream().map(t -> t.header("Idempotency-Key")).distinct().count());
        assertEquals(1, tries.stream().map(HookReceiver.Received::body).distinct().count());
        Await.until(WAIT, () -> dispatcher.delivered() == 1, () -> "delivered " + dispatcher.delivered());
        assertEquals(2, dispatcher.failedTries());
        assertEquals(0, dispatcher.deadLettered());
        assertEquals(List.of(new CallWebhooks.Entry("ended", receiver.base() + "/h", CallWebhooks.State.DELIVERED,
                200, 3, dispatcher.perCall().of("c1").get(0).lastAtMs(), null)), dispatcher.perCall().of("c1"));
        Await.until(WAIT, () -> lines(Outbox.acks(dir, d.segment())).contains("0 done 3 0"),
                () -> "acks " + lines(Outbox.acks(dir, d.segment())));
    }

    @Test
    void afterTheLastTryARequestIsDeadLetteredAndItsClosedSegmentGoes() {
        receiver.answer(500);
        final Delivery d = send(receiver.base() + "/h", null);
        Await.until(WAIT, () -> dispatcher.deadLettered() == 1, () -> "dead " + dispatcher.deadLettered());
        assertEquals(3, receiver.received().size());
        assertEquals(3, dispatcher.failedTries());
        assertEquals(0, dispatcher.delivered());
        Await.until(WAIT, () -> Files.exists(dir.resolve(Outbox.DEAD_LETTER)), () -> "no dead-letter file");
        final CallWebhooks.Entry dead = dispatcher.perCall().of("c1").get(0);
        assertEquals(CallWebhooks.State.DEAD, dead.state());
        assertEquals(3, dead.tries());
        assertEquals(500, dead.httpStatus());
        assertEquals("HTTP 500", dead.error());
        writer.close();
        dispatcher.sealed(d.segment());
        Await.until(WAIT, () -> !Files.exists(Outbox.segment(dir, d.segment())), () -> "segment still there");
    }

    @Test
    void afterARestartACallsStoryHasItsDeadLettersAndItsRetries() throws Exception {
        receiver.answer(500);
        send(receiver.base() + "/dead?token=t", null);
        Await.until(WAIT, () -> dispatcher.deadLettered() == 1, () -> "dead " + dispatcher.deadLettered());
        receiver.script(500).answer(200);
        final Delivery retried = writer.append(new WebhookRequest("c2:ended:0", "ended", "sales", "c2",
                receiver.base() + "/later", "application/json", "{}", 1));
        writer.write();
        // Acked as if the first try had failed just before a stop: due again an hour later.
        new OutboxAcks(dir, errors::add).ack(retried, Outbox.State.RETRY, 1, System.currentTimeMillis() + 3_600_000);
        dispatcher.close();
        dispatcher = new WebhookDispatcher(dir, Outbox.recover(dir), FAST, Clock.systemUTC(), errors::add,
                request -> null);
        final CallWebhooks.Entry dead = dispatcher.perCall().of("c1").get(0);
        assertEquals(new CallWebhooks.Entry("ended", receiver.base() + "/dead", CallWebhooks.State.DEAD, 0, 3,
                dead.lastAtMs(), "HTTP 500"), dead);
        assertTrue(dead.lastAtMs() > 0, dead::toString);
        assertEquals(List.of(new CallWebhooks.Entry("ended", receiver.base() + "/later", CallWebhooks.State.RETRYING,
                0, 1, CallWebhooks.Entry.UNKNOWN, null)), dispatcher.perCall().of("c2"));
    }

    @Test
    void aRequestThatCannotBeBuiltIsDeadLetteredAtOnce() {
        send("http://127.0.0.1:48400/a b", null);
        Await.until(WAIT, () -> dispatcher.deadLettered() == 1, () -> "dead " + dispatcher.deadLettered());
        assertEquals(1, dispatcher.failedTries());
        assertFalse(lines(dir.resolve(Outbox.DEAD_LETTER)).isEmpty());
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
