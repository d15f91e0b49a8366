package org.callrouter.server.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.callrouter.routing.ConversionOutcome;
import org.callrouter.routing.criteria.BuiltinTag;
import org.callrouter.server.b2bua.AttemptResult;
import org.callrouter.server.b2bua.CallStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Events through a real ring buffer into the assembler: every field survives, and a full buffer drops visibly. */
class CallEventPublisherTest {

    @TempDir
    Path dir;

    private final List<Throwable> errors = new ArrayList<>();
    private final RecordingSink sink = new RecordingSink();
    private ListAppender<ILoggingEvent> log;

    private static ManyToOneRingBuffer ring(int capacity) {
        return new ManyToOneRingBuffer(new UnsafeBuffer(
                ByteBuffer.allocateDirect(capacity + RingBufferDescriptor.TRAILER_LENGTH)));
    }

    private CallEventAdapter adapter() throws Exception {
        final Journal journal = new Journal(dir, 0, errors::add);
        return new CallEventAdapter(new RecordAssembler(List.of(sink), journal, new Tickets(), errors::add),
                errors::add);
    }

    /** Reads until the buffer is empty (one read stops where the buffer wraps). */
    private static int drain(ManyToOneRingBuffer ring, CallEventAdapter adapter) {
        int read = 0;
        while (ring.size() > 0) {
            read += ring.read(adapter);
        }
        return read;
    }

    @AfterEach
    void detachLog() {
        if (log != null) {
            ((Logger) LoggerFactory.getLogger(CallEventPublisher.class)).detachAppender(log);
        }
    }

    @Test
    void everyFieldOfACallSurvivesTheBuffer() throws Exception {
        final ManyToOneRingBuffer ring = ring(64 * 1024);
        final CallEventPublisher publisher = new CallEventPublisher(ring, TimeUnit.MILLISECONDS.toNanos(1));
        final Map<String, String> tags = new LinkedHashMap<>();
        tags.put(BuiltinTag.CALLER_NUMBER.tagName(), "+14155550123");
        tags.put(BuiltinTag.CALLER_STATE.tagName(), "CA");
        tags.put(BuiltinTag.DIALED_NUMBER.tagName(), "+18005550100");
        tags.put(BuiltinTag.SOURCE.tagName(), "not-the-source-field");
        tags.put(BuiltinTag.CAMPAIGN.tagName(), "sales");
        tags.put("publisher_id", "pub-\u00e9\u4e2d\uD83D\uDE00");
        tags.put("campaign_note", null);
        final BigDecimal payout = new BigDecimal("4.50");
        publisher.received("c1", "key1", 1_000, 12_345, "+14155550123", "+18005550100", "sales", "web", tags);
        publisher.visitor("c1", "0123456789abcdef0123456789abcdef",
                List.of("https://solar.example/?gclid=\u00e9", "https://solar.example/pricing"));
        publisher.skipped("c1", "closed-one", "closed");
        publisher.attemptStarted("c1", "first", 1_010);
        publisher.attemptEnded("c1", "first", AttemptResult.NO_ANSWER, 0, 2_010);
        publisher.attemptStarted("c1", "second", 2_011);
        publisher.attemptEnded("c1", "second", AttemptResult.ANSWERED, 200, 2_500);
        publisher.answered("c1", "second", 2_500);
        publisher.ended("c1", CallStatus.COMPLETED, 200, "carrier hung up", 65_500, 1_500, 63_000,
                new ConversionOutcome(new ConversionOutcome.Side(ConversionOutcome.Status.CONVERTED, payout, "attempt"),
                        new ConversionOutcome.Side(ConversionOutcome.Status.NOT_CONVERTED, BigDecimal.ZERO,
                                "timer 63s < 90s")));
        assertEquals(9, publisher.published());
        assertEquals(9, drain(ring, adapter()));

        assertEquals(List.of("started c1", "selected c1 first", "attempt c1 first no-answer", "selected c1 second",
                "attempt c1 second answered", "answered c1 second", "ended c1 completed"), sink.events);
        final CallRecord r = sink.ended.get(0);
        assertEquals("key1", r.key());
        assertEquals(1_000, r.receivedMs());
        assertEquals(12_345, r.routingNs());
        assertEquals("+14155550123", r.caller());
        assertEquals("+18005550100", r.dialed());
        assertEquals("sales", r.campaign());
        assertEquals("web", r.source());
        assertEquals(tags, r.tags());
        assertEquals("0123456789abcdef0123456789abcdef", r.session());
        assertEquals(List.of("https://solar.example/?gclid=\u00e9", "https://solar.example/pricing"), r.pagePath());
        assertEquals(r.pagePath(), RecordJson.read(RecordJson.parse(new String(RecordJson.callLine(r),
                StandardCharsets.UTF_8))).pagePath(), "the journal line keeps the page path");
        assertEquals("closed-one", r.skipped().get(0).handlerId());
        assertEquals("closed", r.skipped().get(0).reason());
        assertEquals(2, r.attempts().size());
        assertEquals(2_010, r.attempts().get(0).endedMs());
        assertEquals(200, r.attempts().get(1).sipStatus());
        assertEquals("second", r.answeredBy());
        assertEquals(2_500, r.answeredMs());
        assertEquals(65_500, r.endedMs());
        assertEquals(1_500, r.ringMs());
        assertEquals(63_000, r.talkMs());
        assertEquals("carrier hung up", r.reason());
        assertEquals(new BigDecimal("4.50"), r.payout());
        assertEquals(BigDecimal.ZERO, r.revenue());
        assertEquals("timer 63s < 90s", r.conversion().handler().reason());
        assertFalse(r.incomplete());
        assertTrue(errors.isEmpty(), errors::toString);
    }

    @Test
    void everyAmountIsCarriedExactlyWhateverTheCacheHolds() throws Exception {
        final ManyToOneRingBuffer ring = ring(1 << 20);
        final CallEventPublisher publisher = new CallEventPublisher(ring, TimeUnit.MILLISECONDS.toNanos(1));
        final CallEventAdapter adapter = adapter();
        final List<BigDecimal> amounts = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            amounts.add(BigDecimal.valueOf(i, 2));
        }
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < amounts.size(); i++) {
                final ConversionOutcome.Side side = new ConversionOutcome.Side(ConversionOutcome.Status.CONVERTED,
                        amounts.get(i), "attempt");
                publisher.ended("c" + round + "-" + i, CallStatus.COMPLETED, 200, "done", 1, 0, 0,
                        new ConversionOutcome(side, new ConversionOutcome.Side(ConversionOutcome.Status.NO_RULE,
                                BigDecimal.ZERO, "no rule")));
            }
            drain(ring, adapter);
        }
        assertEquals(3 * amounts.size(), sink.ended.size());
        for (int i = 0; i < sink.ended.size(); i++) {
            final CallRecord r = sink.ended.get(i);
            assertEquals(amounts.get(i % amounts.size()), r.payout(), r.id());
            assertEquals(BigDecimal.ZERO, r.conversion().handler().amount());
        }
    }

    @Test
    void aFullBufferWaitsBrieflyThenDropsCountsAndLogs() throws Exception {
        log = new ListAppender<>();
        log.start();
        ((Logger) LoggerFactory.getLogger(CallEventPublisher.class)).addAppender(log);
        final ManyToOneRingBuffer ring = ring(4096);
        final CallEventPublisher publisher = new CallEventPublisher(ring, TimeUnit.MILLISECONDS.toNanos(1));
        int accepted = 0;
        while (publisher.dropped(RecordMessages.RECEIVED) == 0) {
            publisher.received("c" + accepted, "k", 1, 1, "+14155550123", "+18005550100", "sales", "web", Map.of());
            accepted++;
        }
        accepted--;
        assertEquals(accepted, publisher.published());
        assertEquals(1, publisher.fullWaits());
        assertEquals(1, log.list.size());
        assertEquals(Level.ERROR, log.list.get(0).getLevel());
        assertTrue(log.list.get(0).getFormattedMessage().contains("'received' dropped"),
                log.list.get(0).getFormattedMessage());

        // Still full: dropped at once, without waiting again.
        publisher.received("again", "k", 1, 1, "+14155550123", "+18005550100", "sales", "web", Map.of());
        assertEquals(2, publisher.dropped(RecordMessages.RECEIVED));
        assertEquals(1, publisher.fullWaits());
        assertEquals(2, publisher.droppedTotal());

        // Drained: publishing works again; the call whose start was lost is recorded, marked incomplete.
        final CallEventAdapter adapter = adapter();
        assertEquals(accepted, drain(ring, adapter));
        publisher.ended("lost", CallStatus.FAILED, 480, "no handler answered", 3, 2, 0, null);
        assertEquals(1, drain(ring, adapter));
        final CallRecord lost = sink.ended.get(0);
        assertEquals("lost", lost.id());
        assertTrue(lost.incomplete());
        assertNull(lost.conversion());
        assertTrue(errors.isEmpty(), errors::toString);
    }
}
