package org.callrouter.server.records;

import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BiConsumer;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.callrouter.routing.ConversionOutcome;
import org.callrouter.server.b2bua.AttemptResult;
import org.callrouter.server.b2bua.CallStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIP loop's side of the record pipeline: each call event is encoded straight into a
 * claimed slot of an Agrona {@link ManyToOneRingBuffer} (no copy, no allocation) and the
 * emitter thread takes it from there. The admin API publishes postback and lookup requests
 * through the same buffer, so they are seen after every event published before them.
 *
 * <p><b>When the buffer is full</b> (the emitter has fallen a whole buffer behind), the
 * publisher waits for room for up to {@code fullWaitNs}, spinning then yielding. If there is
 * still none the event is dropped, counted per type ({@link #dropped(int)}) and logged (the
 * first time, then at most every ten seconds with the count); while the buffer stays full
 * later events are dropped at once instead of each waiting again, so a wedged emitter cannot
 * stall the SIP loop. A record whose events were dropped is written as {@code incomplete}.
 *
 * <p>Call events ({@link CallEvents}) come from one thread at a time, the SIP loop (the tag
 * encoders are reused); {@link #postback} and {@link #lookup} are safe from any thread.
 */
public final class CallEventPublisher implements CallEvents {

    private static final Logger LOG = LoggerFactory.getLogger(CallEventPublisher.class);
    private static final long LOG_EVERY_NS = 10_000_000_000L;
    /** Tags beyond this many are left out of the event (the SIP message limits keep it far off). */
    static final int MAX_TAGS = 64;
    private static final int AMOUNT_CACHE = 16;

    private final ManyToOneRingBuffer ring;
    private final AtomicBuffer buffer;
    private final long fullWaitNs;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLongArray dropped = new AtomicLongArray(RecordMessages.count());
    private final AtomicLong fullWaits = new AtomicLong();
    private volatile boolean overflowing;
    private volatile long nextDropLogNs;
    private final TagSizer tagSizer = new TagSizer();
    private final TagWriter tagWriter = new TagWriter();
    /** Config amounts are the same few BigDecimal instances: their text is cached by identity. */
    private final AmountText[] amounts = new AmountText[AMOUNT_CACHE];

    /**
     * @param ring       the buffer the emitter drains.
     * @param fullWaitNs how long a publisher may wait for room in a full buffer before dropping.
     */
    public CallEventPublisher(ManyToOneRingBuffer ring, long fullWaitNs) {
        this.ring = ring;
        this.buffer = ring.buffer();
        this.fullWaitNs = fullWaitNs;
    }

    @Override
    public void received(String callId, String callKey, long atMs, long routingNs, String caller, String dialed,
                         String campaignId, String sourceId, Map<String, String> tags) {
        int length = 2 * Long.BYTES + EventStrings.length(callId) + EventStrings.length(callKey)
                + EventStrings.length(caller) + EventStrings.length(dialed) + EventStrings.length(campaignId)
                + EventStrings.length(sourceId) + Integer.BYTES;
        int tagCount = 0;
        if (tags != null && !tags.isEmpty()) {
            tagSizer.reset();
            tags.forEach(tagSizer);
            if (length + tagSizer.bytes <= ring.maxMsgLength()) {
                length += tagSizer.bytes;
                tagCount = tagSizer.count;
            }
        }
        final int index = claim(RecordMessages.RECEIVED, length);
        if (index < 0) {
            return;
        }
        try {
            buffer.putLong(index, atMs);
            buffer.putLong(index + Long.BYTES, routingNs);
            int at = EventStrings.put(buffer, index + 2 * Long.BYTES, callId);
            at = EventStrings.put(buffer, at, callKey);
            at = EventStrings.put(buffer, at, caller);
            at = EventStrings.put(buffer, at, dialed);
            at = EventStrings.put(buffer, at, campaignId);
            at = EventStrings.put(buffer, at, sourceId);
            buffer.putInt(at, tagCount);
            if (tagCount > 0) {
                tagWriter.start(at + Integer.BYTES, tagCount);
                tags.forEach(tagWriter);
            }
            commit(index);
        } catch (RuntimeException e) {
            ring.abort(index);
            throw e;
        }
    }

    @Override
    public void skipped(String callId, String handlerId, String reason) {
        final int index = claim(RecordMessages.SKIPPED,
                EventStrings.length(callId) + EventStrings.length(handlerId) + EventStrings.length(reason));
        if (index < 0) {
            return;
        }
        int at = EventStrings.put(buffer, index, callId);
        at = EventStrings.put(buffer, at, handlerId);
        EventStrings.put(buffer, at, reason);
        commit(index);
    }

    @Override
    public void attemptStarted(String callId, String handlerId, long atMs) {
        timedHandlerEvent(RecordMessages.ATTEMPT_STARTED, callId, handlerId, atMs);
    }

    @Override
    public void attemptEnded(String callId, String handlerId, AttemptResult result, int sipStatus, long atMs) {
        final int index = claim(RecordMessages.ATTEMPT_ENDED, Long.BYTES + 2 * Integer.BYTES
                + EventStrings.length(callId) + EventStrings.length(handlerId));
        if (index < 0) {
            return;
        }
        buffer.putLong(index, atMs);
        buffer.putInt(index + Long.BYTES, result.ordinal());
        buffer.putInt(index + Long.BYTES + Integer.BYTES, sipStatus);
        final int at = EventStrings.put(buffer, index + Long.BYTES + 2 * Integer.BYTES, callId);
        EventStrings.put(buffer, at, handlerId);
        commit(index);
    }

    @Override
    public void answered(String callId, String handlerId, long atMs) {
        timedHandlerEvent(RecordMessages.ANSWERED, callId, handlerId, atMs);
    }

    @Override
    public void ended(String callId, CallStatus status, int sipStatus, String reason, long atMs, long ringMs,
                      long talkMs, ConversionOutcome conversion) {
        int length = 3 * Long.BYTES + 2 * Integer.BYTES + EventStrings.length(callId) + EventStrings.length(reason)
                + Integer.BYTES;
        String sourceAmount = null;
        String handlerAmount = null;
        if (conversion != null) {
            sourceAmount = amountText(conversion.source().amount());
            handlerAmount = amountText(conversion.handler().amount());
            length += 2 * Integer.BYTES + EventStrings.length(sourceAmount) + EventStrings.length(handlerAmount)
                    + EventStrings.length(conversion.source().reason())
                    + EventStrings.length(conversion.handler().reason());
        }
        final int index = claim(RecordMessages.ENDED, length);
        if (index < 0) {
            return;
        }
        buffer.putLong(index, atMs);
        buffer.putLong(index + Long.BYTES, ringMs);
        buffer.putLong(index + 2 * Long.BYTES, talkMs);
        buffer.putInt(index + 3 * Long.BYTES, status.ordinal());
        buffer.putInt(index + 3 * Long.BYTES + Integer.BYTES, sipStatus);
        int at = EventStrings.put(buffer, index + 3 * Long.BYTES + 2 * Integer.BYTES, callId);
        at = EventStrings.put(buffer, at, reason);
        buffer.putInt(at, conversion == null ? 0 : 1);
        at += Integer.BYTES;
        if (conversion != null) {
            at = putSide(at, conversion.source(), sourceAmount);
            putSide(at, conversion.handler(), handlerAmount);
        }
        commit(index);
    }

    /**
     * Asks the emitter to apply a postback conversion; the answer comes through the ticket.
     *
     * @param journalLine the call's journal line (carried whole) when the admin API found it
     *                    there because the emitter no longer holds the call, else null.
     * @return false when the request could not be queued (buffer full).
     */
    public boolean postback(long ticket, String callId, String key, String journalLine, long atMs) {
        final int index = claim(RecordMessages.POSTBACK, 2 * Long.BYTES + EventStrings.length(callId)
                + EventStrings.length(key) + EventStrings.length(journalLine, Integer.MAX_VALUE));
        if (index < 0) {
            return false;
        }
        buffer.putLong(index, ticket);
        buffer.putLong(index + Long.BYTES, atMs);
        int at = EventStrings.put(buffer, index + 2 * Long.BYTES, callId);
        at = EventStrings.put(buffer, at, key);
        EventStrings.put(buffer, at, journalLine, Integer.MAX_VALUE);
        commit(index);
        return true;
    }

    /**
     * Asks the emitter for a call it holds (live, or ended recently); the answer comes through
     * the ticket.
     *
     * @return false when the request could not be queued (buffer full).
     */
    public boolean lookup(long ticket, String callId) {
        final int index = claim(RecordMessages.LOOKUP, Long.BYTES + EventStrings.length(callId));
        if (index < 0) {
            return false;
        }
        buffer.putLong(index, ticket);
        EventStrings.put(buffer, index + Long.BYTES, callId);
        commit(index);
        return true;
    }

    /** Events and requests published since start. */
    public long published() {
        return published.get();
    }

    /** Events of a {@link RecordMessages} type dropped because the buffer stayed full. */
    public long dropped(int type) {
        return dropped.get(type);
    }

    /** Events dropped because the buffer stayed full, every type. */
    public long droppedTotal() {
        long sum = 0;
        for (int i = 0; i < dropped.length(); i++) {
            sum += dropped.get(i);
        }
        return sum;
    }

    /** Times a publisher found the buffer full and had to wait. */
    public long fullWaits() {
        return fullWaits.get();
    }

    // ---- internals ---------------------------------------------------------------------

    private void timedHandlerEvent(int type, String callId, String handlerId, long atMs) {
        final int index = claim(type, Long.BYTES + EventStrings.length(callId) + EventStrings.length(handlerId));
        if (index < 0) {
            return;
        }
        buffer.putLong(index, atMs);
        final int at = EventStrings.put(buffer, index + Long.BYTES, callId);
        EventStrings.put(buffer, at, handlerId);
        commit(index);
    }

    private int putSide(int at, ConversionOutcome.Side side, String amount) {
        buffer.putInt(at, side.status().ordinal());
        final int next = EventStrings.put(buffer, at + Integer.BYTES, amount);
        return EventStrings.put(buffer, next, side.reason());
    }

    private void commit(int index) {
        ring.commit(index);
        published.incrementAndGet();
    }

    private String amountText(BigDecimal amount) {
        if (amount == null) {
            return null;
        }
        final int slot = System.identityHashCode(amount) & (AMOUNT_CACHE - 1);
        final AmountText cached = amounts[slot];
        if (cached != null && cached.amount == amount) {
            return cached.text;
        }
        final AmountText fresh = new AmountText(amount, amount.toPlainString());
        amounts[slot] = fresh;
        return fresh.text;
    }

    private int claim(int type, int length) {
        if (length > ring.maxMsgLength()) {
            drop(type, "larger than the buffer's largest message (" + length + " bytes)");
            return -1;
        }
        final int index = ring.tryClaim(type, length);
        if (index >= 0) {
            if (overflowing) {
                overflowing = false;
            }
            return index;
        }
        return claimWhenFull(type, length);
    }

    private int claimWhenFull(int type, int length) {
        if (!overflowing) {
            fullWaits.incrementAndGet();
            final long deadline = System.nanoTime() + fullWaitNs;
            int spins = 0;
            do {
                if (++spins < 100) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
                final int index = ring.tryClaim(type, length);
                if (index >= 0) {
                    return index;
                }
            } while (System.nanoTime() - deadline < 0);
            overflowing = true;
        }
        drop(type, "the record buffer is full");
        return -1;
    }

    private void drop(int type, String why) {
        final long total = dropped.incrementAndGet(type);
        final long now = System.nanoTime();
        if (total == 1 || now - nextDropLogNs >= 0) {
            nextDropLogNs = now + LOG_EVERY_NS;
            LOG.error("call event '{}' dropped: {} ({} of this type dropped so far, {} of all types)",
                    RecordMessages.name(type), why, total, droppedTotal());
        }
    }

    private record AmountText(BigDecimal amount, String text) {
    }

    /** Sizes the tags (bounded by {@link #MAX_TAGS}) without allocating. */
    private static final class TagSizer implements BiConsumer<String, String> {
        int bytes;
        int count;

        void reset() {
            bytes = 0;
            count = 0;
        }

        @Override
        public void accept(String name, String value) {
            if (count < MAX_TAGS) {
                bytes += EventStrings.length(name) + EventStrings.length(value);
                count++;
            }
        }
    }

    /** Writes the first {@code count} tags, the same ones {@link TagSizer} sized. */
    private final class TagWriter implements BiConsumer<String, String> {
        int at;
        int remaining;

        void start(int index, int count) {
            at = index;
            remaining = count;
        }

        @Override
        public void accept(String name, String value) {
            if (remaining > 0) {
                remaining--;
                at = EventStrings.put(buffer, at, name);
                at = EventStrings.put(buffer, at, value);
            }
        }
    }
}
